import { statSync } from 'node:fs';
import Database from 'better-sqlite3';

export type SqliteFileState =
  | { state: 'missing' }
  | { state: 'empty' }
  | { state: 'ok' }
  | { state: 'corrupt'; detail: string };

/**
 * Whether a SQLite file is there and whole: it exists, is not empty, passes `PRAGMA quick_check`
 * and has the tables its adapter created. A truncated file fails one of these instead of being
 * opened as a fresh, empty database.
 */
export function checkSqliteFile(path: string, tables: readonly string[] = []): SqliteFileState {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return { state: 'missing' };
  }
  if (size === 0) return { state: 'empty' };
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    const rows = db.pragma('quick_check') as { quick_check: string }[];
    const problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
    if (problems.length > 0) return { state: 'corrupt', detail: problems.slice(0, 3).join('; ') };
    const present = new Set(
      (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name),
    );
    const lacking = tables.filter((t) => !present.has(t));
    if (lacking.length > 0) return { state: 'corrupt', detail: `table ${lacking.join(', ')} is missing` };
    return { state: 'ok' };
  } catch (error) {
    return { state: 'corrupt', detail: (error as Error).message };
  } finally {
    db?.close();
  }
}
