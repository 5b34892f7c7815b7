import { createConsoleApp } from '../console/console-app.js';
import { consoleSettings } from '../console/console-settings.js';
import { subscriptions } from './all.js';
import type { HttpFunction } from './declarations.js';

/** Where the Functions host serves this function (its route under the "api" prefix). */
export const CONSOLE_BASE_PATH = '/api/console';

let consoleApp: ReturnType<typeof createConsoleApp> | undefined;

/**
 * The staff console on Azure: one HTTP function for every console path. Staff sign in through App
 * Service authentication (Easy Auth), which puts the x-ms-client-principal header on the request
 * (CONSOLE_TOKEN works too). The local host does not register it: it serves the console at / itself.
 */
export const staffConsole: HttpFunction = {
  kind: 'http',
  name: 'console',
  route: 'console/{*path}',
  methods: ['GET', 'HEAD', 'POST'],
  async handler(request, ctx) {
    consoleApp ??= createConsoleApp({
      ...consoleSettings(ctx.config),
      basePath: CONSOLE_BASE_PATH,
      ports: { bus: ctx.ports.bus, store: ctx.ports.store, audio: ctx.ports.audio, mailer: ctx.ports.mailer, subscriptions: subscriptions.map((s) => s.name) },
      identity: { kind: 'easyAuth' },
      describePorts: () => ctx.ports.describe(),
    });
    return consoleApp.fetch(request);
  },
};
