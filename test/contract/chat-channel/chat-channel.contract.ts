import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatChannel } from '../../../adapters/ports.js';
import { audioReplyActivity } from '../../../core/audio-reply.js';
import type { StoredConversationReference } from '../../../core/events.js';

/** What a test can observe and arrange on the other side of the channel. */
export interface ChatChannelSide {
  /** The conversation reference of a conversation the channel knows. */
  reference(conversationId: string): StoredConversationReference;
  /** The activities the channel received for a conversation, as Bot Framework JSON. */
  received(conversationId: string): Promise<{ type?: string; text?: string; attachments?: { contentType: string; contentUrl?: string; content?: unknown }[] }[]>;
  /** Makes the channel refuse the conversation's next sends with this HTTP status (and headers). */
  refuse(conversationId: string, status: number, headers?: Record<string, string>): void;
}

export interface ChatChannelContractOptions {
  name: string;
  create(): Promise<{ channel: ChatChannel; side: ChatChannelSide; cleanup(): Promise<void> }>;
  skip?: string;
}

// Web Chat's reply is the richest: the Listen card and the audio attachment; both must arrive whole.
const activity = audioReplyActivity({ channelId: 'webchat', language: 'en', audioUrl: 'http://127.0.0.1:1/audio/a.mp3', fileName: 'a.mp3' });

export function runChatChannelContract(options: ChatChannelContractOptions): void {
  describe.skipIf(options.skip !== undefined)(`ChatChannel contract: ${options.name}${options.skip ? ` (skipped: ${options.skip})` : ''}`, () => {
    let channel: ChatChannel;
    let side: ChatChannelSide;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ channel, side, cleanup } = await options.create());
    });
    afterEach(async () => {
      await channel.close();
      await cleanup();
    });

    it('delivers the activity to the conversation, and only to it', async () => {
      await channel.send(side.reference('conv-a'), activity);
      const received = await side.received('conv-a');
      expect(received).toHaveLength(1);
      expect(received[0]).toMatchObject({ type: 'message', text: activity.text });
      expect(received[0]?.attachments).toHaveLength(2);
      expect(received[0]?.attachments?.[0]).toMatchObject({
        contentType: 'application/vnd.microsoft.card.hero',
        content: { buttons: [{ type: 'openUrl', title: 'Listen', value: 'http://127.0.0.1:1/audio/a.mp3' }] },
      });
      expect(received[0]?.attachments?.[1]).toMatchObject({ contentType: 'audio/mpeg', contentUrl: 'http://127.0.0.1:1/audio/a.mp3' });
      expect(await side.received('conv-b')).toEqual([]);
    });

    it('classifies a blocked bot (403) and a gone conversation (404) as permanent', async () => {
      side.refuse('conv-blocked', 403);
      side.refuse('conv-gone', 404);
      await expect(channel.send(side.reference('conv-blocked'), activity)).rejects.toMatchObject({ name: 'TalkbackError', retryable: false });
      await expect(channel.send(side.reference('conv-gone'), activity)).rejects.toMatchObject({ name: 'TalkbackError', code: 'NotFound', retryable: false });
    });

    it('classifies throttling (429, with its Retry-After), 412 and 5xx as retryable', async () => {
      side.refuse('conv-throttled', 429, { 'retry-after': '7' });
      side.refuse('conv-busy', 412);
      side.refuse('conv-down', 503);
      await expect(channel.send(side.reference('conv-throttled'), activity)).rejects.toMatchObject({
        code: 'Throttled',
        retryable: true,
        retryAfterMs: 7_000,
      });
      await expect(channel.send(side.reference('conv-busy'), activity)).rejects.toMatchObject({ retryable: true });
      await expect(channel.send(side.reference('conv-down'), activity)).rejects.toMatchObject({ code: 'ServiceUnavailable', retryable: true });
      for (const id of ['conv-throttled', 'conv-busy', 'conv-down']) expect(await side.received(id)).toEqual([]);
    });
  });
}
