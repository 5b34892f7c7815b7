import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageTeamsApp } from '../../../manifest/package.js';
import { readZip } from '../../support/zip.js';

const APP_ID = '0b3c6a4e-1f2d-4e5a-9b8c-7d6e5f4a3b2c';
const DOMAIN = 'talkback-test.azurewebsites.net';

/** Width, height and RGBA pixels of an 8-bit RGBA PNG whose rows all use filter 0 (as draw-icons writes). */
function decodePng(png: Buffer): { width: number; height: number; pixel: (x: number, y: number) => number[] } {
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length; at += 12 + png.readUInt32BE(at)) {
    if (png.toString('ascii', at + 4, at + 8) === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + png.readUInt32BE(at)));
  }
  const width = png.readUInt32BE(16);
  const raw = inflateSync(Buffer.concat(idat));
  const start = (x: number, y: number) => y * (width * 4 + 1) + 1 + x * 4;
  return { width, height: png.readUInt32BE(20), pixel: (x, y) => [...raw.subarray(start(x, y), start(x, y) + 4)] };
}

describe('npm run package:manifest (talkback-teams-app.zip)', () => {
  let dir: string;
  beforeAll(async () => (dir = await mkdtemp(path.join(tmpdir(), 'talkback-teams-'))));
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('fills the app id and domain in, and ships both icons at their required sizes', async () => {
    const file = path.join(dir, 'app.zip');
    await packageTeamsApp({ MicrosoftAppId: APP_ID, BOT_DOMAIN: DOMAIN }, file);
    const zip = await readZip(file);
    expect([...zip.keys()].sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);

    const text = zip.get('manifest.json')!.toString();
    expect(text).not.toContain('${{');
    const manifest = JSON.parse(text) as { id: string; bots: { botId: string; scopes: string[] }[]; validDomains: string[] };
    expect(manifest.id).toBe(APP_ID);
    expect(manifest.bots).toEqual([expect.objectContaining({ botId: APP_ID, scopes: ['personal', 'team', 'groupChat'] })]);
    expect(manifest.validDomains).toEqual([DOMAIN]);

    const color = decodePng(zip.get('color.png')!);
    expect([color.width, color.height]).toEqual([192, 192]);
    const outline = decodePng(zip.get('outline.png')!);
    expect([outline.width, outline.height]).toEqual([32, 32]);
    const pixels = Array.from({ length: 32 * 32 }, (_, i) => outline.pixel(i % 32, Math.floor(i / 32)));
    // White on transparent: nothing but white is drawn, and most of the square is left transparent.
    expect(pixels.filter(([r, g, b, a]) => a! > 0 && (r !== 255 || g !== 255 || b !== 255))).toEqual([]);
    expect(pixels.filter((p) => p[3] === 0).length).toBeGreaterThan(32 * 32 * 0.4);
  });

  it('refuses to package without MicrosoftAppId, naming it', async () => {
    await expect(packageTeamsApp({ BOT_DOMAIN: DOMAIN }, path.join(dir, 'none.zip'))).rejects.toThrow(/MicrosoftAppId is missing/);
  });
});
