import type { Services } from './services.js';

/** The read-only, time-limited link to an interaction's audio that staff and customers get. */
export async function audioLink(services: Services, blobName: string): Promise<{ url: string; expiresAt: Date }> {
  return (await services.audio()).readLink(blobName, services.config.AUDIO_LINK_TTL_HOURS * 3_600_000);
}
