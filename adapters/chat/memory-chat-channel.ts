import type { OutgoingActivity } from '../../core/audio-reply.js';
import { TalkbackError } from '../../core/errors.js';
import type { StoredConversationReference } from '../../core/events.js';
import type { ChatChannel } from '../ports.js';

export interface SentActivity {
  conversationId: string;
  activity: OutgoingActivity;
  activityId: string;
}

/** The in-memory ChatChannel for tests: keeps what was sent; a conversation can be made to fail. */
export class MemoryChatChannel implements ChatChannel {
  readonly sent: SentActivity[] = [];
  private readonly failures = new Map<string, TalkbackError>();
  private counter = 0;

  /** The next sends to this conversation throw `error` (a TalkbackError as a real channel's would be classified). */
  failFor(conversationId: string, error: TalkbackError | undefined): void {
    if (error) this.failures.set(conversationId, error);
    else this.failures.delete(conversationId);
  }

  async send(reference: StoredConversationReference, activity: OutgoingActivity): Promise<{ activityId?: string }> {
    const conversationId = reference.conversation.id;
    const failure = this.failures.get(conversationId);
    if (failure) throw failure;
    if (!reference.serviceUrl) throw new TalkbackError('ReplyRejected', 'the conversation reference has no serviceUrl');
    this.counter += 1;
    const activityId = `memory-${this.counter}`;
    this.sent.push({ conversationId, activity: structuredClone(activity), activityId });
    return { activityId };
  }

  async close(): Promise<void> {}
}
