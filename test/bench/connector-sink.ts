/**
 * The bench's Bot Framework connector: every server under test sends its replies here (the
 * activity's serviceUrl). Run in its own process; it only counts. GET /count?prefix=P answers
 * {"replies": n, "proactive": n, "lastProactiveAt": epoch ms} for conversations whose id starts
 * with P: "replies" are the bot's text answers, "proactive" the audio sent later (an activity with
 * attachments).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Counts {
  replies: number;
  proactive: number;
  lastProactiveAt: number;
}
const byPrefix = new Map<string, Counts>();
let sent = 0;

/** Conversation ids are `<prefix>-c<i>`: counts are kept per prefix. */
const prefixOf = (conversationId: string) => conversationId.replace(/-c\d+$/, '');

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://sink');
  if (req.method === 'GET' && url.pathname === '/count') {
    const counts = byPrefix.get(url.searchParams.get('prefix') ?? '') ?? { replies: 0, proactive: 0, lastProactiveAt: 0 };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(counts));
    return;
  }
  const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(url.pathname);
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    if (req.method !== 'POST' || !match) {
      res.writeHead(404).end();
      return;
    }
    const prefix = prefixOf(decodeURIComponent(match[1] ?? ''));
    const counts = byPrefix.get(prefix) ?? { replies: 0, proactive: 0, lastProactiveAt: 0 };
    byPrefix.set(prefix, counts);
    if (Buffer.concat(chunks).includes('"attachments":[')) {
      counts.proactive += 1;
      counts.lastProactiveAt = Date.now();
    } else {
      counts.replies += 1;
    }
    sent += 1;
    const body = `{"id":"sent-${sent}"}`;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length }).end(body);
  });
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
