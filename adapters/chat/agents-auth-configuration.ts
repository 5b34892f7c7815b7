import {
  AuthType,
  CloudAdapter,
  ConnectionManager,
  type AuthConfiguration,
  type AuthProvider,
} from '@microsoft/agents-hosting';
import { BoundedCloudAdapter } from './bounded-agents-adapter.js';
import type { ConnectorBounds } from './bounded-call.js';

export interface AgentsCredentials {
  /** Empty: anonymous (the local host on loopback only). */
  appId?: string | undefined;
  appPassword?: string | undefined;
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  tenantId?: string | undefined;
  /**
   * How the bot obtains its outbound token. Default: the Agents SDK's MsalTokenProvider for these
   * settings (client credentials against Entra ID, or the managed identity). Tests: a local token endpoint.
   */
  authProviderFactory?: ((config: AuthConfiguration) => AuthProvider) | undefined;
  /** CHANNEL_TIMEOUT_MS and the per-endpoint guard on every connector call (acks and replies). */
  connectorBounds?: ConnectorBounds | undefined;
}

const CONNECTION = 'serviceConnection';

/**
 * The Agents SDK's connection settings from talkback's validated config, never from process.env
 * (CloudAdapter would otherwise read clientId/MicrosoftAppId itself). A multi-tenant bot gets its
 * token from the botframework.com tenant, as botbuilder does.
 */
export function agentsAuthConfiguration(credentials: AgentsCredentials): AuthConfiguration {
  if (!credentials.appId) return {};
  const connection: AuthConfiguration = {
    clientId: credentials.appId,
    tenantId: credentials.appType === 'MultiTenant' ? 'botframework.com' : credentials.tenantId,
    authorityEndpoint: 'https://login.microsoftonline.com',
    ...(credentials.appType === 'UserAssignedMSI'
      ? { authType: AuthType.UserManagedIdentity }
      : { authType: AuthType.ClientSecret, clientSecret: credentials.appPassword }),
  };
  return {
    ...connection,
    connections: new Map([[CONNECTION, connection]]),
    connectionsMap: [{ serviceUrl: '*', connection: CONNECTION }],
  };
}

/** A CloudAdapter on these credentials whose turn errors propagate to the caller (no apology messages sent). */
export function agentsCloudAdapter(credentials: AgentsCredentials): CloudAdapter {
  const config = agentsAuthConfiguration(credentials);
  const adapter = credentials.connectorBounds ? new BoundedCloudAdapter(config, credentials.connectorBounds) : new CloudAdapter(config);
  if (credentials.authProviderFactory && config.connections) {
    adapter.connectionManager = new ConnectionManager(credentials.authProviderFactory, config.connections, config.connectionsMap);
  }
  adapter.onTurnError = async (_context, error) => {
    throw error;
  };
  return adapter;
}
