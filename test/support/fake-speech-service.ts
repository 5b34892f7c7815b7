import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

/**
 * A stand-in for the Azure Speech text-to-speech WebSocket endpoint, enough for the real
 * microsoft-cognitiveservices-speech-sdk to run against it on 127.0.0.1: it checks the key on the
 * upgrade, reads the SDK's speech.config / synthesis.context / ssml messages and answers each SSML
 * request with turn.start, response, audio, audio.metadata (SessionEnd) and turn.end — or with a
 * refused upgrade or a WebSocket close, to produce the SDK's own cancellations.
 * Minimal RFC 6455 framing (no extensions); the audio bytes are whatever `answer` returns.
 */
export type Answer =
  | { audio: Buffer; durationTicks: number }
  /** Close the WebSocket with this code (1007 = invalid payload, as Speech does for bad SSML). */
  | { closeCode: number; reason: string }
  /** Never answer (for timeouts). */
  | { silent: true };

export interface FakeSpeechServiceOptions {
  key: string;
  /** Refuse every WebSocket upgrade with this HTTP status (e.g. 429, 503). */
  refuseWith?: number;
  answer?: (ssml: string) => Answer;
}

export interface FakeSpeechService {
  /** The WebSocket URL to give SpeechConfig.fromEndpoint. */
  endpoint: string;
  /** WebSocket connections accepted so far. */
  connections: number;
  /** Every SSML document received, in order. */
  ssml: string[];
  /** Body of every synthesis.context message (it carries the requested output format). */
  contexts: string[];
  stop(): Promise<void>;
}

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

function frame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const head =
    length < 126
      ? Buffer.from([0x80 | opcode, length])
      : length < 65_536
        ? Buffer.from([0x80 | opcode, 126, length >> 8, length & 0xff])
        : Buffer.concat([Buffer.from([0x80 | opcode, 127]), bigLength(length)]);
  return Buffer.concat([head, payload]);
}

function bigLength(length: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(length));
  return b;
}

/** Splits complete client frames off `buffer`; returns them and what is left over. */
function readFrames(buffer: Buffer): { frames: Array<{ opcode: number; payload: Buffer }>; rest: Buffer } {
  const frames: Array<{ opcode: number; payload: Buffer }> = [];
  let offset = 0;
  for (;;) {
    if (buffer.length - offset < 2) break;
    const opcode = buffer[offset]! & 0x0f;
    const masked = (buffer[offset + 1]! & 0x80) !== 0;
    let length = buffer[offset + 1]! & 0x7f;
    let at = offset + 2;
    if (length === 126) {
      if (buffer.length < at + 2) break;
      length = buffer.readUInt16BE(at);
      at += 2;
    } else if (length === 127) {
      if (buffer.length < at + 8) break;
      length = Number(buffer.readBigUInt64BE(at));
      at += 8;
    }
    const maskAt = at;
    if (masked) at += 4;
    if (buffer.length < at + length) break;
    const payload = Buffer.from(buffer.subarray(at, at + length));
    if (masked) for (let i = 0; i < payload.length; i++) payload[i]! ^= buffer[maskAt + (i % 4)]!;
    frames.push({ opcode, payload });
    offset = at + length;
  }
  return { frames, rest: buffer.subarray(offset) };
}

function headersOf(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

function textMessage(path: string, requestId: string, body: string): Buffer {
  const text = `X-RequestId:${requestId}\r\nContent-Type:application/json\r\nPath:${path}\r\n\r\n${body}`;
  return frame(0x1, Buffer.from(text, 'utf8'));
}

function audioMessage(requestId: string, streamId: string, audio: Buffer): Buffer {
  const header = Buffer.from(`X-RequestId:${requestId}\r\nX-StreamId:${streamId}\r\nPath:audio\r\n`, 'ascii');
  const length = Buffer.alloc(2);
  length.writeUInt16BE(header.length);
  return frame(0x2, Buffer.concat([length, header, audio]));
}

export async function startFakeSpeechService(options: FakeSpeechServiceOptions): Promise<FakeSpeechService> {
  const sockets = new Set<Duplex>();
  const answer = options.answer ?? (() => ({ audio: Buffer.from('ID3fake-mp3'), durationTicks: 12_340_000 }));
  const server = http.createServer((_, res) => res.writeHead(404).end());
  const service: FakeSpeechService = {
    endpoint: '',
    connections: 0,
    ssml: [],
    contexts: [],
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  server.on('upgrade', (req, socket: Duplex) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const status = req.headers['ocp-apim-subscription-key'] !== options.key ? 401 : options.refuseWith;
    if (status !== undefined) {
      socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? 'Error'}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
      return;
    }
    const accept = createHash('sha1').update(`${String(req.headers['sec-websocket-key'])}${GUID}`).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    service.connections += 1;

    let pending: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      const { frames, rest } = readFrames(Buffer.concat([pending, chunk]));
      pending = rest;
      for (const { opcode, payload } of frames) {
        if (opcode === 0x8) {
          socket.end(frame(0x8, payload.subarray(0, 2)));
          return;
        }
        if (opcode === 0x9) socket.write(frame(0xa, payload));
        if (opcode !== 0x1) continue;
        const text = payload.toString('utf8');
        const split = text.indexOf('\r\n\r\n');
        const headers = headersOf(split < 0 ? text : text.slice(0, split));
        const body = split < 0 ? '' : text.slice(split + 4);
        if (headers.path === 'synthesis.context') service.contexts.push(body);
        if (headers.path !== 'ssml') continue;
        service.ssml.push(body);
        const requestId = headers['x-requestid'] ?? '';
        const reply = answer(body);
        if ('silent' in reply) continue;
        if ('closeCode' in reply) {
          const close = Buffer.alloc(2);
          close.writeUInt16BE(reply.closeCode);
          socket.end(frame(0x8, Buffer.concat([close, Buffer.from(reply.reason, 'utf8')])));
          return;
        }
        const streamId = randomUUID().replace(/-/g, '');
        socket.write(textMessage('turn.start', requestId, '{"context":{"serviceTag":"fake"}}'));
        socket.write(textMessage('response', requestId, JSON.stringify({ audio: { type: 'inline', streamId } })));
        socket.write(audioMessage(requestId, streamId, reply.audio));
        const metadata = { Metadata: [{ Type: 'SessionEnd', Data: { Offset: reply.durationTicks } }] };
        socket.write(textMessage('audio.metadata', requestId, JSON.stringify(metadata)));
        socket.write(textMessage('turn.end', requestId, '{}'));
      }
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  service.endpoint = `ws://127.0.0.1:${port}/cognitiveservices/websocket/v1`;
  return service;
}
