import type { Config } from '../core/config.js';
import type { ConsoleOptions } from './console-options.js';

/** The console's options from the validated settings; the host adds the ports and how it identifies callers. */
export function consoleSettings(config: Config): Pick<ConsoleOptions, 'token' | 'hosts'> {
  const hosts: string[] = [];
  // The name the host is reached by (the local host's Host allow-list uses the same setting).
  if (config.PUBLIC_HOST) hosts.push(config.PUBLIC_HOST.replace(/:\d+$/, '').toLowerCase());
  if (config.WEBSITE_HOSTNAME) hosts.push(config.WEBSITE_HOSTNAME.toLowerCase());
  // The address the staff emails link to.
  if (config.CONSOLE_BASE_URL) hosts.push(new URL(config.CONSOLE_BASE_URL).hostname.replace(/^\[|\]$/g, '').toLowerCase());
  // Bound to one specific address (not a wildcard): that address is a name the console answers to.
  if (!['0.0.0.0', '::', ''].includes(config.HOST)) hosts.push(config.HOST.replace(/^\[|\]$/g, '').toLowerCase());
  return { token: config.CONSOLE_TOKEN, hosts };
}
