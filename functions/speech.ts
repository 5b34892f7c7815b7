import type { AudioStored } from '../core/events.js';
import { followUpEventId } from '../core/ids.js';
import { defineSubscriber } from './declarations.js';

/** message.received → synthesize → audio/<eventId>.mp3 (written once) → audio.stored. */
export const speech = defineSubscriber({
  kind: 'subscriber',
  name: 'speech',
  subscription: 'speech',
  subjects: ['message.received'],
  async handler(event, { ports, logger, now }) {
    const { reference, activityId: _activityId, ...interaction } = event.data;
    const audioStore = await ports.audio();
    // Every synthesizer produces MP3 (ports.ts: SynthesizedAudio).
    const blobName = `audio/${event.id}.mp3`;
    // A redelivery after the upload (e.g. a crash before audio.stored was published) does not pay
    // for synthesis again: the blob carries what the event needs.
    const stored = await audioStore.stat(blobName);
    const durationMs = Number(stored?.metadata['durationms']);
    let audio: { bytes: number; contentType: string; durationMs: number; voice: string };
    if (stored && Number.isFinite(durationMs) && stored.metadata['voice']) {
      audio = { bytes: stored.bytes, contentType: stored.contentType, durationMs, voice: stored.metadata['voice'] };
    } else {
      const synthesized = await (await ports.speech()).synthesize({ text: interaction.text, language: interaction.language });
      const { created } = await audioStore.putIfAbsent(blobName, synthesized.data, synthesized.contentType, {
        durationms: String(synthesized.durationMs),
        voice: synthesized.voice,
      });
      audio = { bytes: synthesized.data.length, contentType: synthesized.contentType, durationMs: synthesized.durationMs, voice: synthesized.voice };
      logger.debug({ blobName, created, bytes: audio.bytes, durationMs: audio.durationMs }, 'audio stored');
    }
    const storedEvent: AudioStored = {
      id: followUpEventId('audio.stored', event.id),
      correlationId: event.correlationId,
      subject: 'audio.stored',
      occurredAt: now().toISOString(),
      data: { ...interaction, reference, blobName, ...audio },
    };
    await (await ports.bus()).publish(storedEvent);
  },
});
