import type { Activity } from '@microsoft/agents-activity';
import {
  CloudAdapter,
  HttpError,
  type AuthConfiguration,
  type ConnectorClient,
  type HeaderPropagationCollection,
  type HttpRequestConfig,
  type HttpResponse,
} from '@microsoft/agents-hosting';
import type { JwtPayload } from 'jsonwebtoken';
import { withDeadline } from '../../core/deadline.js';
import { boundedChannelCall, type ConnectorBounds } from './bounded-call.js';

/**
 * The Agents SDK's CloudAdapter with every connector call bounded as botbuilder's are
 * (bounded-connector.ts): its HttpClient is native fetch with no timeout unless the caller passes one,
 * and sendActivity passes none, so a channel that never answers held the in-turn ack and the proactive
 * reply forever. Each connector client it creates — for the turn (process) and for proactive sends
 * (continueConversation) — gets its requests under CHANNEL_TIMEOUT_MS and the per-endpoint guard.
 */
export class BoundedCloudAdapter extends CloudAdapter {
  constructor(
    config: AuthConfiguration,
    private readonly bounds: ConnectorBounds,
  ) {
    super(config);
  }

  protected override async createConnectorClient(
    serviceUrl: string,
    scope: string,
    identity: JwtPayload,
    headers?: HeaderPropagationCollection,
  ): Promise<ConnectorClient> {
    return boundAgentsConnector(await this.tokenBounded(super.createConnectorClient(serviceUrl, scope, identity, headers), serviceUrl), this.bounds);
  }

  protected override async createConnectorClientWithIdentity(
    identity: JwtPayload,
    activity: Activity,
    headers?: HeaderPropagationCollection,
  ): Promise<ConnectorClient> {
    return boundAgentsConnector(
      await this.tokenBounded(super.createConnectorClientWithIdentity(identity, activity, headers), activity.serviceUrl ?? ''),
      this.bounds,
    );
  }

  /**
   * Creating a client fetches the bot's token first (MSAL over fetch, no timeout of its own): that
   * wait is bounded by the same CHANNEL_TIMEOUT_MS, so a stalled token endpoint cannot hold an
   * inbound request (the ack) or a reply slot for minutes.
   */
  private tokenBounded(creating: Promise<ConnectorClient>, serviceUrl: string): Promise<ConnectorClient> {
    return withDeadline(creating, this.bounds.timeoutMs, `no token for the channel ${safeHost(serviceUrl)} within ${this.bounds.timeoutMs} ms`);
  }
}

function boundAgentsConnector(client: ConnectorClient, bounds: ConnectorBounds): ConnectorClient {
  const http = client.httpClient;
  const request = http.request.bind(http);
  http.request = <T>(config: HttpRequestConfig): Promise<HttpResponse<T>> =>
    boundedChannelCall(
      new URL(config.url, http.baseURL || undefined).href,
      bounds,
      (signal) => request<T>({ ...config, signal: config.signal ? AbortSignal.any([config.signal, signal]) : signal }),
      (outcome) => ('result' in outcome ? outcome.result.status : outcome.error instanceof HttpError ? outcome.error.status : undefined),
    );
  return client;
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'unknown';
  }
}
