import { TalkbackError } from '../core/errors.js';

/**
 * NCRONTAB as Azure Functions timers take it: `second minute hour day month day-of-week`, each field
 * `*`, a number, a range `a-b`, a list `a,b` or a step (`*` or a range, then a slash and n). Evaluated in UTC.
 */
const FIELDS = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day-of-week', min: 0, max: 6 },
] as const;

export type Schedule = readonly ReadonlySet<number>[];

function parseField(text: string, field: (typeof FIELDS)[number]): Set<number> {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const match = /^(\*|\d+(?:-\d+)?)(?:\/(\d+))?$/.exec(part);
    if (!match) throw new TalkbackError('ConfigInvalid', `schedule ${field.name} field "${text}" is not valid`);
    const [, range = '*', stepText] = match;
    const step = stepText === undefined ? 1 : Number(stepText);
    const [from = field.min, to] = range === '*' ? [field.min, field.max] : range.split('-').map(Number);
    const end = to ?? (stepText === undefined ? from : field.max);
    if (step < 1 || from < field.min || end > field.max || from > end) {
      throw new TalkbackError('ConfigInvalid', `schedule ${field.name} field "${text}" is out of range`);
    }
    for (let v = from; v <= end; v += step) values.add(v);
  }
  return values;
}

export function parseNcrontab(expression: string): Schedule {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 6) {
    throw new TalkbackError('ConfigInvalid', `schedule "${expression}" needs 6 fields (second minute hour day month day-of-week)`);
  }
  return FIELDS.map((field, i) => parseField(parts[i] ?? '', field));
}

/** The first time strictly after `after` that the schedule fires. */
export function nextOccurrence(schedule: Schedule, after: Date): Date {
  const t = new Date(Math.floor(after.getTime() / 1000) * 1000 + 1000);
  const [sec, min, hour, day, month, dow] = schedule as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  for (let guard = 0; guard < 400 * 24 * 60; guard += 1) {
    if (!month.has(t.getUTCMonth() + 1) || !day.has(t.getUTCDate()) || !dow.has(t.getUTCDay())) {
      t.setUTCHours(24, 0, 0, 0);
      continue;
    }
    if (!hour.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
      continue;
    }
    if (!min.has(t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
      continue;
    }
    for (let s = t.getUTCSeconds(); s < 60; s += 1) {
      if (sec.has(s)) {
        t.setUTCSeconds(s, 0);
        return t;
      }
    }
    t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
  }
  throw new TalkbackError('ConfigInvalid', 'schedule never fires');
}
