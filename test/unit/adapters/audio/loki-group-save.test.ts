import { createRequire } from 'node:module';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { groupSaves, type LokiDb } from '../../../../adapters/audio/loki-group-save.js';

// The LokiJS that Azurite keeps its blob index in (a dependency of azurite, not of talkback).
const require = createRequire(createRequire(import.meta.url).resolve('azurite'));
interface Collection {
  insert(doc: object): void;
}
interface Loki extends LokiDb {
  addCollection(name: string): Collection;
  close(callback: () => void): void;
}
const Loki = require('lokijs') as new (file: string, options: object) => Loki;

let dir: string;
let file: string;
let db: Loki;
let blobs: Collection;
let saves: number;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'talkback-loki-'));
  file = join(dir, 'index.json');
  db = new Loki(file, { persistenceMethod: 'fs', autosave: false });
  blobs = db.addCollection('blobs');
  saves = 0;
  const save = db.saveDatabase.bind(db);
  db.saveDatabase = (callback) => {
    saves += 1;
    save(callback);
  };
});

afterEach(async () => {
  await new Promise<void>((resolve) => db.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

const onDisk = async () => (await readFile(file, 'utf8').catch(() => '')).match(/blob-\d+/g) ?? [];

describe('groupSaves', () => {
  it('resolves only once the index on disk holds what was written before the call, even with a save already in flight', async () => {
    const flush = groupSaves(() => [db], { minGapMs: 0 });
    blobs.insert({ name: 'blob-1' });
    db.saveDatabase(() => undefined); // Azurite's autosave: it took the change, but has not written it yet
    await flush();
    expect(await onDisk()).toEqual(['blob-1']);

    blobs.insert({ name: 'blob-2' });
    db.saveDatabase(() => undefined); // an autosave that took blob-2 ...
    blobs.insert({ name: 'blob-3' }); // ... but not blob-3
    await flush();
    expect(await onDisk()).toEqual(['blob-1', 'blob-2', 'blob-3']);
  });

  it('lets callers that arrive together share one save', async () => {
    const flush = groupSaves(() => [db], { minGapMs: 0 });
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => {
        blobs.insert({ name: `blob-${i}` });
        return flush();
      }),
    );
    expect(saves).toBe(1);
    expect(await onDisk()).toHaveLength(20);
  });

  it('does not save when nothing changed', async () => {
    const flush = groupSaves(() => [db], { minGapMs: 0 });
    blobs.insert({ name: 'blob-1' });
    await flush();
    await flush();
    expect(saves).toBe(1);
  });

  it('spaces saves by at least minGapMs and a multiple of the last save duration', async () => {
    let clock = 0;
    const flush = groupSaves(() => [db], { minGapMs: 50, gapFactor: 5, now: () => clock });
    blobs.insert({ name: 'blob-1' });
    await flush();
    expect(saves).toBe(1);
    blobs.insert({ name: 'blob-2' });
    const second = flush();
    await new Promise((r) => setTimeout(r, 20));
    expect(saves).toBe(1); // still inside the 50 ms gap
    clock += 50;
    await second;
    expect(saves).toBe(2);
    expect(await onDisk()).toEqual(['blob-1', 'blob-2']);
  });
});
