import { nextOccurrence, parseNcrontab } from '../core/ncrontab.js';
import { randomId } from '../core/ids.js';
import { toTalkbackError } from '../core/errors.js';
import type { TimerFunction } from '../functions/declarations.js';
import type { Services } from '../functions/services.js';
import { InvocationContext } from '../functions/azure-functions.js';

const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export interface Timers {
  stop(): Promise<void>;
}

/** Runs each timer function on its NCRONTAB schedule (UTC), one run at a time. */
export function startTimers(timers: readonly TimerFunction[], services: Services): Timers {
  const handles = new Map<string, NodeJS.Timeout>();
  const running = new Set<Promise<void>>();
  let stopped = false;
  for (const fn of timers) {
    const schedule = parseNcrontab(services.config[fn.scheduleSetting]);
    const arm = () => {
      if (stopped) return;
      const delay = Math.max(0, nextOccurrence(schedule, services.now()).getTime() - services.now().getTime());
      // setTimeout cannot wait longer than ~24.8 days: wait in steps, re-arming until the run is due.
      handles.set(fn.name, delay > MAX_TIMEOUT_MS ? setTimeout(arm, MAX_TIMEOUT_MS) : setTimeout(fire, delay));
    };
    const fire = () => {
      const invocationId = randomId();
      const logger = services.logger.child({ function: fn.name, invocationId });
      const context = new InvocationContext({ invocationId, functionName: fn.name, logHandler: () => undefined });
      const run = fn
        .handler({ services, logger, context })
        .catch((error: unknown) => logger.error({ err: toTalkbackError(error).message }, 'timer run failed'))
        .finally(() => {
          running.delete(run);
          arm();
        });
      running.add(run);
    };
    arm();
  }
  return {
    async stop() {
      stopped = true;
      for (const handle of handles.values()) clearTimeout(handle);
      await Promise.allSettled([...running]);
    },
  };
}
