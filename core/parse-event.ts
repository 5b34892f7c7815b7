import { TalkbackError } from './errors.js';
import { busEventSchema, type BusEvent } from './events.js';

/** Validates a message body from the bus. A body that does not parse is permanent: redelivery cannot fix it. */
export function parseEvent(body: unknown): BusEvent {
  const result = busEventSchema.safeParse(body);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new TalkbackError('EventInvalid', `invalid event: ${problems.join('; ')}`);
  }
  return result.data;
}
