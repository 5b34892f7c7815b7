import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { withCallTimeout } from '../../../adapters/call-timeout.js';
import { AzureBlobAudioStore } from '../../../adapters/audio/azure-blob-audio-store.js';

/** A server that accepts every request and never answers: a hanging blob endpoint. */
async function hangingServer(): Promise<{ server: Server; url: string; requests: () => number }> {
  let requests = 0;
  const server = createServer(() => void (requests += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => requests };
}

describe('withCallTimeout', () => {
  let sink: Awaited<ReturnType<typeof hangingServer>> | undefined;
  afterEach(async () => {
    sink?.server.closeAllConnections();
    await new Promise((resolve) => sink?.server.close(resolve));
  });

  it('a blob store that never answers fails the call as a retryable Timeout', async () => {
    sink = await hangingServer();
    const connectionString = `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${Buffer.from('k').toString('base64')};BlobEndpoint=${sink.url}/devstoreaccount1;`;
    const store = withCallTimeout(new AzureBlobAudioStore({ connectionString, containerName: 'talkback' }), 'audio', 300);
    await expect(store.stat('audio/x.mp3')).rejects.toMatchObject({ name: 'TalkbackError', code: 'Timeout', retryable: true });
    expect(sink.requests()).toBeGreaterThanOrEqual(1);
    await store.close();
  });

  it('passes results, errors and synchronous members through', async () => {
    const port = {
      value: 5,
      ok: async () => 'fine',
      fails: async () => {
        throw new Error('its own error');
      },
      sync: () => 7,
      close: () => new Promise<void>((resolve) => setTimeout(resolve, 50)),
    };
    const wrapped = withCallTimeout(port, 'test', 20);
    expect(await wrapped.ok()).toBe('fine');
    await expect(wrapped.fails()).rejects.toThrow('its own error');
    expect(wrapped.sync()).toBe(7);
    expect(wrapped.value).toBe(5);
    await wrapped.close(); // longer than the timeout, never bounded
  });
});
