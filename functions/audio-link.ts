import type { FunctionContext } from './context.js';

/** The read-only, time-limited link to an interaction's audio that staff and customers get. */
export async function audioLink(ctx: FunctionContext, blobName: string): Promise<{ url: string; expiresAt: Date }> {
  return (await ctx.ports.audio()).readLink(blobName, ctx.config.AUDIO_LINK_TTL_HOURS * 3_600_000);
}
