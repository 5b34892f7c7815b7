import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syncFolder, writeNewFileDurably } from '../../../adapters/durable-files.js';

describe('durable files', () => {
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
    await writeNewFileDurably(file, [Buffer.from('head\n'), new Uint8Array(0), big, Buffer.from('tail')], 0o600);
    const written = await readFile(file);
    expect(written.length).toBe(5 + big.length + 4);
    expect(written.subarray(0, 5).toString()).toBe('head\n');
    expect(written.subarray(-4).toString()).toBe('tail');
    expect(written[5 + 1000]).toBe(7);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('refuses to overwrite a file that exists (the first writer wins)', async () => {
    const file = path.join(dir, 'b.bin');
    await writeNewFileDurably(file, [Buffer.from('first')]);
    await expect(writeNewFileDurably(file, [Buffer.from('second')])).rejects.toMatchObject({ code: 'EEXIST' });
    expect((await readFile(file)).toString()).toBe('first');
  });

  it('syncs a folder, and says so when there is none', async () => {
    await expect(syncFolder(dir)).resolves.toBeUndefined();
    await expect(syncFolder(path.join(dir, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
