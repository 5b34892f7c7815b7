import type { InvocationContext } from '@azure/functions';
import { toTalkbackError } from '../core/errors.js';
import { invocationLogger } from '../core/logger.js';
import { parseEvent } from '../core/parse-event.js';
import { addFailure } from '../core/record-changes.js';
import type { SubscriberFunction } from './declarations.js';
import type { Services } from './services.js';

/**
 * Runs a subscriber on one bus message, for either host. Resolves: the message is done.
 * Throws a retryable error: the bus redelivers. Throws a permanent one: it is first recorded on the
 * interaction record, then the host dead-letters the message with the error code as the reason.
 */
export async function runSubscriber(
  fn: SubscriberFunction,
  body: unknown,
  services: Services,
  context: InvocationContext,
): Promise<void> {
  const event = parseEvent(body);
  if (fn.subjects !== '*' && !fn.subjects.includes(event.subject)) return;
  const logger = invocationLogger(services.logger, {
    function: fn.name,
    eventId: event.id,
    conversationId: event.data.conversationId,
  });
  try {
    await fn.handler(event, { services, logger, context });
  } catch (caught) {
    const error = toTalkbackError(caught);
    if (!error.retryable) {
      const key = { conversationId: event.data.conversationId, id: event.correlationId };
      const failure = {
        function: fn.name,
        code: error.code,
        message: error.message.slice(0, 500),
        at: services.now().toISOString(),
        eventId: event.id,
      };
      try {
        const store = await services.store();
        await store.update(key, (current) => addFailure(current, key, failure));
      } catch (recordError) {
        logger.error({ err: toTalkbackError(recordError).message }, 'could not record the failure');
      }
      logger.error({ code: error.code }, `permanent failure: ${error.message}`);
    } else {
      logger.debug({ code: error.code }, `retryable failure: ${error.message}`);
    }
    throw error;
  }
}
