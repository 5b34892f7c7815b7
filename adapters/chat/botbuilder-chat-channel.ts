import { CloudAdapter, type ConfigurationBotFrameworkAuthenticationOptions, type ConversationReference } from 'botbuilder';
import type { ServiceClientCredentialsFactory } from 'botframework-connector';
import type { ConnectorBounds } from './bounded-connector.js';
import { ReusedClientsAuthentication } from './reused-clients-authentication.js';
import type { OutgoingActivity } from '../../core/audio-reply.js';
import type { StoredConversationReference } from '../../core/events.js';
import type { ChatChannel } from '../ports.js';
import { translateConnectorError } from './translate-connector-error.js';

export interface BotbuilderChatChannelOptions {
  /** Empty: anonymous (local channels such as the Emulator only). */
  appId?: string | undefined;
  appPassword?: string | undefined;
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  tenantId?: string | undefined;
  authOverrides?: ConfigurationBotFrameworkAuthenticationOptions | undefined;
  /** How the outbound token is obtained (default: from the app id and password, or a managed identity). */
  credentialsFactory?: ServiceClientCredentialsFactory | undefined;
  /** Timeout, single attempt and per-endpoint limits of every call (see bounded-connector.ts). */
  connectorBounds?: ConnectorBounds | undefined;
}

/** Proactive sends through botbuilder's CloudAdapter and the channel's Bot Connector REST API. */
export class BotbuilderChatChannel implements ChatChannel {
  private readonly adapter: CloudAdapter;
  private readonly appId: string;

  constructor(options: BotbuilderChatChannelOptions) {
    this.appId = options.appId ?? '';
    const auth = new ReusedClientsAuthentication(
      {
        MicrosoftAppId: this.appId,
        MicrosoftAppPassword: options.appPassword ?? '',
        MicrosoftAppType: options.appType,
        MicrosoftAppTenantId: options.tenantId ?? '',
        ...options.authOverrides,
      },
      options.credentialsFactory,
      options.connectorBounds,
    );
    this.adapter = new CloudAdapter(auth);
  }

  async send(reference: StoredConversationReference, activity: OutgoingActivity): Promise<{ activityId?: string }> {
    let activityId: string | undefined;
    try {
      await this.adapter.continueConversationAsync(this.appId, reference as unknown as Partial<ConversationReference>, async (context) => {
        activityId = (await context.sendActivity(activity))?.id;
      });
    } catch (error) {
      throw translateConnectorError(error);
    }
    return activityId === undefined ? {} : { activityId };
  }

  async close(): Promise<void> {}
}
