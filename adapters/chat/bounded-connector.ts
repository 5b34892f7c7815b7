import type { ConnectorClient } from 'botframework-connector';
import type { EndpointGuard } from '../../core/endpoint-guard.js';
import { TalkbackError } from '../../core/errors.js';

export interface ConnectorBounds {
  /** Longest a call to a channel may take, token included (CHANNEL_TIMEOUT_MS). */
  timeoutMs: number;
  /** Per-endpoint concurrency and the cool-down of an endpoint that timed out. */
  guard: EndpointGuard;
}

/** The parts of @azure/core-rest-pipeline's request, response and pipeline used here (no SDK import outside adapters/). */
interface PipelineRequest {
  url: string;
  timeout: number;
  abortSignal?: AbortSignal;
  headers: { set(name: string, value: string): void } & Iterable<[string, string]>;
}
interface PipelineResponse {
  status: number;
}
interface PipelinePolicy {
  name: string;
  sendRequest(request: PipelineRequest, next: (request: PipelineRequest) => Promise<PipelineResponse>): Promise<PipelineResponse>;
}
interface Pipeline {
  addPolicy(policy: PipelinePolicy, options?: { phase?: 'Serialize' | 'Deserialize' | 'Retry' | 'Sign' }): void;
  removePolicy(options: { phase?: string; name?: string }): unknown;
}

/**
 * Makes a connector client's calls bounded and single: botbuilder's client retries a failed call
 * three more times by itself (the Azure SDK's default retry policy) and sets no timeout, so a dead
 * channel held a worker for minutes and a failing one got four requests per delivery. Our failure
 * policy is the only one: the retry policy is removed and in its place each call
 *  - waits for a slot when its endpoint is at its concurrency cap, and is refused at once while the
 *    endpoint cools down after a timeout;
 *  - is aborted after `timeoutMs` (a retryable Timeout), the token request included;
 *  - carries only header values Node can send (a conversation id beyond Latin-1 is percent-encoded).
 */
export function boundConnector(client: ConnectorClient, bounds: ConnectorBounds): ConnectorClient {
  const pipeline = (client as unknown as { client?: { pipeline?: Pipeline } }).client?.pipeline;
  if (!pipeline) throw new TalkbackError('Internal', 'botframework-connector no longer exposes its request pipeline', { retryable: false });
  pipeline.removePolicy({ phase: 'Retry' });
  pipeline.addPolicy(boundedCallPolicy(bounds), { phase: 'Retry' });
  return client;
}

function boundedCallPolicy({ timeoutMs, guard }: ConnectorBounds): PipelinePolicy {
  return {
    name: 'talkbackBoundedCall',
    async sendRequest(request, next) {
      const endpoint = new URL(request.url).host;
      // Waiting for a slot of a busy endpoint counts against the call's own timeout.
      const started = Date.now();
      const admission = await guard.enter(endpoint, timeoutMs);
      if (!admission.admitted) {
        throw new TalkbackError(
          admission.reason === 'busy' ? 'Throttled' : 'ServiceUnavailable',
          admission.reason === 'busy'
            ? `channel endpoint ${endpoint} already has its share of calls in flight`
            : `channel endpoint ${endpoint} timed out recently; not calling it again yet`,
          { retryable: true, retryAfterMs: admission.retryAfterMs },
        );
      }
      safeHeaders(request.headers);
      const timer = new AbortController();
      const timeout = setTimeout(() => timer.abort(), Math.max(1, timeoutMs - (Date.now() - started)));
      request.abortSignal = request.abortSignal ? AbortSignal.any([request.abortSignal, timer.signal]) : timer.signal;
      request.timeout = timeoutMs;
      try {
        const response = await next(request);
        admission.done(response.status >= 500 ? 'failed' : 'ok');
        return response;
      } catch (error) {
        if (timer.signal.aborted) {
          admission.done('timeout');
          throw new TalkbackError('Timeout', `channel endpoint ${endpoint} did not answer within ${timeoutMs} ms`, { retryable: true });
        }
        admission.done('failed');
        throw error;
      } finally {
        clearTimeout(timeout);
      }
    },
  };
}

/** Node refuses header values with control characters or beyond Latin-1; such values are sent percent-encoded. */
function safeHeaders(headers: PipelineRequest['headers']): void {
  const unsafe: [string, string][] = [];
  for (const [name, value] of headers) if (/[^\t\u0020-\u007e\u0080-\u00ff]/.test(value)) unsafe.push([name, value]);
  for (const [name, value] of unsafe) headers.set(name, encodeURIComponent(value));
}
