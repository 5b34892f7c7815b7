import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteEventBus } from '../../../adapters/bus/sqlite-event-bus.js';
import { SqliteInteractionStore } from '../../../adapters/store/sqlite-interaction-store.js';
import { checkSqliteFile } from '../../../adapters/sqlite-integrity.js';
import { subscriptions } from '../../../functions/all.js';
import { BUS_FILE, checkDataFolder, markDataFolder, STORE_FILE } from '../../../local/data-folder.js';
import { LOCK_FILE, lockDataFolder } from '../../../local/data-folder-lock.js';
import { messageReceivedEvent } from '../../support/events.js';
import { tempDataDir } from '../../support/host.js';

let data: Awaited<ReturnType<typeof tempDataDir>>;
beforeEach(async () => {
  data = await tempDataDir('talkback-folder-');
});
afterEach(async () => {
  await data.remove();
});

describe('lockDataFolder', () => {
  it('refuses a second owner, naming the holder, until the first releases', () => {
    const first = lockDataFolder(data.dir);
    expect(JSON.parse(readFileSync(path.join(data.dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid });
    expect(() => lockDataFolder(data.dir)).toThrow(/in use by another talkback host/);
    first.release();
    expect(existsSync(path.join(data.dir, LOCK_FILE))).toBe(false);
    lockDataFolder(data.dir).release();
  });

  it('a live process on this host holds it; once that process is dead its lock is taken over', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    const pid = child.pid ?? 0;
    writeFileSync(path.join(data.dir, LOCK_FILE), JSON.stringify({ pid, hostname: (await import('node:os')).hostname(), startedAt: 'then' }));
    expect(() => lockDataFolder(data.dir)).toThrow(new RegExp(`pid ${pid} on .*started then`));
    await new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGKILL');
    });
    const lock = lockDataFolder(data.dir);
    expect(JSON.parse(readFileSync(path.join(data.dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
  });

  it('never guesses about a holder on another machine; a torn lock file is taken over', () => {
    writeFileSync(path.join(data.dir, LOCK_FILE), JSON.stringify({ pid: 1, hostname: 'elsewhere', startedAt: 'x' }));
    expect(() => lockDataFolder(data.dir)).toThrow(/pid 1 on elsewhere.*delete .*talkback\.lock/);
    writeFileSync(path.join(data.dir, LOCK_FILE), '{"pid":');
    lockDataFolder(data.dir).release();
  });
});

describe('checkDataFolder', () => {
  const files = [BUS_FILE, STORE_FILE];

  async function usedFolder() {
    const bus = new SqliteEventBus({ path: path.join(data.dir, 'bus.sqlite'), subscriptions });
    for (let i = 0; i < 30; i += 1) await bus.publish(messageReceivedEvent({ data: { text: `message ${i} ${'x'.repeat(2000)}` } }));
    await bus.close();
    await new SqliteInteractionStore({ path: path.join(data.dir, 'records.sqlite') }).close();
    markDataFolder(data.dir, files);
  }

  it('accepts a new folder and a whole one', async () => {
    checkDataFolder(data.dir, files);
    await usedFolder();
    checkDataFolder(data.dir, files);
    expect(checkSqliteFile(path.join(data.dir, 'bus.sqlite'), BUS_FILE.tables)).toEqual({ state: 'ok' });
  });

  it('refuses a used folder whose bus is missing, empty or truncated, saying how to recover', async () => {
    await usedFolder();
    const bus = path.join(data.dir, 'bus.sqlite');
    truncateSync(bus, Math.floor(statSync(bus).size / 2));
    expect(() => checkDataFolder(data.dir, files)).toThrow(/bus\.sqlite is damaged: .*move the folder aside/);
    truncateSync(bus, 0);
    expect(() => checkDataFolder(data.dir, files)).toThrow(/bus\.sqlite is empty/);
    (await import('node:fs')).unlinkSync(bus);
    expect(() => checkDataFolder(data.dir, files)).toThrow(/bus\.sqlite is missing/);
    // A configuration that does not use the embedded bus does not care.
    checkDataFolder(data.dir, [STORE_FILE]);
  });

  it('refuses a store that is not a database at all', async () => {
    mkdirSync(path.join(data.dir, 'outbox'), { recursive: true });
    writeFileSync(path.join(data.dir, 'records.sqlite'), 'not a database, just text '.repeat(200));
    expect(() => checkDataFolder(data.dir, files)).toThrow(/records\.sqlite is damaged/);
  });
});
