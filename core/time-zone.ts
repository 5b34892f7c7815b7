/**
 * IANA time zones through Intl only (no time-zone database of our own): validating a name, and
 * converting between an instant and the wall-clock time it shows in a zone. A wall-clock time is
 * carried as a Date whose UTC fields are the local fields (so schedule arithmetic can use the UTC
 * methods); it is never an instant.
 */

/** The canonical spelling of an IANA zone name (`asia/seoul` → `Asia/Seoul`), or undefined when Intl does not know it. */
export function canonicalTimeZone(name: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

const partsFormats = new Map<string, Intl.DateTimeFormat>();

function partsFormat(timeZone: string): Intl.DateTimeFormat {
  let format = partsFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    partsFormats.set(timeZone, format);
  }
  return format;
}

/** The wall-clock time `instant` shows in `timeZone` (whole seconds). */
export function wallClock(instant: Date, timeZone: string): Date {
  const fields: Record<string, number> = {};
  for (const part of partsFormat(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const { year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = fields;
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second));
}

/** Offset of the zone from UTC at `instant`, in ms (Seoul: +9 h). */
function offsetMs(instant: Date, timeZone: string): number {
  return wallClock(instant, timeZone).getTime() - Math.floor(instant.getTime() / 1000) * 1000;
}

/**
 * The instants that show `wall` in `timeZone`, earliest first: one normally, none in a
 * daylight-saving gap (the clocks skip that time), two in an overlap (the clocks repeat it).
 */
export function instantsAt(wall: Date, timeZone: string): Date[] {
  const DAY = 86_400_000;
  const offsets = new Set([offsetMs(new Date(wall.getTime() - DAY), timeZone), offsetMs(new Date(wall.getTime() + DAY), timeZone)]);
  const found = [...offsets]
    .map((offset) => new Date(wall.getTime() - offset))
    .filter((instant) => wallClock(instant, timeZone).getTime() === wall.getTime());
  return found.sort((a, b) => a.getTime() - b.getTime());
}
