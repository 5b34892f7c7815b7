import type { Handler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Ports } from '../adapters/index.js';
import { createConsoleApp } from '../console/console-app.js';
import { consoleSettings } from '../console/console-settings.js';
import type { Config } from '../core/config.js';
import { subscriptions } from '../functions/all.js';
import type { RefusedRequests } from '../operations/refused-requests.js';

/** The staff console at / of the local host, as one handler for every path the HTTP functions do not serve. */
export function consoleHandler(config: Config, ports: Ports, refused?: RefusedRequests): Handler {
  const app = createConsoleApp({
    ...consoleSettings(config),
    basePath: '',
    ports: { bus: ports.bus, store: ports.store, audio: ports.audio, mailer: ports.mailer, subscriptions: subscriptions.map((s) => s.name) },
    identity: { kind: 'loopback', clientAddress: (c) => getConnInfo(c).remote.address },
    refused,
    describePorts: () => ports.describe(),
  });
  // The node server's bindings (the socket) pass through, so the console can see the client's address.
  return (c) => app.fetch(c.req.raw, c.env);
}
