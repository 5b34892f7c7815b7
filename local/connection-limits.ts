import type { Server, ServerOptions } from 'node:http';
import type { Logger } from '../core/logger.js';
import type { RefusalLog } from '../core/refusals.js';

/**
 * Node's own limits for the local host's server: the request's headers within 10 s, the whole
 * request within 15 s (checked every second, not Node's default 30 s), idle keep-alive connections
 * closed after 5 s. A slow client (a never-ending chunked body, a stalled Content-Length) is cut off
 * at 15 s instead of Node's 300 s.
 */
export const SERVER_OPTIONS: ServerOptions = {
  headersTimeout: 10_000,
  requestTimeout: 15_000,
  keepAliveTimeout: 5_000,
  connectionsCheckingInterval: 1_000,
};

/** Connections one client address may hold open at once; past it a new connection is closed at once. */
export const MAX_CONNECTIONS_PER_CLIENT = 64;

export function limitConnections(
  server: Server,
  options: { maxPerClient?: number; refusals?: RefusalLog | undefined; logger: Logger },
): void {
  const max = options.maxPerClient ?? MAX_CONNECTIONS_PER_CLIENT;
  const open = new Map<string, number>();
  server.maxHeadersCount = 100;
  server.on('connection', (socket) => {
    const client = socket.remoteAddress ?? 'unknown';
    const count = (open.get(client) ?? 0) + 1;
    if (count > max) {
      socket.destroy();
      options.refusals?.record({ status: 0, reason: `more than ${max} connections from one client`, route: 'connection' });
      options.logger.warn({ client, max }, 'connection refused: too many from one client');
      return;
    }
    open.set(client, count);
    socket.once('close', () => {
      const left = (open.get(client) ?? 1) - 1;
      if (left <= 0) open.delete(client);
      else open.set(client, left);
    });
  });
}
