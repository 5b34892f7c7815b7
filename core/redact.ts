/** What a secret is replaced with. */
export const REDACTED = '[redacted]';

/**
 * Below this length a "secret" is not cut: an empty string would split the text between every
 * character, and one of a few characters is no real key but would shred ordinary words.
 */
const MIN_SECRET_LENGTH = 4;

/**
 * `text` with every occurrence of each secret (a key, a connection string) replaced by
 * `[redacted]`, secrets applied in the order given.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  return secrets
    .filter((secret) => secret.length >= MIN_SECRET_LENGTH)
    .reduce((cut, secret) => cut.split(secret).join(REDACTED), text);
}
