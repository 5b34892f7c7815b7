import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { AzureBlobAudioStore } from '../../../../adapters/audio/azure-blob-audio-store.js';

const KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const keyConnectionString = (port: number) =>
  `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${KEY};BlobEndpoint=http://127.0.0.1:${port}/devstoreaccount1;`;

/** A port nothing listens on: bind a free one, then release it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

function caught(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('AzureBlobAudioStore', () => {
  it('refuses a connection string without an account key (a SAS one) at construction', () => {
    const error = caught(
      () =>
        new AzureBlobAudioStore({
          connectionString: 'BlobEndpoint=https://acct.blob.core.windows.net/;SharedAccessSignature=sv=2024-08-04&sp=r&sig=abc',
          containerName: 'talkback',
        }),
    );
    expect(error).toMatchObject({ name: 'TalkbackError', code: 'ConfigInvalid', retryable: false });
    expect((error as Error).message).toContain('AccountKey');
  });

  it('refuses a malformed connection string without echoing it', () => {
    const error = caught(() => new AzureBlobAudioStore({ connectionString: 'not-a-connection-string-secret', containerName: 'talkback' }));
    expect(error).toMatchObject({ name: 'TalkbackError', code: 'ConfigInvalid' });
    expect((error as Error).message).not.toContain('secret');
  });

  it('signs a read link offline with the account key, readable only', async () => {
    const store = new AzureBlobAudioStore({ connectionString: keyConnectionString(10000), containerName: 'talkback' });
    const { url } = await store.readLink('audio/e1.mp3', 60_000);
    const parsed = new URL(url);
    expect(parsed.pathname).toBe('/devstoreaccount1/talkback/audio/e1.mp3');
    expect(parsed.searchParams.get('sp')).toBe('r');
    expect(parsed.searchParams.get('sr')).toBe('b');
    expect(parsed.searchParams.get('sig')).toMatch(/\S{20,}/);
    expect(url).not.toContain(KEY);
  });

  it('rejects a non-positive link lifetime', async () => {
    const store = new AzureBlobAudioStore({ connectionString: keyConnectionString(10000), containerName: 'talkback' });
    await expect(store.readLink('audio/e1.mp3', 0)).rejects.toMatchObject({ code: 'BadRequest', retryable: false });
  });

  it('fails with a retryable Timeout when the service is unreachable for longer than requestTimeoutMs', async () => {
    const store = new AzureBlobAudioStore({
      connectionString: keyConnectionString(await closedPort()),
      containerName: 'talkback',
      requestTimeoutMs: 1_500,
    });
    await expect(store.putIfAbsent('audio/e1.mp3', new Uint8Array([1]), 'audio/mpeg')).rejects.toMatchObject({
      name: 'TalkbackError',
      code: 'Timeout',
      retryable: true,
    });
    await expect(store.get('audio/e1.mp3')).rejects.toMatchObject({ name: 'TalkbackError', retryable: true });
  });
});
