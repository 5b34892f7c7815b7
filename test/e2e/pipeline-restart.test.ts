import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteInteractionStore } from '../../adapters/store/sqlite-interaction-store.js';
import { messageActivity, postActivity, startFakeChannel, waitFor } from '../support/fake-channel.js';
import { waitForCompleteRecord } from '../support/records.js';
import { tempDataDir } from '../support/host.js';
import { exited, spawnHost } from '../support/host-process.js';

/**
 * The pipeline worker (a thread of `npm start`'s host) dies and is started again by the host, while the
 * chat endpoint goes on: what the endpoint acknowledged meanwhile is done once a worker runs again.
 * The worker is made to die by a file where its audio folder must be (it cannot start: exit 1).
 */
describe('the local host\'s pipeline worker', () => {
  it('is restarted after it died, and then does what the intake acknowledged meanwhile', async () => {
    const data = await tempDataDir();
    const channel = await startFakeChannel();
    const blocker = path.join(data.dir, 'audio');
    await writeFile(blocker, 'not a folder');
    const messages = [
      { conversationId: 'restart-0', activityId: 'a-0', text: 'Is my parcel on its way?', locale: 'en-US' },
      { conversationId: 'restart-1', activityId: 'a-1', text: '택배가 언제 도착하나요?', locale: 'ko-KR' },
    ];
    try {
      // The folder audio store (the default), whatever this shell's environment says: it is what the file blocks.
      const audioStore = { LOCAL_AUDIO_STORE: 'folder', AZURE_STORAGE_CONNECTION_STRING: '' };
      const host = await spawnHost({ TALKBACK_DATA_DIR: data.dir, LOG_LEVEL: 'info', LOG_FORMAT: 'json', ...audioStore });
      try {
        const failures = () => host.output().split('\n').filter((line) => line.includes('the pipeline worker stopped; restarting it'));
        const restarts = (count: number) => (failures().length >= count ? true : undefined);
        await waitFor(() => restarts(1), 60_000, 'the worker to fail and be restarted');
        // The intake answers while the worker keeps failing.
        for (const m of messages) {
          expect((await postActivity(host.url, messageActivity({ serviceUrl: channel.serviceUrl, ...m }))).status).toBe(200);
        }
        await waitFor(() => restarts(2), 60_000, 'a second restart');
        expect(host.output()).toContain('the pipeline could not start');
        // Restarts back off: 1 s, then 2 s (the delay doubles per quick death, up to 30 s).
        const delays = failures().map((line) => (JSON.parse(line) as { restartInMs: number }).restartInMs);
        expect(delays.slice(0, 2)).toEqual([1_000, 2_000]);
        await rm(blocker);
        const store = new SqliteInteractionStore({ path: path.join(data.dir, 'records.sqlite') });
        try {
          for (const m of messages) {
            const record = await waitForCompleteRecord(store, m, 90_000);
            expect(record.failures).toEqual([]);
          }
        } finally {
          await store.close();
        }
        for (const m of messages) {
          expect(channel.forConversation(m.conversationId).filter((a) => a.replyToId === m.activityId)).toHaveLength(1);
        }
      } finally {
        host.child.kill('SIGTERM');
        await exited(host.child);
      }
    } finally {
      await channel.stop();
      await data.remove();
    }
  }, 240_000);
});
