/**
 * Milliseconds per synthesis with the embedded eSpeak NG synthesizer, for ~50 and ~200 characters
 * of Korean and English. Run: node_modules/.bin/tsx test/bench/speech.ts [rounds]
 * The machine is shared: the load average is printed with the numbers.
 */
import { loadavg } from 'node:os';
import { EspeakEngine } from '../../adapters/speech/espeak/espeak-engine.js';
import { compileEspeak, loadEspeak } from '../../adapters/speech/espeak/espeak-wasm.js';
import { EspeakSpeechSynthesizer } from '../../adapters/speech/espeak/espeak-speech-synthesizer.js';
import type { Language } from '../../core/language.js';

const ROUNDS = Number(process.argv[2] ?? 5);
const EN = 'Hello, your order has been received and will ship soon. We will let you know when it is on its way.';
const KO = '안녕하세요. 주문하신 상품이 접수되었습니다. 내일 아침에 발송될 예정이며, 배송이 시작되면 다시 알려 드리겠습니다. 감사합니다.';

const cases: Array<{ label: string; language: Language; text: string }> = [];
for (const [language, sample] of [['en', EN], ['ko', KO]] as const) {
  for (const length of [50, 200]) {
    const text = sample.repeat(Math.ceil(length / sample.length)).slice(0, length);
    cases.push({ label: `${language} ${text.length} chars`, language, text });
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const since = (start: number) => performance.now() - start;

let start = performance.now();
const synthesizer = new EspeakSpeechSynthesizer();
await synthesizer.synthesize({ text: 'warm up', language: 'en' });
console.log(`first call (compiles and instantiates the WASM): ${since(start).toFixed(0)} ms`);
start = performance.now();
await synthesizer.synthesize({ text: 'warm up', language: 'en' });
console.log(`second call, same text: ${since(start).toFixed(0)} ms`);
start = performance.now();
const voices = ['en-us', 'ko']; // the synthesizer's: its module is compiled already
await loadEspeak(await compileEspeak(voices));
console.log(`another instance (module already compiled): ${since(start).toFixed(0)} ms`);
const engine = new EspeakEngine(() => compileEspeak(voices));
await engine.run(['--version'], '');

console.log(`load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}; median of ${ROUNDS} rounds`);
for (const { label, language, text } of cases) {
  const totalMs: number[] = [];
  const engineMs: number[] = [];
  let audioMs = 0;
  for (let round = 0; round < ROUNDS; round += 1) {
    start = performance.now();
    audioMs = (await synthesizer.synthesize({ text, language })).durationMs;
    totalMs.push(since(start));
    start = performance.now();
    await engine.run(['-v', language === 'ko' ? 'ko' : 'en-us'], text);
    engineMs.push(since(start));
  }
  console.log(
    `${label.padEnd(14)} synthesize ${median(totalMs).toFixed(0).padStart(5)} ms` +
      ` (eSpeak alone ${median(engineMs).toFixed(0).padStart(4)} ms) for ${(audioMs / 1000).toFixed(1)} s of audio`,
  );
}
start = performance.now();
await engine.run(['--version'], '');
console.log(`eSpeak fixed cost per run (restore memory, main() prints its version): ${since(start).toFixed(0)} ms`);
console.log(`load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
await synthesizer.close();
await engine.close();
