import { messageReceivedSchema, type MessageReceived } from '../core/events.js';
import { TalkbackError } from '../core/errors.js';
import { randomId } from '../core/ids.js';
import type { FloodDecision } from '../core/flood-guard.js';
import { chooseLanguage, type Language } from '../core/language.js';
import type { Logger } from '../core/logger.js';
import { translateConnectorError } from '../adapters/chat/translate-connector-error.js';
import { toMessageReceived, type ConversationReferenceData } from './message-event.js';
import { replies, tooLong } from '../core/replies.js';

export interface TalkbackBotOptions {
  /** Publishes the accepted message; a throw makes the turn fail so the channel retries it. */
  publish: (event: MessageReceived) => Promise<void>;
  maxMessageChars: number;
  now?: () => Date;
  logger?: Logger | undefined;
  /** The per-conversation flood guard: an over-limit message is refused before anything is published. */
  admit?: ((conversationKey: string) => FloodDecision) | undefined;
}

/** Where a bot keeps the flood guard's refusal on the turn; the endpoint answers 429 with Retry-After. */
export const FLOOD_REFUSAL = Symbol('talkback.floodRefusal');

interface Account {
  id?: string | undefined;
  name?: string | undefined;
}

/** The fields of an inbound activity the bot reads, the same on botbuilder and the Agents SDK. */
export interface TurnActivity {
  type?: string | undefined;
  id?: string | undefined;
  text?: string | undefined;
  locale?: string | undefined;
  channelId?: string | undefined;
  serviceUrl?: string | undefined;
  from?: Account | undefined;
  recipient?: Account | undefined;
  conversation?: { id?: string | undefined } | undefined;
  membersAdded?: Account[] | undefined;
}

/** One inbound turn as either SDK presents it: the activity, and a way to answer in the conversation. */
export interface Turn {
  activity: TurnActivity;
  send(text: string): Promise<void>;
}

/**
 * What the bot does, whichever SDK runs it. It answers at once and hands the work to the bus: the
 * reply "received" is sent only after the event is durably published, so a customer never sees a
 * confirmation for a message that was lost.
 */
export class TalkbackTurns {
  constructor(private readonly options: TalkbackBotOptions) {}

  /** Handles a message; returns the flood guard's refusal when the message was refused. */
  async onMessage(turn: Turn): Promise<Extract<FloodDecision, { allowed: false }> | undefined> {
    const activity = turn.activity;
    const text = (activity.text ?? '').trim();
    const language = languageOf(activity, text);
    const decision = this.options.admit?.(`${activity.channelId ?? ''}|${activity.conversation?.id ?? ''}`);
    if (decision && !decision.allowed) {
      // One polite reply per window; every other refused message is answered by the 429 alone.
      if (decision.notify) await this.sendQuietly(turn, replies.slowDown[language], 'slow-down reply');
      return decision;
    }
    if (text === '') {
      await turn.send(replies.askForText[language]);
      return undefined;
    }
    const length = [...text].length;
    if (length > this.options.maxMessageChars) {
      await turn.send(tooLong(language, this.options.maxMessageChars, length));
      return undefined;
    }
    const event = toMessageReceived({
      text,
      language,
      // A channel that sends no activity id cannot retry idempotently; give it a unique one.
      activityId: activity.id ?? randomId(),
      from: { id: activity.from?.id ?? 'unknown', name: activity.from?.name },
      reference: conversationReferenceOf(activity),
      receivedAt: this.options.now?.() ?? new Date(),
    });
    const valid = messageReceivedSchema.safeParse(event);
    if (!valid.success) {
      throw new TalkbackError('BadRequest', `activity cannot become an event: ${valid.error.issues.map((i) => i.path.join('.')).join(', ')}`);
    }
    await this.options.publish(valid.data);
    // Published: the message will be processed whatever happens to this confirmation, so a failed
    // confirmation is logged, not turned into "not accepted, retry" (the channel would get a lie).
    await this.sendQuietly(turn, replies.received[language], 'confirmation', { eventId: valid.data.id });
    return undefined;
  }

  private async sendQuietly(turn: Turn, text: string, what: string, fields: Record<string, string> = {}): Promise<void> {
    try {
      await turn.send(text);
    } catch (caught) {
      const error = translateConnectorError(caught);
      this.options.logger?.warn(
        { function: 'messages', conversationId: turn.activity.conversation?.id, ...fields, code: error.code, err: error.message.split('\n')[0] },
        `${what} to the channel failed`,
      );
    }
  }

  async onMembersAdded(turn: Turn): Promise<void> {
    const botId = turn.activity.recipient?.id;
    const joined = (turn.activity.membersAdded ?? []).filter((m) => m.id !== botId);
    if (joined.length > 0) await turn.send(replies.welcome[languageOf(turn.activity, '')]);
  }
}

/**
 * The conversation reference stored with the event, in botbuilder's shape (TurnContext
 * .getConversationReference): a reference taken by either SDK can be answered by either.
 */
export function conversationReferenceOf(activity: TurnActivity): ConversationReferenceData {
  const noActivityId = activity.type === 'conversationUpdate' && (activity.channelId === 'directline' || activity.channelId === 'webchat');
  return {
    activityId: noActivityId ? undefined : activity.id,
    user: activity.from ? { ...activity.from } : undefined,
    bot: activity.recipient ? { ...activity.recipient } : undefined,
    conversation: activity.conversation ? { ...activity.conversation } : undefined,
    channelId: activity.channelId,
    locale: activity.locale,
    serviceUrl: activity.serviceUrl,
  };
}

function languageOf(activity: TurnActivity, text: string): Language {
  return chooseLanguage(text, activity.locale ?? undefined);
}
