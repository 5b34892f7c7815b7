import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../core/config.js';
import type { FunctionContext } from '../../../functions/context.js';
import { health } from '../../../functions/health.js';

const request = new Request('http://127.0.0.1/api/health');
const ctx = (settlement: FunctionContext['settlement']) => ({ settlement }) as FunctionContext;

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
