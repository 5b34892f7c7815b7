import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../core/config.js';
import { createLogger } from '../../core/logger.js';
import { startLocalHost, type LocalHost, type LocalHostOptions } from '../../local/host.js';

export async function tempDataDir(prefix = 'talkback-e2e-'): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A local host on free ports with its data in `dataDir`; settings and host options may be overridden. */
export async function startTestHost(
  dataDir: string,
  settings: Record<string, string> = {},
  hostOptions: Omit<LocalHostOptions, 'logger'> = {},
): Promise<{ host: LocalHost; config: Config }> {
  const config = loadConfig({
    PORT: '0',
    AZURITE_BLOB_PORT: '0',
    TALKBACK_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    STAFF_EMAILS: 'staff@example.test, lead@example.test',
    MAIL_FROM: 'talkback@example.test',
    RETRY_BASE_DELAY_MS: '200',
    RETRY_MAX_DELAY_MS: '2000',
    // The e2e suites run once per SDK: vitest.config.ts gives each run its BOT_SDK.
    BOT_SDK: process.env['BOT_SDK'] ?? 'botbuilder',
    ...settings,
  });
  const logger = createLogger(process.env['TEST_LOG_LEVEL'] ?? 'silent');
  const host = await startLocalHost(config, { logger, ...hostOptions });
  return { host, config };
}
