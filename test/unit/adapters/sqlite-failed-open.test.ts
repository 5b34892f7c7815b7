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

/** Text long enough to have where a SQLite header would be. */
const NOT_A_DATABASE = 'this is not a SQLite database, only text that is long enough to have a header\n'.repeat(20);

let dir: string;
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'talkback-failed-open-'))));
afterEach(async () => rm(dir, { recursive: true, force: true }));

/** Makes a SQLite file whose schema the adapter cannot create, with `sql` already in it. */
function conflictingSchema(path: string, sql: string): void {
  const db = openDurableDatabase(path);
  db.exec(sql);
  db.close();
}

/**
 * Each adapter, and what its schema cannot be made beside: a view holding the name of a table the
 * adapter indexes, or (the inbox, whose one CREATE TABLE IF NOT EXISTS a view passes) an index holding
 * the table's name.
 */
const adapters = [
  { what: 'the interaction store', open: (path: string) => new SqliteInteractionStore({ path }), conflict: 'CREATE VIEW interactions AS SELECT 1 AS n' },
  {
    what: 'the bus',
    open: (path: string) => new SqliteEventBus({ path, subscriptions: [{ name: 'log', subjects: '*' }] }),
    conflict: 'CREATE VIEW messages AS SELECT 1 AS n',
  },
  { what: 'the bus inbox (writer)', open: (path: string) => new SqliteBusInbox(path, { writer: true }), conflict: 'CREATE TABLE t (x); CREATE INDEX inbox ON t (x)' },
];

// The descriptors are read from /proc/self/fd, which only Linux has.
describe.runIf(process.platform === 'linux')('a SQLite adapter that fails to open', () => {
  for (const { what, open, conflict } of adapters) {
    it(`${what}: refuses a file that is not a database, and keeps no descriptor on it`, () => {
      const path = join(dir, 'not-a-database.sqlite');
      writeFileSync(path, NOT_A_DATABASE);
      expect(() => open(path)).toThrow();
      expect(descriptorsOn(path)).toEqual([]);
    });

    it(`${what}: refuses a database its schema cannot be made in, and keeps no descriptor on it`, () => {
      const path = join(dir, 'conflict.sqlite');
      conflictingSchema(path, conflict);
      expect(descriptorsOn(path)).toEqual([]);
      expect(() => open(path)).toThrow();
      expect(descriptorsOn(path)).toEqual([]);
    });
  }

  it('the bus: refuses an inbox that is not a database, and keeps no descriptor on the bus file or its log', () => {
    const path = join(dir, 'bus.sqlite');
    const inboxPath = join(dir, 'inbox.sqlite');
    writeFileSync(inboxPath, NOT_A_DATABASE);
    expect(() => new SqliteEventBus({ path, inboxPath, publishTo: 'inbox', subscriptions: [{ name: 'log', subjects: '*' }] })).toThrow(/inbox/);
    expect(descriptorsOn(path)).toEqual([]);
    expect(descriptorsOn(inboxPath)).toEqual([]);
  });
});
