import type { Context } from 'hono';
import { AUDIO_LINK_PATH, isAudioName } from '../adapters/audio/folder-audio-store.js';
import type { StoredAudio } from '../adapters/ports.js';
import { textResponse } from '../functions/declarations.js';

export interface AudioFiles {
  read(name: string): Promise<{ stored: StoredAudio; data: Buffer } | undefined>;
  checkLink(name: string, query: { se?: string | undefined; sig?: string | undefined }): 'ok' | 'invalid' | 'expired';
}

/** Where the links of the folder audio store point (adapters/audio/folder-audio-store.ts readLink). */
export const AUDIO_ROUTE = `${AUDIO_LINK_PATH}*`;

/**
 * Serves the folder audio store's read links, as Blob storage serves a SAS URL: GET/HEAD of one
 * blob whose link is signed and not expired (403 otherwise, saying which), with its content type and
 * byte ranges (an audio player seeks with them). Nothing can be written through it.
 */
export function audioRoute(store: () => Promise<AudioFiles>) {
  return async (c: Context): Promise<Response> => {
    const method = c.req.method.toUpperCase();
    if (method !== 'GET' && method !== 'HEAD') return textResponse(403, 'this link is read-only', { allow: 'GET, HEAD' });
    const name = nameOf(new URL(c.req.url).pathname);
    if (name === undefined) return textResponse(404, 'not found');
    const files = await store();
    const verdict = files.checkLink(name, { se: c.req.query('se'), sig: c.req.query('sig') });
    if (verdict !== 'ok') return textResponse(403, verdict === 'expired' ? 'this link has expired' : 'this link is not valid');
    const found = await files.read(name);
    if (!found) return textResponse(404, 'not found');
    const headers: Record<string, string> = {
      'content-type': found.stored.contentType,
      'accept-ranges': 'bytes',
      'cache-control': 'private, max-age=3600',
    };
    const range = byteRange(c.req.header('range'), found.data.length);
    if (range === 'unsatisfiable') return new Response(null, { status: 416, headers: { ...headers, 'content-range': `bytes */${found.data.length}` } });
    const [status, body] = range
      ? [206, found.data.subarray(range.start, range.end + 1)]
      : [200, found.data];
    if (range) headers['content-range'] = `bytes ${range.start}-${range.end}/${found.data.length}`;
    headers['content-length'] = String(body.length);
    return new Response(method === 'HEAD' ? null : new Uint8Array(body), { status, headers });
  };
}

/** The blob name of /audio/<segments>, each segment URL-decoded; undefined when it is not one. */
function nameOf(pathname: string): string | undefined {
  try {
    if (!pathname.startsWith(AUDIO_LINK_PATH)) return undefined;
    const name = pathname.slice(AUDIO_LINK_PATH.length).split('/').map(decodeURIComponent).join('/');
    return isAudioName(name) ? name : undefined;
  } catch {
    return undefined;
  }
}

/** One range of a `Range: bytes=` header (the first, as most servers do); none for an absent or unusable header. */
function byteRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  const match = /^bytes=(\d*)-(\d*)(?:,.*)?$/.exec(header?.trim() ?? '');
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}
