import { TalkbackError, toTalkbackError, type ErrorCode } from '../core/errors.js';
import { recordKeyOf } from '../core/record.js';
import { invocationLogger } from '../core/logger.js';
import { parseEvent } from '../core/parse-event.js';
import { addFailure } from '../core/record-changes.js';
import type { FunctionContext } from './context.js';
import type { SubscriberFunction } from './declarations.js';

/**
 * Runs a subscriber on one bus message, for either host. Resolves: the message is done.
 * Throws a retryable error: the bus redelivers. Throws a permanent one: it is first recorded on the
 * interaction record, then the host dead-letters the message with the error code as the reason.
 */
export async function runSubscriber(
  fn: SubscriberFunction,
  body: unknown,
  ctx: FunctionContext,
): Promise<void> {
  const event = parseEvent(body);
  if (fn.subjects !== '*' && !fn.subjects.includes(event.subject)) return;
  const logger = invocationLogger(ctx.logger, {
    function: fn.name,
    eventId: event.id,
    conversationId: event.data.conversationId,
  });
  const key = recordKeyOf(event);
  const deliveryCount = ctx.delivery?.deliveryCount ?? 1;
  if (deliveryCount > 1) {
    // A redelivery of a message this function already gave up on (Azure redelivers even permanent
    // failures until the max delivery count): do not try the side effect again.
    const earlier = (await (await ctx.ports.store()).get(key))?.failures.find((f) => f.function === fn.name && f.eventId === event.id && f.skipped !== true);
    if (earlier) throw new TalkbackError(earlier.code as ErrorCode, `gave up earlier: ${earlier.message}`, { retryable: false });
  }
  try {
    await fn.handler(event, { ...ctx, logger });
  } catch (caught) {
    const error = toTalkbackError(caught);
    const exhausted = error.retryable && deliveryCount >= ctx.config.MAX_DELIVERY_COUNT;
    if (!error.retryable || exhausted) {
      const failure = {
        function: fn.name,
        code: error.code,
        message: `${exhausted ? `gave up after ${deliveryCount} deliveries: ` : ''}${error.message}`.slice(0, 500),
        at: ctx.now().toISOString(),
        eventId: event.id,
      };
      try {
        const store = await ctx.ports.store();
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
