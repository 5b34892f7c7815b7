import { Activity, type ConversationReference } from '@microsoft/agents-activity';
import type { CloudAdapter } from '@microsoft/agents-hosting';
import { TalkbackError, isTalkbackError } from '../../core/errors.js';
import type { OutgoingActivity } from '../../core/audio-reply.js';
import { withDeadline } from '../../core/deadline.js';
import type { StoredConversationReference } from '../../core/events.js';
import type { ChatChannel } from '../ports.js';
import { agentsCloudAdapter, type AgentsCredentials } from './agents-auth-configuration.js';
import { translateConnectorError } from './translate-connector-error.js';

export interface AgentsChatChannelOptions extends AgentsCredentials {
  /**
   * Bound on one send, the token included. Default: with connector bounds (whose timeout bounds each
   * call to the channel and reports it to the endpoint guard), a second longer than theirs, a
   * backstop for the token request; without them 15 s.
   */
  timeoutMs?: number | undefined;
}

/**
 * Proactive sends on the Microsoft 365 Agents SDK (CloudAdapter.continueConversation → ConnectorClient),
 * to a conversation reference stored by either SDK.
 */
export class AgentsChatChannel implements ChatChannel {
  private readonly adapter: CloudAdapter;
  private readonly timeoutMs: number;

  constructor(private readonly options: AgentsChatChannelOptions) {
    this.adapter = agentsCloudAdapter(options);
    this.timeoutMs = options.timeoutMs ?? (options.connectorBounds ? options.connectorBounds.timeoutMs + 1_000 : 15_000);
  }

  async send(reference: StoredConversationReference, activity: OutgoingActivity): Promise<{ activityId?: string }> {
    let outgoing: Activity;
    try {
      outgoing = Activity.fromObject({ ...activity });
    } catch (error) {
      throw new TalkbackError('ReplyRejected', `the reply is not a valid activity: ${(error as Error).message}`, { cause: error });
    }
    // botbuilder stores the bot as `bot`, the Agents SDK as `agent`. Without the customer's activity id
    // the message is new in the conversation, as botbuilder sends it, not a reply to that activity.
    const { activityId: _replyTo, ...stored } = reference as StoredConversationReference & { bot?: unknown; agent?: unknown };
    // A reference without the bot's account is still one to send to (botbuilder sends without `from`).
    const agentsReference = { ...stored, agent: stored.agent ?? stored.bot ?? {} } as unknown as ConversationReference;
    // Without an app id the local host is anonymous: an identity without an audience sends no token.
    const identity = this.options.appId ? this.options.appId : {};
    let activityId: string | undefined;
    try {
      await withDeadline(
        this.adapter.continueConversation(identity, agentsReference, async (context) => {
          activityId = (await context.sendActivity(outgoing))?.id;
        }),
        this.timeoutMs,
        `chat reply timed out after ${this.timeoutMs} ms`,
      );
    } catch (error) {
      if (isTalkbackError(error)) throw error;
      // Its ConnectorClient throws an HttpError carrying the channel's status and headers: the same
      // translation as botbuilder's RestError.
      throw translateConnectorError(error);
    }
    return activityId ? { activityId } : {};
  }

  async close(): Promise<void> {}
}
