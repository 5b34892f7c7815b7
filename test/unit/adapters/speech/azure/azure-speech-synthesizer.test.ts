import { afterEach, describe, expect, it } from 'vitest';
import { AzureSpeechSynthesizer } from '../../../../../adapters/speech/azure/azure-speech-synthesizer.js';
import { startFakeSpeechService, type FakeSpeechService, type FakeSpeechServiceOptions } from '../../../../support/fake-speech-service.js';

/**
 * The adapter with the real Speech SDK, against a local stand-in for the Speech WebSocket
 * endpoint (test/support/fake-speech-service.ts). What the real service says is the contract
 * suite's job (test/contract/speech-synthesizer.azure.test.ts); this pins down what the adapter
 * sends, how it reads results, and how it translates the SDK's cancellations.
 */
const KEY = 'fake-speech-key-0123456789abcdef';
const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function open(
  service: Omit<FakeSpeechServiceOptions, 'key'> = {},
  key = KEY,
): Promise<{ service: FakeSpeechService; synthesizer: AzureSpeechSynthesizer }> {
  const fake = await startFakeSpeechService({ key: KEY, ...service });
  stops.push(() => fake.stop());
  const synthesizer = new AzureSpeechSynthesizer({ key, region: 'koreacentral', endpoint: fake.endpoint, timeoutMs: 5_000 });
  stops.push(() => synthesizer.close());
  return { service: fake, synthesizer };
}

async function failure(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('AzureSpeechSynthesizer (real SDK, local stand-in service)', () => {
  it('returns the service audio bytes as MP3 with the duration from its SessionEnd ticks', async () => {
    const audio = Buffer.from([0xff, 0xf3, 0x44, 0xc4, 1, 2, 3, 4, 5]);
    const { service, synthesizer } = await open({ answer: () => ({ audio, durationTicks: 23_456_789 }) });
    const result = await synthesizer.synthesize({ text: 'Hello <b>there</b> & you', language: 'en' });
    expect(result).toEqual({ data: audio, contentType: 'audio/mpeg', durationMs: 2_346, voice: 'en-US-JennyNeural' });
    expect(service.ssml).toEqual([
      '<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="en-US">' +
        '<voice name="en-US-JennyNeural">Hello &lt;b&gt;there&lt;/b&gt; &amp; you</voice></speak>',
    ]);
    expect(JSON.parse(service.contexts[0] ?? '{}')).toMatchObject({
      synthesis: { audio: { outputFormat: 'audio-24khz-48kbitrate-mono-mp3' } },
    });
  });

  it('reuses one synthesizer and one connection for sequential and concurrent requests', async () => {
    const { service, synthesizer } = await open({
      answer: (ssml) => ({ audio: Buffer.from(/>([^<]*)<\/voice>/.exec(ssml)?.[1] ?? ''), durationTicks: 10_000_000 }),
    });
    const first = await synthesizer.synthesize({ text: 'one', language: 'en' });
    const [korean, english] = await Promise.all([
      synthesizer.synthesize({ text: '안녕하세요', language: 'ko' }),
      synthesizer.synthesize({ text: 'three', language: 'en' }),
    ]);
    expect([first.data.toString(), korean.data.toString(), english.data.toString()]).toEqual(['one', '안녕하세요', 'three']);
    expect([korean.voice, english.voice]).toEqual(['ko-KR-SunHiNeural', 'en-US-JennyNeural']);
    expect(service.connections).toBe(1);
  });

  it('refuses blank text without calling the service', async () => {
    const { service, synthesizer } = await open();
    await expect(synthesizer.synthesize({ text: ' \n ', language: 'en' })).rejects.toMatchObject({
      code: 'SpeechRejected',
      retryable: false,
    });
    expect(service.connections).toBe(0);
  });

  it.each([
    [429, 'Throttled', true],
    [503, 'ServiceUnavailable', true],
    [403, 'Unauthorized', false],
  ] as const)('turns an HTTP %i from the service into %s, retryable %s', async (status, code, retryable) => {
    const { synthesizer } = await open({ refuseWith: status });
    const error = await failure(synthesizer.synthesize({ text: 'hello', language: 'en' }));
    expect(error).toMatchObject({ name: 'TalkbackError', code, retryable, details: { status } });
  });

  it('reports a wrong key as Unauthorized, not retryable, without the key in the message', async () => {
    const wrongKey = 'wrong-key-fedcba9876543210';
    const { synthesizer } = await open({}, wrongKey);
    const error = await failure(synthesizer.synthesize({ text: 'hello', language: 'en' }));
    expect(error).toMatchObject({ code: 'Unauthorized', retryable: false });
    expect((error as Error).message).not.toContain(wrongKey);
    expect((error as Error).message).not.toContain(KEY);
  });

  it('reports SSML the service rejects (close 1007) as a permanent BadRequest, then serves the next request', async () => {
    const { synthesizer } = await open({
      answer: (ssml) =>
        ssml.includes('reject me')
          ? { closeCode: 1007, reason: 'Invalid SSML' }
          : { audio: Buffer.from('ok'), durationTicks: 5_000_000 },
    });
    await expect(synthesizer.synthesize({ text: 'reject me', language: 'en' })).rejects.toMatchObject({
      code: 'BadRequest',
      retryable: false,
    });
    const next = await synthesizer.synthesize({ text: 'fine', language: 'en' });
    expect(next.data.toString()).toBe('ok');
  });

  it('times out a request the service never answers, and starts clean for the next one', async () => {
    const fake = await startFakeSpeechService({
      key: KEY,
      answer: (ssml) => (ssml.includes('hang') ? { silent: true } : { audio: Buffer.from('ok'), durationTicks: 5_000_000 }),
    });
    stops.push(() => fake.stop());
    const synthesizer = new AzureSpeechSynthesizer({ key: KEY, region: 'x', endpoint: fake.endpoint, timeoutMs: 1_000 });
    stops.push(() => synthesizer.close());
    await expect(synthesizer.synthesize({ text: 'hang', language: 'en' })).rejects.toMatchObject({
      code: 'Timeout',
      retryable: true,
    });
    const next = await synthesizer.synthesize({ text: 'fine', language: 'en' });
    expect(next.data.toString()).toBe('ok');
    expect(fake.connections).toBe(2);
  });

  it('refuses work once closed', async () => {
    const { synthesizer } = await open();
    await synthesizer.close();
    await expect(synthesizer.synthesize({ text: 'hello', language: 'en' })).rejects.toMatchObject({ code: 'SpeechFailed' });
  });
});
