import type { CloudAdapter, TurnContext } from '@microsoft/agents-hosting';
import { Activity } from '@microsoft/agents-activity';
import type { JwtPayload } from 'jsonwebtoken';
import { agentsCloudAdapter, type AgentsCredentials } from '../../adapters/chat/agents-auth-configuration.js';
import type { SendLimits } from '../../adapters/ports.js';
import { isTalkbackError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { missingActivityFields } from '../activity-fields.js';
import type { BotHttpRequest, BotHttpResponse, ChatEndpoint } from '../chat-endpoint.js';
import { FLOOD_REFUSAL, type TalkbackBotOptions } from '../talkback-turn.js';
import type { FloodDecision } from '../../core/flood-guard.js';
import { AgentsTalkbackBot } from './agents-talkback-bot.js';
import { BotFrameworkToken } from './bot-framework-token.js';

export interface AgentsChatEndpointOptions extends TalkbackBotOptions, AgentsCredentials {
  logger: Logger;
  /** Where channel and Emulator signing keys are published (tests: a local OpenID server). */
  openIdMetadata?: { channel?: string | undefined; emulator?: string | undefined } | undefined;
  /** The channels' per-conversation send limits, shared with the ChatChannel (Teams: 7/s, 60/30 s). */
  sendLimits?: SendLimits | undefined;
}

/**
 * The inbound turn on the Microsoft 365 Agents SDK, behind plain request/response values. Unlike botbuilder's,
 * this CloudAdapter.process does not check the caller's token: every request is checked here first
 * (BotFrameworkToken) whenever an app id is configured; without one the bot is anonymous, which the
 * local host allows on loopback only and the Functions app never.
 */
export class AgentsChatEndpoint implements ChatEndpoint {
  readonly appId: string;
  private readonly adapter: CloudAdapter;
  private readonly bot: AgentsTalkbackBot;
  private readonly token: BotFrameworkToken | undefined;

  constructor(private readonly options: AgentsChatEndpointOptions) {
    this.appId = options.appId ?? '';
    this.adapter = agentsCloudAdapter(options);
    this.bot = new AgentsTalkbackBot(options);
    this.token = this.appId
      ? new BotFrameworkToken({
          appId: this.appId,
          tenantId: options.tenantId,
          channelOpenIdMetadataUrl: options.openIdMetadata?.channel,
          emulatorOpenIdMetadataUrl: options.openIdMetadata?.emulator,
        })
      : undefined;
  }

  async process(request: BotHttpRequest): Promise<BotHttpResponse> {
    const missing = missingActivityFields(request.body);
    if (missing.length > 0) return { status: 400, body: `activity lacks ${missing.join(', ')}` };
    try {
      Activity.fromObject(request.body);
    } catch (error) {
      this.options.logger.warn({ err: { message: (error as Error).message } }, 'rejected a malformed activity');
      return { status: 400, body: 'malformed activity' };
    }
    let identity: JwtPayload | undefined;
    if (this.token) {
      try {
        const claims = await this.token.verify(request.headers['authorization'], {
          channelId: request.body['channelId'] as string,
          serviceUrl: request.body['serviceUrl'] as string,
        });
        // The caller is a channel (or the Emulator), never another bot: without appid/azp the SDK
        // asks for its outbound token for the Bot Framework scope.
        identity = { aud: this.appId, iss: claims.iss, ...(typeof claims['serviceurl'] === 'string' ? { serviceurl: claims['serviceurl'] } : {}) };
      } catch (error) {
        if (isTalkbackError(error) && error.code === 'Unauthorized') {
          this.options.logger.warn({ reason: error.message }, 'refused an activity');
          return { status: 401, body: 'unauthorized' };
        }
        this.options.logger.error({ err: { message: (error as Error).message } }, 'could not check a token');
        return { status: 500, body: 'the message could not be accepted, retry' };
      }
    }
    const response: BotHttpResponse = { status: 200 };
    const collector = {
      headersSent: false,
      writableEnded: false,
      status(code: number) {
        response.status = code;
        return this;
      },
      setHeader() {
        return this;
      },
      send(body?: unknown) {
        if (body !== undefined) response.body = typeof body === 'string' ? body : JSON.stringify(body);
        return this;
      },
      end() {
        this.writableEnded = true;
        return this;
      },
    };
    let flooded: FloodDecision | undefined;
    try {
      await this.adapter.process({ method: 'POST', headers: request.headers, body: request.body, user: identity }, collector, async (context) => {
        await this.bot.run(this.limited(context));
        flooded = context.turnState.get<FloodDecision | undefined>(FLOOD_REFUSAL);
      });
    } catch (error) {
      // The turn fails as a whole (the channel sees 500 and may retry with the same activity id).
      this.options.logger.error(
        { err: { message: (error as Error).message, name: (error as Error).name }, conversationId: (request.body['conversation'] as { id?: string }).id },
        'bot turn failed',
      );
      return { status: 500, body: 'the message could not be accepted, retry' };
    }
    if (response.status >= 500) return { status: response.status, body: 'the message could not be accepted, retry' };
    if (flooded && !flooded.allowed) {
      return {
        status: 429,
        body: 'too many messages from this conversation; retry later',
        headers: { 'retry-after': String(Math.max(1, Math.ceil(flooded.retryAfterMs / 1000))) },
      };
    }
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
