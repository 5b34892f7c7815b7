import { CloudAdapter, type ConfigurationBotFrameworkAuthenticationOptions, type TurnContext } from 'botbuilder';
import type { SendLimits } from '../adapters/ports.js';
import type { ServiceClientCredentialsFactory } from 'botframework-connector';
import type { ConnectorBounds } from '../adapters/chat/bounded-connector.js';
import type { FloodDecision } from '../core/flood-guard.js';
import type { Logger } from '../core/logger.js';
import { missingActivityFields } from './activity-fields.js';
import { BotAuthentication } from './bot-authentication.js';
import type { BotHttpRequest, BotHttpResponse, ChatEndpoint } from './chat-endpoint.js';
import { TalkbackBot, type TalkbackBotOptions } from './talkback-bot.js';
import { FLOOD_REFUSAL } from './talkback-turn.js';

export interface BotbuilderChatEndpointOptions extends TalkbackBotOptions {
  /** Empty: anonymous (local only). Set: every request must carry a valid Bot Framework token. */
  appId?: string | undefined;
  appPassword?: string | undefined;
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  tenantId?: string | undefined;
  logger: Logger;
  /** Extra Bot Framework auth settings (e.g. a test's OpenID metadata URL). */
  authOverrides?: ConfigurationBotFrameworkAuthenticationOptions | undefined;
  /**
   * How the bot obtains the token it sends to channels, and which app id inbound tokens must name.
   * Default: built from appId/appPassword/appType/tenantId (MSAL against Azure AD, or a managed identity).
   */
  credentialsFactory?: ServiceClientCredentialsFactory | undefined;
  /** The channels' per-conversation send limits, shared with the ChatChannel (Teams: 7/s, 60/30 s). */
  sendLimits?: SendLimits | undefined;
  /** Timeout, single attempt and per-endpoint limits of every call to a channel (the in-turn confirmation). */
  connectorBounds?: ConnectorBounds | undefined;
}

/** The bot behind botbuilder's CloudAdapter, reachable from any HTTP host through plain request/response values. */
export class BotbuilderChatEndpoint implements ChatEndpoint {
  readonly appId: string;
  private readonly adapter: CloudAdapter;
  private readonly bot: TalkbackBot;

  constructor(private readonly options: BotbuilderChatEndpointOptions) {
    this.appId = options.appId ?? '';
    const auth = new BotAuthentication(
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
    this.adapter.onTurnError = async (context, error) => {
      // The turn fails as a whole (the channel sees 500 and may retry with the same activity id).
      options.logger.error(
        { err: { message: error.message, name: error.name }, conversationId: context.activity.conversation?.id },
        'bot turn failed',
      );
      throw error;
    };
    this.bot = new TalkbackBot(options);
  }

  async process(request: BotHttpRequest): Promise<BotHttpResponse> {
    const missing = missingActivityFields(request.body);
    if (missing.length > 0) return { status: 400, body: `activity lacks ${missing.join(', ')}` };
    const response: BotHttpResponse = { status: 200 };
    const collector = {
      socket: undefined,
      status: (code: number) => void (response.status = code),
      header: () => undefined,
      send: (body: unknown) => void (response.body = typeof body === 'string' ? body : JSON.stringify(body)),
      end: () => undefined,
    };
    let flooded: FloodDecision | undefined;
    try {
      await this.adapter.process({ method: 'POST', ...request }, collector, async (context) => {
        await this.bot.run(this.limited(context));
        flooded = context.turnState.get<FloodDecision | undefined>(FLOOD_REFUSAL);
      });
    } catch (error) {
      // botbuilder validates the activity shape with zod and throws on a malformed one.
      this.options.logger.warn({ err: { message: (error as Error).message } }, 'rejected a malformed activity');
      return { status: 400, body: 'malformed activity' };
    }
    if (response.status >= 500) return { status: response.status, body: 'the message could not be accepted, retry' };
    if (flooded && !flooded.allowed) {
      return {
        status: 429,
        body: 'too many messages from this conversation; retry later',
        headers: { 'retry-after': String(Math.max(1, Math.ceil(flooded.retryAfterMs / 1000))) },
      };
    }
    if (response.status === 401) return { status: 401, body: 'unauthorized' };
    return response;
  }

  async close(): Promise<void> {}

  /** The turn's own replies ("received", welcome) count against the conversation's limits like proactive ones. */
  private limited(context: TurnContext): TurnContext {
    const limits = this.options.sendLimits;
    const channelId = context.activity.channelId;
    const conversationId = context.activity.conversation?.id;
    if (limits && channelId && conversationId) {
      context.onSendActivities((_context, _activities, next) => limits.run(channelId, conversationId, next));
    }
    return context;
  }
}
