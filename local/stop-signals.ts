/**
 * Ctrl-C and SIGTERM stop the host: the first signal asks for a clean stop, a second one forces it.
 * A terminal's Ctrl-C reaches every process of the foreground group, and npm (or the tsx CLI)
 * relays it to its child once more: that copy arrives within milliseconds and must not count as
 * "Ctrl-C again". Only a signal after `duplicateWindowMs` forces the stop.
 */
export interface StopSignalOptions {
  stop: (signal: NodeJS.Signals) => void;
  force: (signal: NodeJS.Signals) => void;
  duplicateWindowMs?: number;
  now?: () => number;
}

export function onStopSignals(options: StopSignalOptions, target: Pick<NodeJS.Process, 'on' | 'off'> = process): () => void {
  const windowMs = options.duplicateWindowMs ?? 1_000;
  const now = options.now ?? Date.now;
  let firstAt: number | undefined;
  const handler = (signal: NodeJS.Signals) => {
    const at = now();
    if (firstAt === undefined) {
      firstAt = at;
      options.stop(signal);
    } else if (at - firstAt >= windowMs) {
      options.force(signal);
    }
  };
  target.on('SIGINT', handler);
  target.on('SIGTERM', handler);
  return () => {
    target.off('SIGINT', handler);
    target.off('SIGTERM', handler);
  };
}
