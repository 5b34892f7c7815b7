import { CardFactory as AgentsCardFactory } from '@microsoft/agents-hosting';
import { CardFactory as BotbuilderCardFactory } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { audioReplyActivity } from '../../../core/audio-reply.js';

const url = 'http://127.0.0.1:10000/devstoreaccount1/talkback/audio/x.mp3?sig=abc';

describe('the audio reply', () => {
  it('is an audio/mpeg attachment for the Emulator, Web Chat and Facebook', () => {
    for (const channelId of ['emulator', 'webchat', 'facebook']) {
      const activity = audioReplyActivity({ channelId, language: 'ko', audioUrl: url, fileName: 'x.mp3' });
      expect(activity.text).toBe('메시지를 음성으로 들어 보세요.');
      expect(activity.attachments).toEqual([{ contentType: 'audio/mpeg', contentUrl: url, name: 'x.mp3' }]);
    }
  });

  it.each([
    ['botbuilder', BotbuilderCardFactory],
    ['agents', AgentsCardFactory],
  ] as const)('is a hero card with a Listen link on Teams, the same JSON %s CardFactory builds', (_sdk, CardFactory) => {
    const activity = audioReplyActivity({ channelId: 'msteams', language: 'en', audioUrl: url, fileName: 'x.mp3' });
    const expected = CardFactory.heroCard('Here is your message as audio.', undefined, [{ type: 'openUrl', title: 'Listen', value: url }]);
    expect(activity.attachments?.[0]?.contentType).toBe(expected.contentType);
    expect(activity.attachments?.[0]?.content).toEqual(
      expect.objectContaining({ title: 'Here is your message as audio.', buttons: [{ type: 'openUrl', title: 'Listen', value: url }] }),
    );
    expect((expected.content as { buttons: unknown[] }).buttons).toEqual([{ type: 'openUrl', title: 'Listen', value: url }]);
  });
});
