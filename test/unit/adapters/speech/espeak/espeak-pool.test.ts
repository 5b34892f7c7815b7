import { availableParallelism } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { EspeakPool, type EspeakPoolOptions } from '../../../../../adapters/speech/espeak/espeak-pool.js';
import { SynthesisPause } from '../../../../../adapters/speech/synthesis-pause.js';

const pools: EspeakPool[] = [];
const open = (threads?: number, options: EspeakPoolOptions = {}) => {
  const pool = new EspeakPool({ ...options, ...(threads === undefined ? {} : { threads }) });
  pools.push(pool);
  return pool;
};

/** Polls until `check` holds (no assertion on how long it takes; the test's own timeout is the limit). */
async function eventually(check: () => boolean): Promise<void> {
  while (!check()) await sleep(50);
}

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

  it('holds no thread until a synthesis needs one (preparing only compiles), and none again once they have been idle', async () => {
    const pool = open(2, { idleTimeoutMs: 300, voices: ['en-us'] });
    await pool.prepare();
    expect(pool.liveThreads).toBe(0);
    const speak = (text: string) => pool.render({ voice: 'en-us', options: [], text, bitrateKbps: 64 });
    await Promise.all([speak('one'), speak('two')]);
    expect(pool.liveThreads).toBeGreaterThan(0);
    await eventually(() => pool.liveThreads === 0);
    // The next synthesis starts a thread again, from the module compiled already.
    expect((await speak('three')).data.length).toBeGreaterThan(0);
    expect(pool.liveThreads).toBe(1);
  });

  it('holds a render while its owner pauses synthesis, and finishes it once the pause is lifted', async () => {
    const pause = new SynthesisPause({ budgetMs: 10_000 });
    const pool = open(1, { voices: ['en-us'], pause });
    const speak = () => pool.render({ voice: 'en-us', options: [], text: 'Where is my order? I ordered it last week.', bitrateKbps: 64 });
    await speak(); // the thread is up and warm: unpaused, the next render takes a fraction of a second
    pause.set(true);
    let doneAt: number | undefined;
    const rendering = speak().then((result) => ((doneAt = performance.now()), result));
    await sleep(1_500);
    expect(doneAt).toBeUndefined();
    const liftedAt = performance.now();
    pause.set(false);
    const { data } = await rendering;
    expect(doneAt).toBeGreaterThanOrEqual(liftedAt);
    expect(data.length).toBeGreaterThan(0);
  });

  it('finishes a render once its budget from the call has passed, even while the pause stays on', async () => {
    const pause = new SynthesisPause({ budgetMs: 700 });
    const pool = open(1, { voices: ['en-us'], pause });
    const speak = () => pool.render({ voice: 'en-us', options: [], text: 'Still paused.', bitrateKbps: 64 });
    await speak(); // the thread is up and warm
    pause.set(true);
    const started = Date.now();
    const { data } = await speak();
    expect(Date.now() - started).toBeGreaterThanOrEqual(700); // it waited: the pause reached the thread
    expect(data.length).toBeGreaterThan(0);
    expect(pause.paused).toBe(true);
  });
  it('runs at most as many renders at once as the limit its owner holds, and every thread without one', async () => {
    const pause = new SynthesisPause({ budgetMs: 30_000 });
    const pool = open(2, { voices: ['en-us'], pause });
    const text = 'Where is my order? I ordered it last week and it has not arrived yet. '.repeat(6);
    const speak = () => pool.render({ voice: 'en-us', options: [], text, bitrateKbps: 64 });
    await Promise.all([speak(), speak()]); // both threads up and warm
    /** The most renders that held a place to run at once while `count` renders ran side by side. */
    const mostAtOnce = async (count: number) => {
      let most = 0;
      let done = false;
      const rendering = Promise.all(Array.from({ length: count }, speak)).finally(() => (done = true));
      while (!done) {
        most = Math.max(most, pause.running);
        await sleep(2);
      }
      await rendering;
      return most;
    };
    pause.hold(1);
    expect(await mostAtOnce(4)).toBe(1);
    expect(pause.running).toBe(0); // every render gave its place up
    pause.hold(undefined);
    expect(await mostAtOnce(4)).toBe(2);
  });
  it('a render that fails gives its place back at once, while another still runs', async () => {
    const pause = new SynthesisPause({ budgetMs: 30_000 });
    const pool = open(2, { voices: ['en-us'], pause });
    const long = 'Where is my order? I ordered it last week and it has not arrived yet. '.repeat(12);
    await Promise.all([0, 1].map(() => pool.render({ voice: 'en-us', options: [], text: 'ready', bitrateKbps: 64 })));
    let longDone = false;
    const rendering = pool.render({ voice: 'en-us', options: [], text: long, bitrateKbps: 64 }).finally(() => (longDone = true));
    await eventually(() => pause.running === 1);
    await expect(pool.render({ voice: 'en-us', options: ['--no-such-option'], text: 'hello', bitrateKbps: 64 })).rejects.toMatchObject({ code: 'SpeechRejected' });
    // The long render is still under way (the count is not reset while a call is in flight): only its place is counted.
    expect(longDone).toBe(false);
    expect(pause.running).toBe(1);
    await rendering;
    expect(pause.running).toBe(0);
  });
});
