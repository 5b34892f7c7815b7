// First: the process-wide settings (libuv's pool; may start this process again with the allocator's).
import './process-settings.js';
import { loadConfig } from '../core/config.js';
import { isTalkbackError } from '../core/errors.js';
import { createLogger } from '../core/logger.js';
import { collectGarbageSoon } from './compact-heap.js';
import { startLocalHost } from './host.js';
import { lineDestination } from './log-lines.js';
import { onStopSignals } from './stop-signals.js';

/** `npm start`: the local host with embedded defaults, or against Azure when its settings are present. */
async function main(): Promise<void> {
  const config = loadConfig();
  const lines = config.LOG_FORMAT === 'lines' || (config.LOG_FORMAT === 'auto' && process.stdout.isTTY);
  const logger = createLogger(config.LOG_LEVEL, lines ? lineDestination() : undefined);
  const startedAt = Date.now();
  const host = await startLocalHost(config, { logger, pipeline: 'worker-thread', logLines: lines === true });
  const endpoint = `${host.url}/api/messages`;
  const ports = host.ports.describe();
  const banner = [
    `talkback is listening on ${host.url} (started in ${Date.now() - startedAt} ms)`,
    `  bot endpoint:  ${endpoint}`,
    `  health:        ${host.url}/api/health     staff console: ${host.url}/`,
    `  bot SDK:       ${config.BOT_SDK === 'agents' ? 'Microsoft 365 Agents SDK (BOT_SDK=agents)' : 'Bot Framework SDK, archived (BOT_SDK=botbuilder; new deployments: BOT_SDK=agents)'}`,
    `  Agents Playground: TEAMSAPPTESTER_BROWSER=none npx -y -p @microsoft/m365agentsplayground agentsplayground -e ${endpoint} -c emulator`,
    `                     then open http://127.0.0.1:56150; the audio reply is a Listen card (-c emulator, -c msteams), plus Web Chat's audio player with -c webchat`,
    ...(config.MicrosoftAppId
      ? [`                     (it sends no token: run without MicrosoftAppId/clientId to use it)`]
      : [`  authentication is off (no MicrosoftAppId/clientId): bound to ${config.HOST} only`]),
    `  Bot Framework Emulator (retired, still works): open a bot at ${endpoint}${config.MicrosoftAppId ? '' : ' with App ID and password empty'}`,
    `  bus: ${ports.bus}`,
    `  records: ${ports.store}`,
    `  audio: ${ports.audio}`,
    `  speech: ${ports.speech}`,
    `  mail: ${ports.mailer}`,
    ...nodeVersionNotice(process.versions.node),
    'Ctrl-C stops; unfinished work resumes at the next start.',
  ];
  process.stdout.write(`${banner.join('\n')}\n`);
  collectGarbageSoon(1_000);

  onStopSignals({
    stop: (signal) => {
      process.stdout.write(`${signal}: finishing in-flight work (Ctrl-C again to force)...\n`);
      host.stop().then(
        () => {
          process.stdout.write('stopped cleanly\n');
          process.exit(0);
        },
        (error: unknown) => {
          logger.error({ err: (error as Error).message }, 'shutdown failed');
          process.exit(1);
        },
      );
    },
    force: () => {
      process.stdout.write('stopping now\n');
      process.exit(130);
    },
  });
}

/** talkback targets Node 22; an older Node still runs it, with a line saying so (README, "Node 22"). */
function nodeVersionNotice(version: string): string[] {
  const major = Number(version.split('.')[0]);
  return major >= 22 ? [] : [`  note: Node ${version} is past its end of life; talkback targets Node 22 (README, "Node 22")`];
}

main().catch((error: unknown) => {
  process.stderr.write(`talkback could not start: ${startFailure(error)}\n`);
  process.exit(1);
});

/** One clear line for what a person can fix (a setting, a taken port, the data folder); a stack only for a bug. */
function startFailure(error: unknown): string {
  if (isTalkbackError(error)) return `${error.code}: ${error.message}`;
  const e = error as NodeJS.ErrnoException & { address?: string; port?: number };
  if (e?.code === 'EADDRINUSE') {
    return `PortInUse: ${e.address ?? 'the address'}:${e.port ?? '?'} is already in use (is another talkback running?); set PORT (or AZURITE_BLOB_PORT) to a free port`;
  }
  if (e?.code === 'EACCES' && e.port !== undefined) return `PortDenied: no permission to listen on port ${e.port}; choose a port above 1023`;
  return String((error as Error)?.stack ?? error);
}
