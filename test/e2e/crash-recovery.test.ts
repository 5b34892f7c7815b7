import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteInteractionStore } from '../../adapters/store/sqlite-interaction-store.js';
import { isComplete } from '../../core/record.js';
import { audioLinkOf, messageActivity, postActivity, startFakeChannel } from '../support/fake-channel.js';
import { eventIdOf, waitForCompleteRecord } from '../support/records.js';
import { tempDataDir } from '../support/host.js';
import { exited, spawnHost } from '../support/host-process.js';

/**
 * kill -9 of `npm start` in the middle of the work, then `npm start` again on the same data folder:
 * nothing accepted is lost. (Ctrl-C's exactly-once is covered by pipeline.test.ts; after a kill -9 a chat
 * reply sent in the instant before its claim was recorded can be repeated: channels take no idempotency key.)
 */
describe('a crash (kill -9) of the local host', () => {
  it('loses nothing that was accepted', async () => {
    const data = await tempDataDir();
    const channel = await startFakeChannel();
    const env = { TALKBACK_DATA_DIR: data.dir, LOCK_DURATION_MS: '2000', CLAIM_LEASE_MS: '3000', RETRY_BASE_DELAY_MS: '200', RETRY_MAX_DELAY_MS: '2000' };
    const records = () => new SqliteInteractionStore({ path: path.join(data.dir, 'records.sqlite') });
    const messages = Array.from({ length: 10 }, (_, i) => ({
      conversationId: `crash-${i}`,
      activityId: `a-${i}`,
      text: i % 2 ? `${i}번 문의: 환불은 언제 되나요?` : `Question ${i}: when will my refund arrive?`,
      locale: i % 2 ? 'ko-KR' : 'en-US',
    }));
    try {
      const first = await spawnHost(env);
      for (const m of messages) {
        expect((await postActivity(first.url, messageActivity({ serviceUrl: channel.serviceUrl, ...m }))).status).toBe(200);
      }
      // Every message was acknowledged to the customer, so every one must survive the crash.
      for (const m of messages) expect(channel.forConversation(m.conversationId).length).toBeGreaterThanOrEqual(1);
      first.child.kill('SIGKILL');
      await exited(first.child);
      const peek = records();
      const before = await peek.listUpdated(new Date(0), new Date(Date.now() + 60_000), 100);
      await peek.close();
      expect(before.filter(isComplete).length).toBeLessThan(messages.length);

      const second = await spawnHost(env);
      try {
        const store = records();
        try {
          for (const m of messages) {
            const record = await waitForCompleteRecord(store, m, 90_000);
            expect(record.failures).toEqual([]);
            expect(channel.forConversation(m.conversationId).filter((a) => a.replyToId === m.activityId)).toHaveLength(1);
            expect(
              channel.forConversation(m.conversationId).filter((a) => audioLinkOf(a.body) !== undefined).length,
            ).toBeGreaterThanOrEqual(1);
          }
        } finally {
          await store.close();
        }
        const files = (await readdir(path.join(data.dir, 'outbox'))).filter((f) => f.endsWith('.eml')).sort();
        expect(files).toEqual(messages.map((m) => `${eventIdOf(m)}.eml`).sort());
        // The audio links the restarted host sent (its pipeline worker stored the audio) play from the host itself.
        const links = messages
          .flatMap((m) => channel.forConversation(m.conversationId).map((a) => audioLinkOf(a.body)))
          .filter((url): url is string => url?.startsWith(`${second.url}/audio/`) ?? false);
        expect(links.length).toBeGreaterThan(0);
        for (const link of links) {
          const audio = await fetch(link);
          expect(audio.status).toBe(200);
          expect(audio.headers.get('content-type')).toBe('audio/mpeg');
          const bytes = new Uint8Array(await audio.arrayBuffer());
          // An MP3 frame (or its ID3 tag) starts the file.
          expect(bytes[0] === 0xff || String.fromCharCode(...bytes.subarray(0, 3)) === 'ID3').toBe(true);
        }
      } finally {
        second.child.kill('SIGTERM');
        await exited(second.child);
      }
    } finally {
      await channel.stop();
      await data.remove();
    }
    // Two host starts and up to 90 s of recovery: on a loaded machine this exceeds the default 60 s.
  }, 240_000);
});
