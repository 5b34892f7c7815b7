import { ActivityHandler, TurnContext, type Activity } from 'botbuilder';
import { messageReceivedSchema, type MessageReceived } from '../core/events.js';
import { TalkbackError } from '../core/errors.js';
import { randomId } from '../core/ids.js';
import { chooseLanguage, type Language } from '../core/language.js';
import { toMessageReceived } from './message-event.js';
import { replies, tooLong } from '../core/replies.js';

export interface TalkbackBotOptions {
  /** Publishes the accepted message; a throw makes the turn fail so the channel retries it. */
  publish: (event: MessageReceived) => Promise<void>;
  maxMessageChars: number;
  now?: () => Date;
}

/**
 * Answers at once and hands the work to the bus: the reply "received" is sent only after the event
 * is durably published, so a customer never sees a confirmation for a message that was lost.
 */
export class TalkbackBot extends ActivityHandler {
  constructor(private readonly options: TalkbackBotOptions) {
    super();
    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      const joined = (context.activity.membersAdded ?? []).filter((m) => m.id !== botId);
      if (joined.length > 0) await context.sendActivity(replies.welcome[languageOf(context.activity, '')]);
      await next();
    });
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const text = (activity.text ?? '').trim();
    const language = languageOf(activity, text);
    if (text === '') {
      await context.sendActivity(replies.askForText[language]);
      return;
    }
    const length = [...text].length;
    if (length > this.options.maxMessageChars) {
      await context.sendActivity(tooLong(language, this.options.maxMessageChars, length));
      return;
    }
    const event = toMessageReceived({
      text,
      language,
      // A channel that sends no activity id cannot retry idempotently; give it a unique one.
      activityId: activity.id ?? randomId(),
      from: { id: activity.from?.id ?? 'unknown', name: activity.from?.name },
      reference: TurnContext.getConversationReference(activity),
      receivedAt: this.options.now?.() ?? new Date(),
    });
    const valid = messageReceivedSchema.safeParse(event);
    if (!valid.success) {
      throw new TalkbackError('BadRequest', `activity cannot become an event: ${valid.error.issues.map((i) => i.path.join('.')).join(', ')}`);
    }
    await this.options.publish(valid.data);
    await context.sendActivity(replies.received[language]);
  }
}

function languageOf(activity: Partial<Activity>, text: string): Language {
  return chooseLanguage(text, activity.locale ?? undefined);
}
