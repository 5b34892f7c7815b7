import { CardFactory as AgentsCardFactory } from '@microsoft/agents-hosting';
import { CardFactory as BotbuilderCardFactory } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { audioReplyActivity, audioReplyFormat } from '../../../core/audio-reply.js';
import { replySentSchema } from '../../../core/events.js';
import { replySentEvent } from '../../support/events.js';

const url = 'http://127.0.0.1:10000/devstoreaccount1/talkback/audio/x.mp3?sig=abc';

const SDKS = [
  ['botbuilder', BotbuilderCardFactory],
  ['agents', AgentsCardFactory],
] as const;

/** The card each SDK's CardFactory builds: a hero card whose one button opens the audio's link. */
const listenCard = (factory: (typeof SDKS)[number][1], title: string) =>
  factory.heroCard('', undefined, [{ type: 'openUrl', title, value: url }]);

describe('the audio reply', () => {
  it.each(SDKS)('is a Listen card plus the audio/mpeg attachment on Facebook, Web Chat, Direct Line (card JSON as %s builds it)', (_sdk, factory) => {
    for (const channelId of ['facebook', 'webchat', 'directline']) {
      const activity = audioReplyActivity({ channelId, language: 'ko', audioUrl: url, fileName: 'x.mp3' });
      expect(audioReplyFormat(channelId)).toBe('card-and-attachment');
      expect(activity.text).toBe('메시지를 음성으로 들어 보세요.');
      expect(activity.attachments).toHaveLength(2);
      const expected = listenCard(factory, '듣기');
      expect(activity.attachments?.[0]?.contentType).toBe(expected.contentType);
      expect(activity.attachments?.[0]?.content).toEqual({ buttons: [{ type: 'openUrl', title: '듣기', value: url }] });
      expect((expected.content as { buttons: unknown[] }).buttons).toEqual([{ type: 'openUrl', title: '듣기', value: url }]);
      expect(activity.attachments?.[1]).toEqual({ contentType: 'audio/mpeg', contentUrl: url, name: 'x.mp3' });
    }
  });

  it.each(SDKS)('is the card alone on Teams, the emulator channel and unknown channels (card JSON as %s builds it)', (_sdk, factory) => {
    for (const channelId of ['msteams', 'emulator', 'slack']) {
      const activity = audioReplyActivity({ channelId, language: 'en', audioUrl: url, fileName: 'x.mp3' });
      expect(audioReplyFormat(channelId)).toBe('card');
      expect(activity.text).toBe('Here is your message as audio.');
      const expected = listenCard(factory, 'Listen');
      expect(activity.attachments?.map((a) => a.contentType)).toEqual([expected.contentType]);
      expect((activity.attachments?.[0]?.content as { buttons: unknown }).buttons).toEqual((expected.content as { buttons: unknown }).buttons);
    }
  });

  it('records every format the reply can take, and the earlier attachment-only one', () => {
    for (const format of ['attachment', 'card', 'card-and-attachment'] as const) {
      expect(replySentSchema.parse(replySentEvent({ data: { format } })).data.format).toBe(format);
    }
    expect(() => replySentEvent({ data: { format: 'audio-card' as never } })).toThrow();
  });
});
