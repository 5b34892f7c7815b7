import { availableParallelism } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { EspeakPool } from '../../../../../adapters/speech/espeak/espeak-pool.js';

const pools: EspeakPool[] = [];
const open = (threads?: number) => {
  const pool = new EspeakPool(threads === undefined ? {} : { threads });
  pools.push(pool);
  return pool;
};

afterEach(async () => {
  for (const pool of pools.splice(0)) await pool.close();
});

describe('EspeakPool', () => {
  it('sizes itself to the cores available unless told otherwise', () => {
    expect(open().threads).toBe(availableParallelism());
    expect(open(3).threads).toBe(3);
  });

  it('renders MP3 on its threads, several requests at once', async () => {
    const pool = open(2);
    const results = await Promise.all(
      ['one', 'two', 'three'].map((text) => pool.render({ voice: 'en-us', options: [], text, bitrateKbps: 64 })),
    );
    for (const { data, durationMs } of results) {
      expect(data.subarray(0, 3).toString('latin1') === 'ID3' || (data[0] === 0xff && (data[1]! & 0xe0) === 0xe0)).toBe(true);
      expect(durationMs).toBeGreaterThan(100);
    }
  });

  it("brings eSpeak's refusal (an unknown option) back across the thread as a permanent SpeechRejected", async () => {
    const pool = open(1);
    await expect(pool.render({ voice: 'en-us', options: ['--no-such-option'], text: 'hello', bitrateKbps: 64 })).rejects.toMatchObject({
      code: 'SpeechRejected',
      retryable: false,
    });
  });
});
