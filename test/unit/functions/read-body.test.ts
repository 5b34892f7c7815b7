import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBodyLimited } from '../../../functions/read-body.js';

let server: Server;
let port: number;

beforeAll(async () => {
  // The local host's server: bodies come through @hono/node-server's lightweight Request.
  server = createAdaptorServer({
    fetch: async (req: Request) => {
      const body = await readBodyLimited(req, 16);
      return new Response(body === undefined ? 'too large' : `got:${body}`);
    },
  }) as Server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function post(chunks: string[], declareLength: boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const length = chunks.reduce((n, c) => n + Buffer.byteLength(c), 0);
    const req = request(
      { host: '127.0.0.1', port, method: 'POST', path: '/', headers: declareLength ? { 'content-length': length } : { 'transfer-encoding': 'chunked' } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve(text));
      },
    );
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

describe('readBodyLimited', () => {
  it('reads a body of declared length, and refuses one declared too large without reading it', async () => {
    expect(await post(['{"a":', '"한"}'], true)).toBe('got:{"a":"한"}');
    expect(await post(['x'.repeat(17)], true)).toBe('too large');
    expect(await post([], true)).toBe('got:');
  });

  it('reads a chunked body up to the limit, and refuses one that goes past it', async () => {
    expect(await post(['{"a":', '1}'], false)).toBe('got:{"a":1}');
    expect(await post(['x'.repeat(10), 'y'.repeat(10)], false)).toBe('too large');
  });
});
