import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPorts } from '../../../adapters/index.js';
import type { Mailer } from '../../../adapters/ports.js';
import { loadConfig } from '../../../core/config.js';
import { createLogger } from '../../../core/logger.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'talkback-ports-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('createPorts().close', () => {
  it('closes every port built, and logs (does not throw) one that fails to close', async () => {
    const lines: string[] = [];
    const logger = createLogger('info', { write: (line: string) => void lines.push(line) });
    let closedMailer = false;
    const failingStoreClose = new Error('fdatasync: EIO');
    const config = loadConfig({ TALKBACK_DATA_DIR: dir, STAFF_EMAILS: 'a@example.test' });
    const ports = createPorts(config, {
      subscriptions: [],
      logger,
      overrides: {
        mailer: { send: async () => undefined, close: async () => void (closedMailer = true) } as unknown as Mailer,
      },
    });
    const store = await ports.store();
    const realClose = store.close.bind(store);
    store.close = async () => {
      await realClose();
      throw failingStoreClose;
    };
    await ports.mailer();
    await expect(ports.close()).resolves.toBeUndefined();
    expect(closedMailer).toBe(true);
    const logged = lines.map((line) => JSON.parse(line) as { msg: string; port?: string; err?: string });
    expect(logged).toContainEqual(expect.objectContaining({ port: 'store', err: 'fdatasync: EIO', msg: 'closing the store port failed' }));
  });
});
