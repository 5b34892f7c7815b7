import { activitySchema, describeIssue, type IntakeActivity } from './activity-schema.js';
import { stripControlCharacters } from './control-characters.js';
import { exceedsJsonDepth } from './json-depth.js';

export const MAX_ACTIVITY_BYTES = 256 * 1024;
/** Real activities nest a handful of levels (channelData, adaptive cards); 64 is generous. */
export const MAX_ACTIVITY_DEPTH = 64;

export type IntakeRefusal = {
  ok: false;
  status: 400 | 413 | 415;
  reason: string;
  /** The channel and conversation the refused body named, when they were strings (for the refusal's log line). */
  claimed?: { channelId?: string; conversationId?: string };
};
export type IntakeResult = { ok: true; activity: IntakeActivity & Record<string, unknown> } | IntakeRefusal;

/** Only JSON may post an activity: a form or text/plain post is what a foreign web page can send without a preflight. */
export function isJsonContentType(contentType: string | null | undefined): boolean {
  if (!contentType) return false;
  const [type, ...params] = contentType.split(';').map((p) => p.trim().toLowerCase());
  if (type !== 'application/json') return false;
  const charset = params.find((p) => p.startsWith('charset='));
  return charset === undefined || /^charset="?utf-8"?$/.test(charset);
}

/**
 * Everything checked before any work is done for an activity: its content type, size, nesting, JSON
 * syntax and the types of the fields the bot reads. Its text comes back without control characters,
 * so a message of only control characters is an empty message.
 */
export function admitActivity(contentType: string | null | undefined, raw: string): IntakeResult {
  if (!isJsonContentType(contentType)) return { ok: false, status: 415, reason: 'content type must be application/json' };
  if (Buffer.byteLength(raw) > MAX_ACTIVITY_BYTES) {
    return { ok: false, status: 413, reason: `activity larger than ${MAX_ACTIVITY_BYTES} bytes` };
  }
  if (exceedsJsonDepth(raw, MAX_ACTIVITY_DEPTH)) {
    return { ok: false, status: 400, reason: `activity nested deeper than ${MAX_ACTIVITY_DEPTH} levels` };
  }
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return { ok: false, status: 400, reason: 'body is not JSON' };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, status: 400, reason: 'body is not an activity object' };
  }
  const parsed = activitySchema.safeParse(body);
  if (!parsed.success) {
    const { field, message } = describeIssue(parsed.error);
    return { ok: false, status: 400, reason: `${field}: ${message}`, claimed: claimedIds(body as Record<string, unknown>) };
  }
  const activity = parsed.data as IntakeActivity & Record<string, unknown>;
  if (typeof activity.text === 'string') activity.text = stripControlCharacters(activity.text);
  return { ok: true, activity };
}

/** The longest claimed conversation id a refusal's log line repeats. */
const MAX_CLAIMED_ID = 256;

/**
 * What an activity that failed its schema says it belongs to, where those fields pass the schema's
 * own rules for them (a channel name, an id without control characters): an unauthenticated body
 * never puts an escape sequence or a forged line into the log or the console.
 */
function claimedIds(body: Record<string, unknown>): { channelId?: string; conversationId?: string } {
  const { channelId: channelRule, conversation: conversationRule } = activitySchema.shape;
  const channel = channelRule.safeParse(body.channelId);
  const conversation = conversationRule.safeParse(body.conversation);
  const conversationId = conversation.success && conversation.data.id.length <= MAX_CLAIMED_ID ? conversation.data.id : undefined;
  return { ...(channel.success ? { channelId: channel.data } : {}), ...(conversationId ? { conversationId } : {}) };
}
