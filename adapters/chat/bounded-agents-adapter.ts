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
    return boundAgentsConnector(await super.createConnectorClient(serviceUrl, scope, identity, headers), this.bounds);
  }

  protected override async createConnectorClientWithIdentity(
    identity: JwtPayload,
    activity: Activity,
    headers?: HeaderPropagationCollection,
  ): Promise<ConnectorClient> {
    return boundAgentsConnector(await super.createConnectorClientWithIdentity(identity, activity, headers), this.bounds);
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
