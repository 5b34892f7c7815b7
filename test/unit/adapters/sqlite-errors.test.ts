import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translateSqliteError } from '../../../adapters/sqlite-errors.js';
import { TalkbackError } from '../../../core/errors.js';

/** The error better-sqlite3 throws from `work`, as it throws it. */
function thrown(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('translateSqliteError', () => {
  it.each([
    ['SQLITE_BUSY', true],
    ['SQLITE_BUSY_SNAPSHOT', true],
    ['SQLITE_LOCKED', true],
    ['SQLITE_LOCKED_SHAREDCACHE', true],
    ['SQLITE_IOERR', true],
    ['SQLITE_IOERR_WRITE', true],
    ['SQLITE_FULL', true],
    ['SQLITE_PROTOCOL', true],
    ['SQLITE_CANTOPEN', false],
    ['SQLITE_CANTOPEN_ISDIR', false],
    ['SQLITE_CORRUPT', false],
    ['SQLITE_NOTADB', false],
    ['SQLITE_READONLY', false],
    ['SQLITE_CONSTRAINT_PRIMARYKEY', false],
    ['SQLITE_ERROR', false],
  ] as const)('classifies %s as retryable: %s', (sqliteCode, retryable) => {
    const error = translateSqliteError(new Database.SqliteError('the engine said no', sqliteCode), 'publish', 'BusFailed');
    expect(error).toBeInstanceOf(TalkbackError);
    expect(error).toMatchObject({ code: retryable ? 'BusFailed' : 'BusRejected', retryable, details: { sqliteCode } });
    expect(error.message).toBe('publish: the engine said no');
  });

  describe('on what better-sqlite3 really throws', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'talkback-sqlite-errors-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('treats a path it cannot open, a file that is no database, a read-only database and a constraint as permanent', async () => {
      await writeFile(join(dir, 'junk.db'), 'x'.repeat(4096));
      const db = new Database(join(dir, 'a.db'));
      db.exec('CREATE TABLE t (a PRIMARY KEY); INSERT INTO t VALUES (1)');
      const readOnly = new Database(join(dir, 'a.db'), { readonly: true });
      const errors = [
        thrown(() => new Database(dir)),
        thrown(() => new Database(join(dir, 'junk.db')).exec('SELECT * FROM sqlite_master')),
        thrown(() => readOnly.exec('INSERT INTO t VALUES (2)')),
        thrown(() => db.exec('INSERT INTO t VALUES (1)')),
      ].map((e) => translateSqliteError(e, 'update', 'StorageFailed'));
      readOnly.close();
      db.close();
      expect(errors.map((e) => [e.code, e.retryable, e.details?.sqliteCode])).toEqual([
        ['StorageRejected', false, 'SQLITE_CANTOPEN'],
        ['StorageRejected', false, 'SQLITE_NOTADB'],
        ['StorageRejected', false, 'SQLITE_READONLY'],
        ['StorageRejected', false, 'SQLITE_CONSTRAINT_PRIMARYKEY'],
      ]);
    });

    it('treats a closed database as permanent', () => {
      const db = new Database(':memory:');
      db.close();
      const error = translateSqliteError(thrown(() => db.prepare('SELECT 1')), 'read', 'StorageFailed');
      expect(error).toMatchObject({ code: 'StorageRejected', retryable: false });
      expect(error.message).toContain('read: ');
    });
  });

  it('passes a TalkbackError through, and keeps the rule for unknown errors on anything else', () => {
    const own = new TalkbackError('LockLost', 'gone');
    expect(translateSqliteError(own, 'complete', 'BusFailed')).toBe(own);
    const bug = translateSqliteError(new RangeError('Too few parameter values were provided'), 'publish', 'BusFailed');
    expect(bug).toMatchObject({ code: 'Internal', retryable: true, message: 'publish: Too few parameter values were provided' });
  });
});
