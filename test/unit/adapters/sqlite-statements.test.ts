import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { statementCache } from '../../../adapters/sqlite-statements.js';

let db: Database.Database;

beforeEach(() => {
  db = new Database(':memory:');
  db.exec('CREATE TABLE t (n INTEGER PRIMARY KEY, label TEXT)');
});

afterEach(() => db.close());

describe('statementCache', () => {
  it('prepares a SQL text once and gives back the same statement for it', () => {
    const sql = statementCache(db);
    const insert = sql('INSERT INTO t (n, label) VALUES (?, ?)');
    expect(sql('INSERT INTO t (n, label) VALUES (?, ?)')).toBe(insert);
    expect(sql('SELECT label FROM t WHERE n = ?')).not.toBe(insert);
  });

  it('runs a cached statement again and again with new parameters', () => {
    const sql = statementCache(db);
    for (let n = 1; n <= 3; n += 1) sql('INSERT INTO t (n, label) VALUES (?, ?)').run(n, `row ${n}`);
    expect(sql('SELECT label FROM t WHERE n = ?').pluck().get(2)).toBe('row 2');
    expect(sql('SELECT count(*) FROM t').pluck().get()).toBe(3);
  });

  it('still works after the schema changed under a cached statement', () => {
    const sql = statementCache(db);
    sql('INSERT INTO t (n, label) VALUES (?, ?)').run(1, 'one');
    db.exec('CREATE INDEX t_label ON t (label); ALTER TABLE t ADD COLUMN extra TEXT');
    sql('INSERT INTO t (n, label) VALUES (?, ?)').run(2, 'two');
    expect(sql('SELECT label FROM t ORDER BY n').pluck().all()).toEqual(['one', 'two']);
  });

  it('keeps one cache per connection', () => {
    const second = new Database(':memory:');
    second.exec('CREATE TABLE t (n INTEGER PRIMARY KEY, label TEXT)');
    try {
      const one = statementCache(db)('SELECT count(*) FROM t');
      const two = statementCache(second)('SELECT count(*) FROM t');
      expect(one).not.toBe(two);
      expect(two.database).toBe(second);
    } finally {
      second.close();
    }
  });
});
