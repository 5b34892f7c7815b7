import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { onStopSignals } from '../../../local/stop-signals.js';

describe('onStopSignals', () => {
  it('ignores a relayed copy of the first signal, forces on a later one', () => {
    const target = new EventEmitter();
    let now = 1_000;
    const calls: string[] = [];
    onStopSignals(
      { stop: (s) => calls.push(`stop ${s}`), force: (s) => calls.push(`force ${s}`), duplicateWindowMs: 1_000, now: () => now },
      target as unknown as NodeJS.Process,
    );
    target.emit('SIGINT', 'SIGINT');
    now += 5; // npm relays the terminal's Ctrl-C to its child
    target.emit('SIGINT', 'SIGINT');
    now += 300;
    target.emit('SIGTERM', 'SIGTERM');
    expect(calls).toEqual(['stop SIGINT']);
    now += 1_000;
    target.emit('SIGINT', 'SIGINT');
    expect(calls).toEqual(['stop SIGINT', 'force SIGINT']);
  });
});
