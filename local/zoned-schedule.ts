import { nextOccurrence, type Schedule } from './ncrontab.js';
import { TalkbackError } from '../core/errors.js';
import { instantsAt, wallClock } from '../core/time-zone.js';

/**
 * The first instant strictly after `after` at which `schedule`, read as wall-clock time in `timeZone`,
 * fires (as Azure Functions reads a timer's schedule in WEBSITE_TIME_ZONE). Around daylight-saving
 * changes: a time the clocks skip does not fire that day; a time the clocks repeat fires once, the
 * first time it is shown, so a daily job never runs twice.
 */
export function nextOccurrenceIn(schedule: Schedule, after: Date, timeZone: string): Date {
  if (timeZone === 'UTC') return nextOccurrence(schedule, after);
  let wall = wallClock(after, timeZone);
  for (let guard = 0; guard < 1000; guard += 1) {
    wall = nextOccurrence(schedule, wall);
    const first = instantsAt(wall, timeZone)[0];
    if (first !== undefined && first.getTime() > after.getTime()) return first;
  }
  throw new TalkbackError('ConfigInvalid', `schedule never fires in ${timeZone}`);
}
