import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syncFolder, writeNewFileDurably } from '../../../adapters/durable-files.js';
import { blockingFileCalls, pooledFileCalls, writeWhole } from '../../../adapters/file-calls.js';

describe('writeWhole', () => {
  it('continues a short write where it stopped, across the parts, skipping empty ones', async () => {
    const parts = [Buffer.from('abc'), new Uint8Array(0), Buffer.from('defg'), Buffer.from('h')];
    const seen: string[] = [];
    // Each write takes at most 2 bytes, as a write interrupted by a signal may.
    await writeWhole(parts, (rest) => {
      const joined = Buffer.concat(rest);
      seen.push(joined.subarray(0, 2).toString());
      return Math.min(2, joined.length);
    });
    expect(seen.join('')).toBe('abcdefgh');
    expect(seen).toEqual(['ab', 'cd', 'ef', 'gh']);
  });

  it('fails rather than loop when a write makes no progress', async () => {
    await expect(writeWhole([Buffer.from('x')], () => 0)).rejects.toMatchObject({ code: 'EIO' });
  });
});

describe.each([
  ['blocking', blockingFileCalls],
  ['pooled', pooledFileCalls],
])('durable files, %s file calls', (_, files) => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'talkback-durable-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes every part, in order, into a new file with the mode asked for', async () => {
    const file = path.join(dir, 'a.bin');
    const big = Buffer.alloc(3 * 1024 * 1024, 7);
    await writeNewFileDurably(files, file, [Buffer.from('head\n'), new Uint8Array(0), big, Buffer.from('tail')], 0o600);
    const written = await readFile(file);
    expect(written.length).toBe(5 + big.length + 4);
    expect(written.subarray(0, 5).toString()).toBe('head\n');
    expect(written.subarray(-4).toString()).toBe('tail');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('refuses to overwrite a file that exists (the first writer wins)', async () => {
    const file = path.join(dir, 'b.bin');
    await writeNewFileDurably(files, file, [Buffer.from('first')]);
    await expect(writeNewFileDurably(files, file, [Buffer.from('second')])).rejects.toMatchObject({ code: 'EEXIST' });
    expect((await readFile(file)).toString()).toBe('first');
  });

  it('syncs a folder, and says so when there is none', async () => {
    await expect(syncFolder(files, dir)).resolves.toBeUndefined();
    await expect(syncFolder(files, path.join(dir, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
    // The outbox's way: a folder that cannot be opened for the sync is not an error.
    await expect(syncFolder(files, path.join(dir, 'missing'), { unopenedIsFine: true })).resolves.toBeUndefined();
  });

  it('tells what is there and reads it back, by descriptor and whole', async () => {
    const file = path.join(dir, 'c.bin');
    expect(await files.exists(file)).toBe(false);
    await writeNewFileDurably(files, file, [Buffer.from('hello')]);
    expect(await files.exists(file)).toBe(true);
    await expect(files.exists(path.join(file, 'inside'))).rejects.toMatchObject({ code: 'ENOTDIR' });
    const fd = await files.open(file, 'r');
    const head = Buffer.alloc(3);
    expect([await files.size(fd), await files.read(fd, head, 1), head.toString()]).toEqual([5, 3, 'ell']);
    await files.close(fd);
    expect((await files.readWhole(file)).toString()).toBe('hello');
  });
});
