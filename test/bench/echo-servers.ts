/**
 * The bench's two peers, each run in its own process: `node-http` (a bare node:http server that
 * parses the JSON activity and answers JSON) and `cloud-adapter` (a bare botbuilder CloudAdapter
 * echo bot, anonymous like the local host, that sends the same "received" reply to the activity's
 * serviceUrl — the same connector sink the local host replies to). Prints "listening on <url>".
 */
import { createServer, type IncomingMessage, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';

const kind = process.argv[2];

function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    req.on('error', reject);
  });
}

let handler: RequestListener;
if (kind === 'node-http') {
  handler = (req, res) => {
    readJson(req).then(
      (activity) => {
        const body = JSON.stringify({ type: 'message', text: 'received', replyToId: activity['id'] });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
      },
      () => res.writeHead(400).end(),
    );
  };
} else if (kind === 'cloud-adapter') {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const bot = new ActivityHandler();
  bot.onMessage(async (context, next) => {
    await context.sendActivity('received');
    await next();
  });
  handler = (req, res) => {
    readJson(req)
      .then(async (body) => {
        let status = 200;
        let payload: string | undefined;
        const collector = {
          socket: undefined,
          status: (code: number) => void (status = code),
          header: () => undefined,
          send: (value: unknown) => void (payload = typeof value === 'string' ? value : JSON.stringify(value)),
          end: () => undefined,
        };
        await adapter.process({ method: 'POST', headers: req.headers, body }, collector, (context) => bot.run(context));
        res.writeHead(status).end(payload);
      })
      .catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
  };
} else {
  throw new Error('usage: echo-servers.ts node-http|cloud-adapter');
}

const server = createServer(handler);
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
