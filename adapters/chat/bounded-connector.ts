import type { ConnectorClient } from 'botframework-connector';
import { TalkbackError } from '../../core/errors.js';
import { boundedChannelCall, type ConnectorBounds } from './bounded-call.js';

export type { ConnectorBounds } from './bounded-call.js';

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
  // An installation that does not fit: retried, so that messages go through once a fixed build is deployed.
  if (!pipeline) throw new TalkbackError('Internal', 'botframework-connector no longer exposes its request pipeline');
  pipeline.removePolicy({ phase: 'Retry' });
  pipeline.addPolicy(boundedCallPolicy(bounds), { phase: 'Retry' });
  return client;
}

function boundedCallPolicy(bounds: ConnectorBounds): PipelinePolicy {
  return {
    name: 'talkbackBoundedCall',
    sendRequest(request, next) {
      safeHeaders(request.headers);
      return boundedChannelCall(
        request.url,
        bounds,
        (signal) => {
          request.abortSignal = request.abortSignal ? AbortSignal.any([request.abortSignal, signal]) : signal;
          request.timeout = bounds.timeoutMs;
          return next(request);
        },
        (outcome) => ('result' in outcome ? outcome.result.status : undefined),
      );
    },
  };
}

/** Node refuses header values with control characters or beyond Latin-1; such values are sent percent-encoded. */
function safeHeaders(headers: PipelineRequest['headers']): void {
  const unsafe: [string, string][] = [];
  for (const [name, value] of headers) if (/[^\t\u0020-\u007e\u0080-\u00ff]/.test(value)) unsafe.push([name, value]);
  for (const [name, value] of unsafe) headers.set(name, encodeURIComponent(value));
}
