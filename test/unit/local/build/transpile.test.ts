import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT, SOURCE_FOLDERS, transpile } from '../../../../local/build/transpile.js';

async function sourceCount(): Promise<number> {
  let count = 0;
  for (const folder of SOURCE_FOLDERS) {
    const names = await readdir(path.join(ROOT, folder), { recursive: true });
    count += names.filter((name) => /\.tsx?$/.test(name) && !name.endsWith('.d.ts')).length;
  }
  return count;
}

describe("npm start's build (local/build/transpile.ts)", () => {
  let outdir: string;
  beforeEach(async () => {
    outdir = await mkdtemp(path.join(tmpdir(), 'talkback-transpile-'));
  });
  afterEach(async () => {
    await rm(outdir, { recursive: true, force: true });
  });

  it('writes one JavaScript module per source file, same tree; JSX on hono/jsx; nothing for declaration files', async () => {
    const result = await transpile({ outdir });
    expect(result.files).toBe(await sourceCount());
    expect(result.written).toBe(result.files);
    expect(existsSync(path.join(outdir, 'local/main.js'))).toBe(true);
    expect(existsSync(path.join(outdir, 'local/pipeline-main.js'))).toBe(true);
    expect(existsSync(path.join(outdir, 'adapters/speech/espeak/espeak-worker.js'))).toBe(true);
    expect(existsSync(path.join(outdir, 'core/mjml.d.js'))).toBe(false);
    const layout = await readFile(path.join(outdir, 'console/layout.js'), 'utf8');
    expect(layout).toContain('from "hono/jsx/jsx-runtime"');
    // Types are erased, imports keep their .js specifiers (they now name the built siblings).
    const main = await readFile(path.join(outdir, 'local/main.js'), 'utf8');
    expect(main).toContain('from "./host.js"');
    expect(main).not.toMatch(/: Promise<void>/);
  });

  it('rewrites only what changed and removes modules whose source is gone', async () => {
    await transpile({ outdir });
    const stale = path.join(outdir, 'local/removed-since.js');
    await writeFile(stale, 'export {};\n');
    const main = path.join(outdir, 'local/main.js');
    const built = await readFile(main, 'utf8');
    await writeFile(main, '// edited by hand\n');
    const again = await transpile({ outdir });
    expect(again).toMatchObject({ written: 1, removed: 1 });
    expect(existsSync(stale)).toBe(false);
    expect(await readFile(main, 'utf8')).toBe(built);
    expect(await transpile({ outdir })).toMatchObject({ written: 0, removed: 0 });
    // No temporary file is left next to a module.
    expect((await readdir(path.join(outdir, 'local'))).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
