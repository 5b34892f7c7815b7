import { STAGES, type InteractionRecord, type Stage } from '../core/record.js';
import { describeJourney } from '../operations/journey.js';
import { firstWords, formatDuration } from './console-format.js';

/** One row of the interactions table, the same for the server-rendered page and its JSON endpoint. */
export interface InteractionRow {
  eventId: string;
  href: string;
  customer: string;
  channel: string;
  language: string;
  firstWords: string;
  /** received, spoken, emailed, replied: when, and how long after the previous stage. */
  stages: Array<{ stage: Stage; at?: string; duration?: string }>;
  failures: string;
  updatedAt: string;
}

export function interactionRow(record: InteractionRecord, base: string): InteractionRow {
  const journey = describeJourney(record, false);
  return {
    eventId: record.id,
    href: `${base}${journey.links.page}`,
    customer: record.customer?.name || record.customer?.id || '(unknown)',
    channel: record.channelId ?? '',
    language: record.language ?? '',
    firstWords: firstWords(record.text),
    stages: STAGES.map((stage, i) => {
      const s = journey.stages[i]!;
      return {
        stage,
        ...(s.at === undefined ? {} : { at: s.at }),
        ...(s.afterPreviousMs === undefined ? {} : { duration: formatDuration(s.afterPreviousMs) }),
      };
    }),
    failures: record.failures.map((f) => `${f.function}: ${f.code}`).join(', '),
    updatedAt: record.updatedAt,
  };
}

/** Changes whenever a row on the page changes: the live table re-renders only then. */
export function pageVersion(rows: readonly InteractionRow[]): string {
  return rows.map((r) => `${r.eventId}@${r.updatedAt}`).join('|');
}
