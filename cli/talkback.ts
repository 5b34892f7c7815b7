import { connect } from 'node:net';
import { pathToFileURL } from 'node:url';
import { createPorts } from '../adapters/index.js';
import { audioStoreKind, loadConfig } from '../core/config.js';
import { toTalkbackError } from '../core/errors.js';
import { subscriptions } from '../functions/all.js';
import { findDeadLetters, listDeadLetters, settle } from '../operations/dead-letters.js';
import { eraseCustomer } from '../operations/erase-customer.js';
import { journeyOf } from '../operations/journey.js';
import { azuriteConnectionString } from '../adapters/audio/azurite-emulator.js';
import { createLogger } from '../core/logger.js';
import { parseInvocation, USAGE, type Command } from './cli-arguments.js';
import { describeResult } from './cli-output.js';

export interface CliIo {
  env: Record<string, string | undefined>;
  write: (text: string) => void;
  writeError: (text: string) => void;
}

/** `talkback <command>`: the console's operations from a shell. Returns the exit code (0 ok, 1 failed, 2 bad arguments). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let json = argv.includes('--json');
  try {
    const invocation = parseInvocation(argv);
    json = invocation.json;
    const { command } = invocation;
    if (command.name === 'help') {
      io.write(`${USAGE}\n`);
      return 0;
    }
    const result = await withPorts(io.env, (ports) => execute(ports, command));
    io.write(json ? `${JSON.stringify(result, null, 2)}\n` : `${describeResult(command, result)}\n`);
    return 0;
  } catch (caught) {
    const error = toTalkbackError(caught);
    if (json) io.write(`${JSON.stringify({ error: { code: error.code, message: error.message } }, null, 2)}\n`);
    else io.writeError(`talkback: ${error.code}: ${error.message}\n`);
    return error.code === 'BadRequest' || error.code === 'ConfigInvalid' ? 2 : 1;
  }
}

type Ports = Parameters<typeof journeyOf>[0];

async function execute(ports: Ports, command: Exclude<Command, { name: 'help' }>): Promise<unknown> {
  switch (command.name) {
    case 'dlq list':
      return { deadLetters: await listDeadLetters(ports, command.subscription) };
    case 'dlq show':
      return { deadLetters: await findDeadLetters(ports, command.messageId, command.subscription) };
    case 'dlq redrive':
      return { redriven: await settle(ports, 'redrive', command.target) };
    case 'dlq purge':
      return { purged: await settle(ports, 'purge', command.target) };
    case 'erase':
      return await eraseCustomer(ports, command.selector);
    case 'journey':
      return await journeyOf(ports, command.eventId);
  }
}

/**
 * The same ports as the host, from the same settings. Without a storage account the audio store is
 * the data folder's files (LOCAL_AUDIO_STORE=folder, opened here beside a running host), or an Azurite
 * on the data folder: the running host's (at AZURITE_BLOB_PORT), or one started here.
 */
async function withPorts<T>(env: Record<string, string | undefined>, work: (ports: Ports) => Promise<T>): Promise<T> {
  const settings = loadConfig(env);
  let overrides: Record<string, string> = {};
  if (audioStoreKind(settings) === 'azurite') {
    const port = settings.AZURITE_BLOB_PORT;
    overrides =
      port > 0 && (await listening('127.0.0.1', port))
        ? { AZURE_STORAGE_CONNECTION_STRING: azuriteConnectionString('127.0.0.1', port) }
        : { AZURITE_BLOB_PORT: '0' };
  }
  const config = loadConfig({ ...env, ...overrides });
  const ports = createPorts(config, { subscriptions, logger: createLogger('silent') });
  try {
    return await work({ ...ports, subscriptions: subscriptions.map((s) => s.name) });
  } finally {
    // Closing an embedded Azurite flushes and stops it.
    await ports.close();
  }
}

function listening(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** The process entry (npm run talkback, bin/talkback.mjs). */
export async function main(): Promise<void> {
  process.exitCode = await runCli(process.argv.slice(2), {
    env: process.env,
    write: (text) => process.stdout.write(text),
    writeError: (text) => process.stderr.write(text),
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
