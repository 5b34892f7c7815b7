import { TalkbackError, isTalkbackError, type ErrorCode } from '../core/errors.js';

/**
 * Result codes (primary, and the extended codes built on them) that describe a passing condition:
 * another connection held the lock past busy_timeout (BUSY, LOCKED), a disk or file-system hiccup
 * (IOERR), a full disk that can be freed (FULL), a WAL race between processes (PROTOCOL). Anything
 * else will fail the same way again: the file cannot be opened (CANTOPEN) or is not a database
 * (NOTADB, CORRUPT), it is read-only (READONLY), a constraint or the SQL itself is wrong.
 */
const RETRYABLE = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|PROTOCOL)(_|$)/;

/** What better-sqlite3 throws (a TypeError without a code) once the database is closed, or its folder is missing. */
const CLOSED = /database connection is not open|cannot open database/i;

/** The adapter's own codes for a database failure that may pass, and for one that will not. */
const REJECTED = { BusFailed: 'BusRejected', StorageFailed: 'StorageRejected' } as const satisfies Record<string, ErrorCode>;

/**
 * Turns what better-sqlite3 throws into the one error type. `action` says what failed ("publish",
 * "interaction store update"); `fallbackCode` is the adapter's own code for database failures
 * (BusFailed, StorageFailed), its Rejected twin the code of one that fails the same way again. A
 * TalkbackError passes through unchanged. An error that is not SQLite's (a bug in a callback, say)
 * keeps core's rule for unknown errors: Internal, retryable.
 */
export function translateSqliteError(error: unknown, action: string, fallbackCode: keyof typeof REJECTED): TalkbackError {
  if (isTalkbackError(error)) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const text = error instanceof Error ? error.message : String(error);
  if (typeof code === 'string' && code.startsWith('SQLITE_')) {
    return new TalkbackError(RETRYABLE.test(code) ? fallbackCode : REJECTED[fallbackCode], `${action}: ${text}`, {
      cause: error,
      details: { sqliteCode: code },
    });
  }
  if (CLOSED.test(text)) return new TalkbackError(REJECTED[fallbackCode], `${action}: ${text}`, { cause: error });
  return new TalkbackError('Internal', `${action}: ${text}`, { cause: error });
}
