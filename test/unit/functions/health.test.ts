import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../core/config.js';
import type { FunctionContext } from '../../../functions/context.js';
import { health } from '../../../functions/health.js';
import { embeddedApp } from '../../support/embedded-app.js';
import { tempDataDir } from '../../support/host.js';

const request = new Request('http://127.0.0.1/api/health');
let data: Awaited<ReturnType<typeof tempDataDir>>;
let env: Awaited<ReturnType<typeof embeddedApp>>;
beforeAll(async () => {
  data = await tempDataDir('talkback-health-');
  env = await embeddedApp(data.dir);
});
afterAll(async () => {
  await env.close();
  await data.remove();
});
const ctx = (settlement: FunctionContext['settlement']) => ({ ...env.app, settlement });
type Body = { status: string; failing?: string[]; parts: Record<string, { ok: boolean; detail: string }> };

describe('GET /api/health tells the truth', () => {
  it('checks every part for real: the bus and store commit, the disk has room, speech and blobs answer', async () => {
    const response = await health.handler(request, ctx('pump'));
    const body = (await response.json()) as Body;
    expect(response.status, JSON.stringify(body.parts)).toBe(200);
    expect(Object.keys(body.parts).sort()).toEqual(['audio', 'bus', 'disk', 'speech', 'store']);
    expect(body.parts['bus']).toMatchObject({ ok: true, detail: 'commits' });
    expect(body.parts['disk']?.detail).toMatch(/MB free, a synced write succeeds/);
  });

  it('503 naming the disk when it has less room than HEALTH_MIN_FREE_MB', async () => {
    const tight = { ...env.app, config: loadConfig({ TALKBACK_DATA_DIR: data.dir, HEALTH_MIN_FREE_MB: String(1024 * 1024 * 1024) }) };
    const response = await health.handler(request, tight);
    expect(response.status).toBe(503);
    const body = (await response.json()) as Body;
    expect(body).toMatchObject({ status: 'failing', failing: ['disk'] });
    expect(body.parts['disk']?.detail).toMatch(/below HEALTH_MIN_FREE_MB/);
  });

  it('503 naming the bus when its tables are gone (an emptied bus)', async () => {
    const other = await tempDataDir('talkback-health-bus-');
    const broken = await embeddedApp(other.dir);
    try {
      const db = new Database(path.join(other.dir, 'bus.sqlite'));
      db.exec('DROP TABLE published');
      db.close();
      const response = await health.handler(request, broken.app);
      expect(response.status).toBe(503);
      expect(((await response.json()) as Body).failing).toEqual(['bus']);
    } finally {
      await broken.close();
      await other.remove();
    }
  });
});

describe('GET /api/health', () => {
  it.each([
    ['pump', /dead-lettered at once/],
    ['sdk-binding', /SDK-type binding: permanent failures dead-lettered at once with code and description/],
    ['throw', /after the max delivery count/],
  ] as const)('says how bus messages are settled: %s', async (mode, description) => {
    const response = await health.handler(request, ctx(mode));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; settlement: { mode: string; description: string } };
    expect(body).toMatchObject({ status: 'ok', settlement: { mode } });
    expect(body.settlement.description).toMatch(description);
  });
});

describe('SERVICEBUS_SDK_BINDING', () => {
  it('is off by default and reads true/false, 1/0, yes/no in any case; anything else stops start-up', () => {
    expect(loadConfig({}).SERVICEBUS_SDK_BINDING).toBe(false);
    expect(loadConfig({ SERVICEBUS_SDK_BINDING: ' ' }).SERVICEBUS_SDK_BINDING).toBe(false);
    for (const on of ['true', 'TRUE', '1', 'yes']) expect(loadConfig({ SERVICEBUS_SDK_BINDING: on }).SERVICEBUS_SDK_BINDING).toBe(true);
    for (const off of ['false', '0', 'No']) expect(loadConfig({ SERVICEBUS_SDK_BINDING: off }).SERVICEBUS_SDK_BINDING).toBe(false);
    expect(() => loadConfig({ SERVICEBUS_SDK_BINDING: 'maybe' })).toThrow(/SERVICEBUS_SDK_BINDING/);
  });
});
