import { messageReceivedSchema, type MessageReceived } from '../core/events.js';
import { TalkbackError } from '../core/errors.js';
import { randomId } from '../core/ids.js';
import { chooseLanguage, type Language } from '../core/language.js';
import { toMessageReceived, type ConversationReferenceData } from './message-event.js';
import { replies, tooLong } from '../core/replies.js';

export interface TalkbackBotOptions {
  /** Publishes the accepted message; a throw makes the turn fail so the channel retries it. */
  publish: (event: MessageReceived) => Promise<void>;
  maxMessageChars: number;
  now?: () => Date;
}

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

  async onMessage(turn: Turn): Promise<void> {
    const activity = turn.activity;
    const text = (activity.text ?? '').trim();
    const language = languageOf(activity, text);
    if (text === '') {
      await turn.send(replies.askForText[language]);
      return;
    }
    const length = [...text].length;
    if (length > this.options.maxMessageChars) {
      await turn.send(tooLong(language, this.options.maxMessageChars, length));
      return;
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
    await turn.send(replies.received[language]);
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
