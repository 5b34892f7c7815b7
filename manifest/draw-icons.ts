/**
 * Draws the Teams app icons once (the PNGs are committed): `npx tsx manifest/draw-icons.ts`.
 * color.png 192x192: a white speech bubble holding a sound wave on the accent colour.
 * outline.png 32x32: the same bubble in white outline on transparent, as Teams requires.
 */
import { writeFileSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';

type Shape = (x: number, y: number) => boolean;
type Rgb = readonly [number, number, number];

const ACCENT: Rgb = [0x2b, 0x5c, 0xa8];
const WHITE: Rgb = [0xff, 0xff, 0xff];

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

/** An RGBA PNG; each pixel's colour comes from the last layer covering it, anti-aliased 4x4. */
function png(size: number, background: Rgb | undefined, layers: [Shape, Rgb][]): Buffer {
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      let [r, g, b, a] = background ? [...background, 1] : [0, 0, 0, 0];
      for (const [inside, color] of layers) {
        let hits = 0;
        for (let i = 0; i < 16; i += 1) hits += inside((x + ((i % 4) + 0.5) / 4) / size, (y + (Math.floor(i / 4) + 0.5) / 4) / size) ? 1 : 0;
        const c = hits / 16;
        const alpha = c + a * (1 - c);
        if (alpha > 0) [r, g, b] = [0, 1, 2].map((k) => (color[k]! * c + [r, g, b][k]! * a * (1 - c)) / alpha) as [number, number, number];
        a = alpha;
      }
      rows.set([Math.round(r), Math.round(g), Math.round(b), Math.round(a * 255)], y * (size * 4 + 1) + 1 + x * 4);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

// Shapes in unit coordinates (0..1).
const ellipse = (cx: number, cy: number, rx: number, ry: number): Shape => (x, y) => ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1;
const tail: Shape = (x, y) => y >= 0.6 && y <= 0.86 && x >= 0.22 && x <= 0.44 - (y - 0.6) * 0.85 && x >= 0.22 + (y - 0.6) * 0.2;
const bubble: Shape = (x, y) => ellipse(0.5, 0.44, 0.36, 0.28)(x, y) || tail(x, y);
const inner: Shape = (x, y) => ellipse(0.5, 0.44, 0.36 - 0.09, 0.28 - 0.09)(x, y) || (tail(x, y) && y < 0.64);
const bar = (cx: number, height: number): Shape => (x, y) => Math.abs(x - cx) <= 0.035 && Math.abs(y - 0.44) <= height / 2;
const wave: Shape = (x, y) => [bar(0.37, 0.16), bar(0.5, 0.3), bar(0.63, 0.2)].some((s) => s(x, y));

const here = (name: string) => new URL(name, import.meta.url);
writeFileSync(here('color.png'), png(192, ACCENT, [[bubble, WHITE], [wave, ACCENT]]));
writeFileSync(here('outline.png'), png(32, undefined, [[(x, y) => bubble(x, y) && !inner(x, y), WHITE], [wave, WHITE]]));
