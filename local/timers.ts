import { randomId } from '../core/ids.js';
import { toTalkbackError } from '../core/errors.js';
import { invocationContext, type FunctionContext } from '../functions/context.js';
import type { TimerFunction } from '../functions/declarations.js';
import { parseNcrontab } from './ncrontab.js';
import { nextOccurrenceIn } from './zoned-schedule.js';

const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export interface Timers {
  stop(): Promise<void>;
}

/** Runs each timer function on its NCRONTAB schedule, read in STAFF_TIME_ZONE (as WEBSITE_TIME_ZONE on Azure), one run at a time. */
export function startTimers(timers: readonly TimerFunction[], app: FunctionContext): Timers {
  const handles = new Map<string, NodeJS.Timeout>();
  const running = new Set<Promise<void>>();
  let stopped = false;
  for (const fn of timers) {
    const schedule = parseNcrontab(app.config[fn.scheduleSetting]);
    const arm = () => {
      if (stopped) return;
      const next = nextOccurrenceIn(schedule, app.now(), app.config.STAFF_TIME_ZONE);
      const delay = Math.max(0, next.getTime() - app.now().getTime());
      // setTimeout cannot wait longer than ~24.8 days: wait in steps, re-arming until the run is due.
      handles.set(fn.name, delay > MAX_TIMEOUT_MS ? setTimeout(arm, MAX_TIMEOUT_MS) : setTimeout(fire, delay));
    };
    const fire = () => {
      const ctx = invocationContext(app, fn.name, randomId());
      const { logger } = ctx;
      const run = fn
        .handler(ctx)
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
