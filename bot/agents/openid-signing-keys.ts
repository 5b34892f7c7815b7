import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { TalkbackError } from '../../core/errors.js';

export interface SigningKey {
  key: KeyObject;
  /** Channels the key may sign for (the Bot Framework lists them per key); empty: any. */
  endorsements: readonly string[];
}

export interface OpenIdSigningKeysOptions {
  /** The OpenID configuration document naming the JWKS (jwks_uri). */
  metadataUrl: string;
  /** Bound on each metadata or JWKS request. */
  timeoutMs: number;
  /** Keys are refreshed after this long (botframework-connector: 24 h). */
  refreshAfterMs?: number;
  /** An unknown key id refreshes the keys at most this often (a rotated key), never per request. */
  unknownKeyRefreshMs?: number;
}

/**
 * The signing keys an OpenID issuer publishes, with their Bot Framework endorsements (which
 * jwks-rsa drops, hence this small cache). Failing to load them is retryable (a 500 for the channel),
 * never a refusal of the token.
 */
export class OpenIdSigningKeys {
  private keys: Map<string, SigningKey> | undefined;
  private loadedAt = 0;
  private loading: Promise<Map<string, SigningKey>> | undefined;

  constructor(private readonly options: OpenIdSigningKeysOptions) {}

  async get(kid: string): Promise<SigningKey | undefined> {
    const now = Date.now();
    if (!this.keys || now - this.loadedAt > (this.options.refreshAfterMs ?? 24 * 3_600_000)) await this.refresh();
    let key = this.keys?.get(kid);
    if (!key && now - this.loadedAt > (this.options.unknownKeyRefreshMs ?? 300_000)) {
      await this.refresh();
      key = this.keys?.get(kid);
    }
    return key;
  }

  private async refresh(): Promise<void> {
    this.loading ??= this.load().finally(() => (this.loading = undefined));
    this.keys = await this.loading;
    this.loadedAt = Date.now();
  }

  private async load(): Promise<Map<string, SigningKey>> {
    const metadata = (await this.fetchJson(this.options.metadataUrl)) as { jwks_uri?: unknown };
    if (typeof metadata.jwks_uri !== 'string') throw unavailable(`${this.options.metadataUrl} names no jwks_uri`);
    const jwks = (await this.fetchJson(metadata.jwks_uri)) as { keys?: unknown };
    const keys = new Map<string, SigningKey>();
    for (const jwk of Array.isArray(jwks.keys) ? (jwks.keys as (JsonWebKey & { kid?: unknown; endorsements?: unknown })[]) : []) {
      if (typeof jwk.kid !== 'string' || jwk.kty !== 'RSA') continue;
      try {
        keys.set(jwk.kid, {
          key: createPublicKey({ key: { kty: jwk.kty, n: jwk.n, e: jwk.e }, format: 'jwk' }),
          endorsements: Array.isArray(jwk.endorsements) ? jwk.endorsements.filter((e): e is string => typeof e === 'string') : [],
        });
      } catch {
        // An unreadable key is skipped; a token naming it is refused as signed by an unknown key.
      }
    }
    return keys;
  }

  private async fetchJson(url: string): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(this.options.timeoutMs) });
    } catch (error) {
      throw unavailable(`${url}: ${(error as Error).message}`, error);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw unavailable(`${url} answered ${response.status}`);
    }
    try {
      return await response.json();
    } catch (error) {
      throw unavailable(`${url} did not answer JSON`, error);
    }
  }
}

function unavailable(message: string, cause?: unknown): TalkbackError {
  return new TalkbackError('ServiceUnavailable', `could not load the token signing keys, retry: ${message}`, { cause });
}
