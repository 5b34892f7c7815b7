import { describe, expect, it } from 'vitest';
import { EspeakEngine } from '../../../../../adapters/speech/espeak/espeak-engine.js';
import { compileEspeak, loadEspeak, memoryOf } from '../../../../../adapters/speech/espeak/espeak-wasm.js';

/** Text in the scripts a customer might mix in, each one a word or two. */
const SCRIPTS = [
  'Where is my order #1042? It was due on 3/14.',
  '주문하신 상품이 접수되었습니다 (order 1042)',
  'Γειά σου κόσμε',
  'Привет, мир',
  'مرحبا بالعالم',
  'שלום עולם',
  'नमस्ते दुनिया',
  'வணக்கம் உலகம்',
  'გამარჯობა', 
  'Բարեւ աշխարհ',
  'สวัสดีชาวโลก',
  '你好，世界 こんにちは',
  'Crème brûlée, naïve façade, Ærøskøbing, Łódź',
  '👍 ☕ ✓ € ½',
];

describe('the eSpeak NG module compiled for the voices talkback speaks with', () => {
  const trimmed = new EspeakEngine(() => compileEspeak(['en-us', 'ko']));
  const full = new EspeakEngine(() => compileEspeak());
  const speak = async (engine: EspeakEngine, voice: string, text: string) => {
    const run = await engine.run(['-v', voice], text);
    expect(run.status, `${voice}: ${text}`).toBe(0);
    expect(run.stderr, `${voice}: ${text}`).toEqual([]);
    return Buffer.from(run.output ?? []);
  };

  it("speaks every script exactly as the package's module with every language's data", async () => {
    for (const voice of ['en-us', 'ko']) {
      for (const text of SCRIPTS) {
        const audio = await speak(trimmed, voice, text);
        expect(audio.length, `${voice}: ${text}`).toBeGreaterThan(1_000);
        expect(audio.equals(await speak(full, voice, text)), `${voice}: ${text}`).toBe(true);
      }
    }
  });

  it('starts every run from the same memory: a run after others gives the same audio as the first', async () => {
    const first = await speak(trimmed, 'ko', SCRIPTS[1]!);
    await speak(trimmed, 'en-us', SCRIPTS[0]!.repeat(20));
    expect((await speak(trimmed, 'ko', SCRIPTS[1]!)).equals(first)).toBe(true);
  });

  it("leaves other languages' dictionaries out (eSpeak says so when a voice needs one)", async () => {
    const run = await trimmed.run(['-v', 'fr'], 'bonjour');
    expect(run.stderr.join(' ')).toMatch(/Can't read dictionary file: .*fr_dict/);
    expect((await full.run(['-v', 'fr'], 'bonjour')).stderr).toEqual([]);
  });
});

describe('an eSpeak NG instance that is dropped', () => {
  it('leaves nothing on globalThis, and its memory is collected', async () => {
    const { setFlagsFromString } = await import('node:v8');
    const { runInNewContext } = await import('node:vm');
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const compiled = await compileEspeak(['en-us']);
    const globals = Object.getOwnPropertyNames(globalThis).sort();
    let program: Awaited<ReturnType<typeof loadEspeak>> | undefined = await loadEspeak(compiled);
    expect(program.run(['-v', 'en-us'], 'hello').status).toBe(0);
    const memory = new WeakRef(memoryOf(program).buffer);
    expect(Object.getOwnPropertyNames(globalThis).sort()).toEqual(globals);
    program = undefined;
    // A WeakRef holds its target until the job that read it ends, then a full collection may clear it.
    for (let attempt = 0; attempt < 10 && memory.deref() !== undefined; attempt += 1) {
      await new Promise((resolve) => setImmediate(resolve));
      gc();
    }
    expect(memory.deref()).toBeUndefined();
  });
});
