import type { EndpointGuard } from '../../core/endpoint-guard.js';
import { TalkbackError } from '../../core/errors.js';

export interface ConnectorBounds {
  /** Longest a call to a channel may take (CHANNEL_TIMEOUT_MS); getting the bot's token is bounded by it too. */
  timeoutMs: number;
  /** Per-endpoint concurrency and the cool-down of an endpoint that timed out. */
  guard: EndpointGuard;
}

/**
 * One call to a channel endpoint under the bounds, whichever SDK's client makes it: it waits for a
 * slot when its endpoint is at its concurrency cap (the wait counts against its timeout), is refused
 * at once while the endpoint cools down after a timeout, and is aborted after `timeoutMs` (a
 * retryable Timeout). `statusOf` reads the HTTP status of an answer or of a failure that carries one.
 */
export async function boundedChannelCall<T>(
  url: string,
  bounds: ConnectorBounds,
  call: (signal: AbortSignal) => Promise<T>,
  statusOf: (outcome: { result: T } | { error: unknown }) => number | undefined,
): Promise<T> {
  const { timeoutMs, guard } = bounds;
  const endpoint = new URL(url).host;
  const started = Date.now();
  const admission = await guard.enter(endpoint, timeoutMs);
  if (!admission.admitted) {
    throw new TalkbackError(
      admission.reason === 'busy' ? 'Throttled' : 'ServiceUnavailable',
      admission.reason === 'busy'
        ? `channel endpoint ${endpoint} already has its share of calls in flight`
        : `channel endpoint ${endpoint} timed out recently; not calling it again yet`,
      { retryAfterMs: admission.retryAfterMs },
    );
  }
  const timer = new AbortController();
  const timeout = setTimeout(() => timer.abort(), Math.max(1, timeoutMs - (Date.now() - started)));
  try {
    const result = await call(timer.signal);
    admission.done((statusOf({ result }) ?? 200) >= 500 ? 'failed' : 'ok');
    return result;
  } catch (error) {
    // An answer that came just as the timer fired is still the channel's answer (a 4xx is not a timeout).
    if (timer.signal.aborted && statusOf({ error }) === undefined) {
      admission.done('timeout');
      throw new TalkbackError('Timeout', `channel endpoint ${endpoint} did not answer within ${timeoutMs} ms`);
    }
    const status = statusOf({ error });
    // A channel that answered with a 4xx is up; no answer or a 5xx counts against it.
    admission.done(status !== undefined && status < 500 ? 'ok' : 'failed');
    throw error;
  } finally {
    clearTimeout(timeout);
  }
}
