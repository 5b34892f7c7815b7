import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { checkSqliteFile } from '../adapters/sqlite-integrity.js';
import { azurePorts, type Config } from '../core/config.js';
import { TalkbackError } from '../core/errors.js';

/** Written once a host has opened the folder: from then on its files are expected to be there. */
export const MARKER_FILE = 'talkback-data.json';

export interface EmbeddedFile {
  name: string;
  tables: readonly string[];
}

export const BUS_FILE: EmbeddedFile = { name: 'bus.sqlite', tables: ['messages', 'published'] };
export const STORE_FILE: EmbeddedFile = { name: 'records.sqlite', tables: ['interactions'] };
/** The intake's published messages not yet imported into the bus (adapters/bus/sqlite-bus-inbox.ts). */
export const INBOX_FILE: EmbeddedFile = { name: 'inbox.sqlite', tables: ['inbox'] };

/** The embedded databases a configuration uses (none when the bus and the store are Azure's). */
export function embeddedFiles(config: Config): EmbeddedFile[] {
  const azure = azurePorts(config);
  return [...(azure.bus ? [] : [BUS_FILE, INBOX_FILE]), ...(azure.store ? [] : [STORE_FILE])];
}

/** What a data folder holds once used: any of these means it is not new. */
const TRACES = ['bus.sqlite', 'inbox.sqlite', 'records.sqlite', 'audio', 'azurite', 'outbox', MARKER_FILE];

/**
 * The data folder knows its own state: an existing folder whose bus or store is missing, empty or
 * damaged refuses to start (with how to recover) instead of silently starting afresh and forgetting
 * the messages it had already acknowledged. A new folder is fine; `files` are the embedded
 * databases this configuration uses (none with Azure adapters).
 */
export function checkDataFolder(dataDir: string, files: readonly EmbeddedFile[]): void {
  const used = TRACES.some((t) => existsSync(path.join(dataDir, t)));
  if (!used) return;
  const expected = new Set(readMarker(dataDir));
  const problems: string[] = [];
  for (const file of files) {
    const full = path.join(dataDir, file.name);
    const known = expected.has(file.name);
    const state = checkSqliteFile(full, known ? file.tables : []);
    if (state.state === 'ok') continue;
    if (state.state === 'missing') {
      if (known) problems.push(`${file.name} is missing`);
      continue;
    }
    problems.push(state.state === 'empty' ? `${file.name} is empty (0 bytes)` : `${file.name} is damaged: ${state.detail}`);
  }
  if (problems.length === 0) return;
  throw new TalkbackError(
    'DataFolderInvalid',
    `the data folder ${dataDir} is not whole: ${problems.join('; ')}. ` +
      'talkback will not start afresh on it, since messages it already acknowledged would be lost silently. ' +
      `To recover: restore the file from a backup; or salvage a damaged one with \`sqlite3 <file> .recover | sqlite3 <new file>\`; ` +
      `or move the folder aside (mv ${dataDir} ${dataDir}.broken) to start with an empty one.`,
    { details: { problems } },
  );
}

/** Records which embedded files the folder holds, once they have been opened. */
export function markDataFolder(dataDir: string, files: readonly EmbeddedFile[]): void {
  const names = [...new Set([...readMarker(dataDir), ...files.map((f) => f.name)])].sort();
  const file = path.join(dataDir, MARKER_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify({ version: 1, files: names }, null, 2)}\n`);
  renameSync(temp, file);
}

function readMarker(dataDir: string): string[] {
  try {
    const parsed = JSON.parse(readFileSync(path.join(dataDir, MARKER_FILE), 'utf8')) as { files?: unknown };
    return Array.isArray(parsed.files) ? parsed.files.filter((f): f is string => typeof f === 'string') : [];
  } catch {
    return [];
  }
}
