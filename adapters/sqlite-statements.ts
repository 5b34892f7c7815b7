import type Database from 'better-sqlite3';

/**
 * A connection's statements, each prepared once: better-sqlite3 keeps no cache of its own, and
 * preparing (parsing the SQL, resolving it against the schema) cost the pipeline more than running
 * most of these statements. SQLite re-prepares a cached statement by itself when the schema changes.
 * A statement is one object per SQL text: a caller that sets a mode (`pluck()`) sets it on every use
 * of that text, so each text is used in one mode only.
 */
export function statementCache(db: Database.Database): (sql: string) => Database.Statement {
  const statements = new Map<string, Database.Statement>();
  return (sql) => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
}
