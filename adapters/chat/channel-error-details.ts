import { isTalkbackError } from '../../core/errors.js';
import { retryAfterMs } from '../../core/retry-after.js';

/** What the channel answered to a failed send, read from the error whichever SDK made the call. */
export interface ChannelErrorDetails {
  status?: number;
  /** The channel's error code and sub-code from the body, e.g. Teams' { code: 'Forbidden', subCode: 'MessageWritesBlocked' }. */
  codes: string[];
  retryAfterMs?: number;
}

type Shape = {
  statusCode?: unknown;
  status?: unknown;
  details?: unknown;
  response?: { status?: unknown; data?: unknown; parsedBody?: unknown; bodyAsText?: unknown; headers?: unknown };
  cause?: unknown;
};

/**
 * Reads status, error codes and Retry-After from a failed send: botbuilder's RestError (statusCode,
 * details = parsed body, response.headers.get), an axios-style error (response.status, response.data,
 * plain headers: the Agents SDK), or a TalkbackError wrapping either as its cause.
 */
export function channelErrorDetails(error: unknown): ChannelErrorDetails {
  const outer = error as Shape | undefined;
  const inner = (isTalkbackError(error) ? (outer?.cause as Shape | undefined) : outer) ?? {};
  const status = [inner.statusCode, inner.status, inner.response?.status].find((s): s is number => typeof s === 'number');
  const bodies = [inner.details, inner.response?.parsedBody, inner.response?.data, parseJson(inner.response?.bodyAsText)];
  const codes = new Set<string>();
  for (const body of bodies) collectCodes(body, codes);
  const after =
    (isTalkbackError(error) ? error.retryAfterMs : undefined) ?? retryAfterMs(header(inner.response?.headers, 'retry-after'));
  return { ...(status === undefined ? {} : { status }), codes: [...codes], ...(after === undefined ? {} : { retryAfterMs: after }) };
}

function collectCodes(body: unknown, into: Set<string>): void {
  if (typeof body !== 'object' || body === null) return;
  const error = (body as { error?: unknown }).error;
  for (const source of [body, error]) {
    if (typeof source !== 'object' || source === null) continue;
    for (const key of ['code', 'subCode', 'subcode']) {
      const value = (source as Record<string, unknown>)[key];
      if (typeof value === 'string' && value !== '') into.add(value);
    }
  }
}

function header(headers: unknown, name: string): unknown {
  if (typeof headers !== 'object' || headers === null) return undefined;
  const get = (headers as { get?: unknown }).get;
  if (typeof get === 'function') return (get as (n: string) => unknown).call(headers, name);
  return (headers as Record<string, unknown>)[name];
}

function parseJson(text: unknown): unknown {
  if (typeof text !== 'string') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
