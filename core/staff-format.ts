import { wallClock } from './time-zone.js';
import { STAFF_LABELS, type StaffLabels, type StaffLocale } from './staff-locale.js';

/** How times and languages are shown to staff: in STAFF_LOCALE, every time in STAFF_TIME_ZONE. */
export interface StaffFormat {
  labels: StaffLabels;
  timeZone: string;
  /** Date and time with seconds and the zone, e.g. "Sun, 5 Jan 2025, 12:04:05 GMT+9" / "2025년 1월 5일 (일) 12:04:05 GMT+9". */
  dateTime(instant: Date | string): string;
  /** The calendar day in the zone, e.g. 2025-01-05 (for subjects and idempotency keys). */
  day(instant: Date): string;
  /** A language's name in the staff's language: ko → "Korean" / "한국어". */
  languageName(code: string): string;
}

export interface StaffOptions {
  locale?: StaffLocale;
  timeZone?: string;
}

const formats = new Map<string, StaffFormat>();

export function staffFormat({ locale = 'en', timeZone = 'UTC' }: StaffOptions = {}): StaffFormat {
  const key = `${locale} ${timeZone}`;
  const cached = formats.get(key);
  if (cached) return cached;
  const labels = STAFF_LABELS[locale];
  const dateTime = new Intl.DateTimeFormat(labels.tag, {
    timeZone,
    weekday: 'short',
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  });
  const languages = new Intl.DisplayNames([labels.tag], { type: 'language', fallback: 'code' });
  const format: StaffFormat = {
    labels,
    timeZone,
    dateTime: (instant) => dateTime.format(typeof instant === 'string' ? new Date(instant) : instant),
    day: (instant) => wallClock(instant, timeZone).toISOString().slice(0, 10),
    languageName: (code) => languages.of(code) ?? code,
  };
  formats.set(key, format);
  return format;
}
