import { readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteBusInbox } from '../../../adapters/bus/sqlite-bus-inbox.js';
import { SqliteEventBus } from '../../../adapters/bus/sqlite-event-bus.js';
import { openDurableDatabase } from '../../../adapters/sqlite-database.js';
import { SqliteInteractionStore } from '../../../adapters/store/sqlite-interaction-store.js';

/** This process's descriptors open on the file or its -wal / -shm (Linux: /proc/self/fd). */
function descriptorsOn(path: string): string[] {
  const open: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith(path)) open.push(target);
    } catch {
      // closed meanwhile
    }
  }
  return open;
}

let dir: string;
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'talkback-failed-open-'))));
afterEach(async () => rm(dir, { recursive: true, force: true }));

/** A SQLite file whose schema the adapter cannot create: a view holds the name of a table it indexes. */
function conflictingSchema(path: string, name: string): void {
  const db = openDurableDatabase(path);
  db.exec(`CREATE VIEW ${name} AS SELECT 1 AS n`);
  db.close();
}

const openers = {
  'the interaction store': (path: string) => new SqliteInteractionStore({ path }),
  'the bus': (path: string) => new SqliteEventBus({ path, subscriptions: [{ name: 'log', subjects: '*' }] }),
  'the bus inbox (writer)': (path: string) => new SqliteBusInbox(path, { writer: true }),
};
/** A name whose view makes the schema fail (the inbox's schema is one CREATE TABLE IF NOT EXISTS: a view passes it). */
const conflictingNames: Partial<Record<keyof typeof openers, string>> = {
  'the interaction store': 'interactions',
  'the bus': 'messages',
};

describe.runIf(process.platform === 'linux')('a SQLite adapter that fails to open', () => {
  for (const [what, open] of Object.entries(openers) as Array<[keyof typeof openers, (path: string) => unknown]>) {
    it(`${what}: refuses a file that is not a database, and keeps no descriptor on it`, () => {
      const path = join(dir, 'not-a-database.sqlite');
      writeFileSync(path, 'this is not a SQLite database, only text that is long enough to have a header\n'.repeat(20));
      expect(() => open(path)).toThrow();
      expect(descriptorsOn(path)).toEqual([]);
    });

    const conflicting = conflictingNames[what];
    it.runIf(conflicting !== undefined)(`${what}: refuses a database its schema cannot be made in, and keeps no descriptor on it`, () => {
      const path = join(dir, 'conflict.sqlite');
      conflictingSchema(path, conflicting!);
      expect(descriptorsOn(path)).toEqual([]);
      expect(() => open(path)).toThrow();
      expect(descriptorsOn(path)).toEqual([]);
    });
  }

  it('the bus: refuses an inbox that is not a database, and keeps no descriptor on the bus file or its log', () => {
    const path = join(dir, 'bus.sqlite');
    const inboxPath = join(dir, 'inbox.sqlite');
    writeFileSync(inboxPath, 'this is not a SQLite database, only text that is long enough to have a header\n'.repeat(20));
    expect(() => new SqliteEventBus({ path, inboxPath, publishTo: 'inbox', subscriptions: [{ name: 'log', subjects: '*' }] })).toThrow(/inbox/);
    expect(descriptorsOn(path)).toEqual([]);
    expect(descriptorsOn(inboxPath)).toEqual([]);
  });
});
