import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Signs and checks the read links of the folder audio store, as a SAS does for Blob storage: the
 * link names one blob and an expiry, and an HMAC over both with a key only the host knows. The key is
 * a file in the data folder (created once, readable by its owner only), so links sent before a
 * restart stay valid until they expire, and every process of one host signs alike.
 */
export interface AudioLinkSignature {
  /** The query string (`se=…&sig=…`) of a link to `name` valid until `expiresAt`. */
  sign(name: string, expiresAt: Date): string;
  /** 'ok', or why the link is refused: no/forged signature, or expired at `now`. */
  check(name: string, query: { se?: string | undefined; sig?: string | undefined }, now?: Date): 'ok' | 'invalid' | 'expired';
}

export function audioLinkSignature(keyFile: string): AudioLinkSignature {
  const key = linkKey(keyFile);
  const mac = (name: string, expiresSeconds: number) => createHmac('sha256', key).update(`${name}\n${expiresSeconds}`).digest('base64url');
  return {
    sign(name, expiresAt) {
      const se = Math.floor(expiresAt.getTime() / 1000);
      return `se=${se}&sig=${mac(name, se)}`;
    },
    check(name, query, now = new Date()) {
      const se = Number(query.se);
      if (!query.sig || !/^\d{1,12}$/.test(query.se ?? '')) return 'invalid';
      const expected = Buffer.from(mac(name, se));
      const given = Buffer.from(query.sig);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
      return se * 1000 <= now.getTime() ? 'expired' : 'ok';
    },
  };
}

/** The key in `keyFile`, written (mode 0600) by whichever process needs it first; both then read the same one. */
function linkKey(keyFile: string): Buffer {
  try {
    return readKey(keyFile);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(path.dirname(keyFile), { recursive: true });
  // Written whole under another name, then linked into place: a reader never sees half a key.
  const temp = `${keyFile}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temp, randomBytes(32).toString('base64url'), { mode: 0o600 });
  try {
    linkSync(temp, keyFile);
  } catch (error) {
    // Another process of this host linked its key first: theirs is the key.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temp);
  }
  return readKey(keyFile);
}

function readKey(keyFile: string): Buffer {
  const key = Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64url');
  if (key.length < 32) throw new Error(`the audio link key ${keyFile} is damaged (delete it: links sent before then stop working)`);
  return key;
}
