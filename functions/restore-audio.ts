import type { AudioStored } from '../core/events.js';
import type { FunctionContext } from './context.js';

/**
 * The audio of an audio.stored event, from the store — or, when the store lost it (a crash before
 * its index reached the disk, a deleted blob), synthesized again from the event's text and stored
 * under the same name (If-None-Match). A stage whose input vanished re-creates it instead of
 * retrying until it is dead-lettered.
 */
export async function audioOf(ctx: FunctionContext, event: AudioStored, options: { bytes: boolean }): Promise<Buffer | undefined> {
  const audio = await ctx.ports.audio();
  const { blobName } = event.data;
  const present = options.bytes ? await audio.get(blobName) : (await audio.stat(blobName)) ? Buffer.alloc(0) : undefined;
  if (present !== undefined) return options.bytes ? present : undefined;
  ctx.logger.warn({ blobName }, 'audio missing from the store: synthesizing it again');
  const synthesized = await (await ctx.ports.speech()).synthesize({ text: event.data.text, language: event.data.language });
  const { created } = await audio.putIfAbsent(blobName, synthesized.data, synthesized.contentType, {
    durationms: String(synthesized.durationMs),
    voice: synthesized.voice,
  });
  // Someone else re-created it first: theirs is the blob.
  if (!created && options.bytes) return (await audio.get(blobName)) ?? synthesized.data;
  return options.bytes ? synthesized.data : undefined;
}
