import { followUpEventId } from '../core/ids.js';
import type { AudioStored } from '../core/events.js';
import { defineSubscriber } from './declarations.js';

/** message.received → synthesize → audio/<eventId>.mp3 (written once) → audio.stored. */
export const speech = defineSubscriber({
  kind: 'subscriber',
  name: 'speech',
  subscription: 'speech',
  subjects: ['message.received'],
  async handler(event, { services, logger }) {
    const { reference, activityId: _activityId, ...interaction } = event.data;
    const synthesizer = await services.speech();
    const audio = await synthesizer.synthesize({ text: interaction.text, language: interaction.language });
    const blobName = `audio/${event.id}.${audio.extension}`;
    const { created } = await (await services.audio()).putIfAbsent(blobName, audio.data, audio.contentType);
    const stored: AudioStored = {
      id: followUpEventId('audio.stored', event.id),
      correlationId: event.correlationId,
      subject: 'audio.stored',
      occurredAt: services.now().toISOString(),
      data: {
        ...interaction,
        reference,
        blobName,
        contentType: audio.contentType,
        bytes: audio.data.length,
        durationMs: audio.durationMs,
        voice: audio.voice,
      },
    };
    await (await services.bus()).publish(stored);
    logger.debug({ blobName, created, bytes: audio.data.length, durationMs: audio.durationMs }, 'audio stored');
  },
});
