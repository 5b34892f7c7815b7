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
  /** Makes the channel accept the conversation's next sends and never answer (the channel's send times out). */
  hang(conversationId: string): void;
}

/** The bound on one send every implementation under test is built with: a hanging channel fails after this (generous: a shared, busy machine). */
export const CONTRACT_SEND_TIMEOUT_MS = 3_000;

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

    // A 4xx other than 408, 412 and 429 fails the same way again: never retried.
    it.each([
      [400, 'ReplyRejected'],
      [403, undefined],
      [404, 'NotFound'],
      [413, 'ReplyRejected'],
    ] as const)('classifies %s as permanent', async (status, code) => {
      side.refuse(`conv-${status}`, status, { 'retry-after': '7' });
      const failed = channel.send(side.reference(`conv-${status}`), activity);
      // 403: Unauthorized from a channel, ConversationBlocked where the channel rules recognise a blocked bot.
      await expect(failed).rejects.toMatchObject({ name: 'TalkbackError', retryable: false, ...(code ? { code } : {}) });
      expect(await side.received(`conv-${status}`)).toEqual([]);
    });

    it.each([
      [429, 'Throttled'],
      [412, 'Busy'],
      [500, 'ServiceUnavailable'],
      [502, 'ServiceUnavailable'],
      [503, 'ServiceUnavailable'],
    ] as const)('classifies %s as retryable, after the channel\'s Retry-After', async (status, code) => {
      side.refuse(`conv-${status}`, status, { 'retry-after': '7' });
      await expect(channel.send(side.reference(`conv-${status}`), activity)).rejects.toMatchObject({
        name: 'TalkbackError',
        code,
        retryable: true,
        retryAfterMs: 7_000,
      });
      expect(await side.received(`conv-${status}`)).toEqual([]);
    });

    it('classifies a retryable answer without Retry-After as retryable on the policy\'s backoff', async () => {
      side.refuse('conv-down', 503);
      const failed = await channel.send(side.reference('conv-down'), activity).catch((error: unknown) => error);
      expect(failed).toMatchObject({ name: 'TalkbackError', code: 'ServiceUnavailable', retryable: true, retryAfterMs: undefined });
    });

    it('classifies a channel that never answers as a retryable Timeout', async () => {
      side.hang('conv-hanging');
      await expect(channel.send(side.reference('conv-hanging'), activity)).rejects.toMatchObject({ name: 'TalkbackError', code: 'Timeout', retryable: true });
    });
  });
}
