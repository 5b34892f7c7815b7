import type { Context } from 'hono';
import type { OperationPorts } from '../operations/operation-ports.js';
import type { RefusedRequests } from '../operations/refused-requests.js';

export interface ConsoleOptions {
  ports: OperationPorts;
  /** Where the console is mounted ('' locally, '/api/console' on Azure): every link starts with it. */
  basePath: string;
  /** CONSOLE_TOKEN: when set, every request needs it (bearer or the login cookie), loopback too. */
  token?: string | undefined;
  /** Host names the console answers to (DNS rebinding guard); localhost names are always allowed. */
  hosts: readonly string[];
  /**
   * How a request proves who it is besides the token. 'loopback': the host tells the client's address
   * and a loopback client needs nothing more (when no token is set). 'easyAuth': Azure App Service
   * authentication put its principal header on the request (it strips any the client sent).
   */
  identity: { kind: 'loopback'; clientAddress: (c: Context) => string | undefined } | { kind: 'easyAuth' };
  /** The refused-requests record, when the host keeps one. */
  refused?: RefusedRequests | undefined;
  /** A description of the adapters in use, shown in the footer. */
  describePorts?: () => Record<string, string>;
  now?: () => Date;
}
