import { describe, expect, it } from 'vitest';
import { EndpointGuard, type EndpointAdmission } from '../../../core/endpoint-guard.js';

const admitted = (a: EndpointAdmission) => {
  if (!a.admitted) throw new Error(`refused: ${a.reason}`);
  return a;
};

describe('EndpointGuard', () => {
  it('caps concurrent calls per endpoint, not across endpoints', () => {
    const guard = new EndpointGuard({ maxConcurrent: 2, cooldownMs: 30_000 });
    const a1 = admitted(guard.tryEnter('a.example'));
    admitted(guard.tryEnter('a.example'));
    expect(guard.tryEnter('a.example')).toMatchObject({ admitted: false, reason: 'busy' });
    admitted(guard.tryEnter('b.example'));
    a1.done('ok');
    admitted(guard.tryEnter('a.example'));
  });

  it('refuses an endpoint at once for the cool-down after a timeout, then lets one probe through', () => {
    let now = 0;
    const guard = new EndpointGuard({ maxConcurrent: 4, cooldownMs: 30_000, now: () => now });
    admitted(guard.tryEnter('dead.example')).done('timeout');
    expect(guard.down()).toEqual(['dead.example']);
    expect(guard.tryEnter('dead.example')).toEqual({ admitted: false, reason: 'unresponsive', retryAfterMs: 30_000 });
    now = 30_000;
    const probe = admitted(guard.tryEnter('dead.example'));
    expect(guard.tryEnter('dead.example')).toMatchObject({ admitted: false, reason: 'unresponsive' });
    probe.done('timeout');
    // A failed probe doubles the cool-down.
    expect(guard.tryEnter('dead.example')).toEqual({ admitted: false, reason: 'unresponsive', retryAfterMs: 60_000 });
    now = 90_000;
    admitted(guard.tryEnter('dead.example')).done('ok');
    expect(guard.down()).toEqual([]);
    admitted(guard.tryEnter('dead.example'));
    admitted(guard.tryEnter('dead.example'));
  });

  it('a call past the cap waits for a slot; waiters are refused at once when the endpoint goes down', async () => {
    const guard = new EndpointGuard({ maxConcurrent: 1, cooldownMs: 30_000 });
    const first = admitted(guard.tryEnter('x'));
    const second = guard.enter('x', 60_000);
    const third = guard.enter('x', 60_000);
    first.done('ok');
    const got = admitted(await second);
    got.done('timeout');
    expect(await third).toMatchObject({ admitted: false, reason: 'unresponsive' });
    expect(await guard.enter('y', 10)).toMatchObject({ admitted: true });
    admitted(guard.tryEnter('z'));
    expect(await guard.enter('z', 10)).toMatchObject({ admitted: false, reason: 'busy' });
  });

  it('an answered failure (500, 403) is not a dead endpoint', () => {
    const guard = new EndpointGuard({ maxConcurrent: 1, cooldownMs: 30_000 });
    admitted(guard.tryEnter('x')).done('failed');
    admitted(guard.tryEnter('x')).done('ok');
    expect(guard.down()).toEqual([]);
  });
});
