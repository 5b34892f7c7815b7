import { audioReplyActivity } from '../core/audio-reply.js';
import { TalkbackError } from '../core/errors.js';
import { STAGES, type Attempt, type Failure, type InteractionRecord, type Stage } from '../core/record.js';
import type { OperationPorts } from './operation-ports.js';

export interface JourneyStage {
  stage: Stage;
  /** ISO time the stage was reached; absent when it was not (yet). */
  at?: string;
  /** Since the message was received. */
  afterReceivedMs?: number;
  /** Since the latest earlier stage reached before it (mail and reply run side by side after speech). */
  afterPreviousMs?: number;
}

export interface Journey {
  id: string;
  conversationId: string;
  channelId?: string;
  customer?: { id: string; name: string };
  language?: string;
  text?: string;
  createdAt: string;
  updatedAt: string;
  stages: JourneyStage[];
  attempts: Attempt[];
  failures: Failure[];
  audio?: NonNullable<InteractionRecord['audio']>;
  mail?: { recipients: string[]; messageId: string; copyKept: boolean };
  /** The chat reply as the reply function builds it (the audio link in it was a short-lived SAS URL). */
  reply?: { at?: string; format?: string; text: string; attachments: unknown[] };
  /** Paths under the console (relative to its base). */
  links: { page: string; audio?: string; email?: string };
}

export async function findRecord(ports: OperationPorts, eventId: string): Promise<InteractionRecord> {
  const page = await (await ports.store()).search({ id: eventId, limit: 1 });
  const record = page.records[0];
  if (!record) throw new TalkbackError('NotFound', `no interaction with event id ${eventId}`);
  return record;
}

/** One interaction's journey: stages with times and durations, attempts, failures, audio, email and reply. */
export async function journeyOf(ports: OperationPorts, eventId: string): Promise<Journey> {
  const record = await findRecord(ports, eventId);
  const mailer = await ports.mailer();
  const copyKept = record.mail !== undefined && mailer.sentCopy !== undefined && (await mailer.sentCopy(record.id)) !== undefined;
  return describeJourney(record, copyKept);
}

export function describeJourney(record: InteractionRecord, copyKept: boolean): Journey {
  const page = `/interactions/${encodeURIComponent(record.id)}`;
  const received = timeOf(record.stages.received);
  const stages = STAGES.map((stage, index): JourneyStage => {
    const at = record.stages[stage];
    const time = timeOf(at);
    const entry: JourneyStage = { stage };
    if (at !== undefined && time !== undefined) {
      entry.at = at;
      if (received !== undefined) entry.afterReceivedMs = time - received;
      const earlier = STAGES.slice(0, index)
        .map((s) => timeOf(record.stages[s]))
        .filter((t): t is number => t !== undefined && t <= time);
      if (earlier.length > 0) entry.afterPreviousMs = time - Math.max(...earlier);
    }
    return entry;
  });
  const journey: Journey = {
    id: record.id,
    conversationId: record.conversationId,
    ...(record.channelId === undefined ? {} : { channelId: record.channelId }),
    ...(record.customer === undefined ? {} : { customer: record.customer }),
    ...(record.language === undefined ? {} : { language: record.language }),
    ...(record.text === undefined ? {} : { text: record.text }),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    stages,
    attempts: record.attempts ?? [],
    failures: record.failures,
    links: { page },
  };
  if (record.audio) {
    journey.audio = record.audio;
    journey.links.audio = `${page}/audio`;
  }
  if (record.mail) {
    journey.mail = { ...record.mail, copyKept };
    if (copyKept) journey.links.email = `${page}/email.eml`;
  }
  if (record.stages.replied !== undefined || record.claims.reply?.doneAt !== undefined) {
    const activity =
      record.channelId !== undefined && record.language !== undefined
        ? audioReplyActivity({
            channelId: record.channelId,
            language: record.language,
            audioUrl: journey.links.audio ?? '',
            fileName: `talkback-${record.id}.mp3`,
          })
        : undefined;
    journey.reply = {
      ...(record.stages.replied === undefined ? {} : { at: record.stages.replied }),
      ...(record.claims.reply?.result === undefined ? {} : { format: record.claims.reply.result }),
      text: activity?.text ?? '',
      attachments: activity?.attachments ?? [],
    };
  }
  return journey;
}

function timeOf(iso: string | undefined): number | undefined {
  if (iso === undefined) return undefined;
  const time = Date.parse(iso);
  return Number.isNaN(time) ? undefined : time;
}
