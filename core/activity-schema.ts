import { z } from 'zod';
import { hasControlCharacters } from './control-characters.js';

/**
 * The fields of a Bot Framework activity that talkback reads, with the types a channel sends.
 * Anything else in the activity passes through untouched (botbuilder reads its own fields), but
 * a wrong type in one of these is the sender's mistake: 400 naming the field, nothing published.
 */
const id = (max: number) =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((v) => v.trim() !== '', 'must not be blank')
    .refine((v) => !hasControlCharacters(v), 'must not contain control characters');

const account = z.looseObject({ id: id(512), name: z.string().max(1024).nullish() });

export const activitySchema = z
  .looseObject({
    type: z.string().regex(/^[A-Za-z]{1,64}$/, 'must be an activity type such as "message"'),
    id: id(512).optional(),
    text: z.string().max(1_000_000).nullish(),
    locale: z
      .string()
      .regex(/^$|^[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*$/, 'must be a language tag such as "en-US"')
      .nullish(),
    channelId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be a channel name such as "msteams"'),
    serviceUrl: z.url({ protocol: /^https?$/ }).max(2048),
    conversation: z.looseObject({ id: id(1024) }),
    from: account.optional(),
    recipient: account.optional(),
    membersAdded: z.array(account).max(1000).nullish(),
  })
  .refine((a) => a.type !== 'message' || a.from !== undefined, { path: ['from', 'id'], message: 'is required on a message' });

export type IntakeActivity = z.infer<typeof activitySchema>;

/** The first problem, as "field: what is wrong" (the field path dotted). */
export function describeIssue(error: z.ZodError): { field: string; message: string } {
  const issue = error.issues[0];
  const field = (issue?.path ?? []).map(String).join('.') || '(activity)';
  const message = issue === undefined ? 'is invalid' : issue.code === 'invalid_type' ? `must be ${issue.expected}` : issue.message;
  return { field, message };
}
