import type { RecordChange } from '../adapters/ports.js';
import { TalkbackError, toTalkbackError } from '../core/errors.js';
import { backoffMs } from '../core/failure-policy.js';
import { recordKeyOf, type RecordKey } from '../core/record.js';
import { invocationLogger, type Logger } from '../core/logger.js';
import { parseEvent } from '../core/parse-event.js';
import { addAttempt, addSuccessAfterFailures } from '../core/record-changes.js';
import type { FunctionContext } from './context.js';
import type { SubscriberFunction } from './declarations.js';

/**
 * Runs a subscriber on one bus message, for either host. Resolves: the message is done.
 * Throws a retryable error: the bus redelivers. Throws a permanent one: it is first recorded on the
 * interaction record, then the host dead-letters the message with the error code as the reason.
 * Failed deliveries (and the success that follows one) are recorded as attempts for the console.
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
    // failures until the max delivery count): do not try the side effect again. Only failures since
    // this message was enqueued count: a dead letter redriven by staff is a new try.
    const enqueuedAt = ctx.delivery?.enqueuedAt?.getTime() ?? Number.NaN;
    const earlier = (await (await ctx.ports.store()).get(key))?.failures.find(
      (f) => f.function === fn.name && f.eventId === event.id && f.skipped !== true && !(Date.parse(f.at) < enqueuedAt),
    );
    if (earlier) throw new TalkbackError('GaveUp', `gave up earlier (${earlier.code}): ${earlier.message}`, { details: { code: earlier.code } });
  }
  const attempt = { function: fn.name, eventId: event.id, deliveryCount };
  try {
    await fn.handler(event, { ...ctx, logger });
  } catch (caught) {
    const error = toTalkbackError(caught);
    const exhausted = error.retryable && deliveryCount >= ctx.config.MAX_DELIVERY_COUNT;
    const at = ctx.now().toISOString();
    if (!error.retryable || exhausted) {
      const failure = {
        function: fn.name,
        code: error.code,
        message: `${exhausted ? `gave up after ${deliveryCount} deliveries: ` : ''}${error.message}`.slice(0, 500),
        at,
        eventId: event.id,
      };
      const failed = { ...attempt, at, outcome: 'failed' as const, code: error.code, message: failure.message };
      await record(ctx, logger, key, (current) => addAttempt(current, key, failed, failure));
      logger.error({ code: error.code }, `permanent failure: ${error.message}`);
    } else {
      // The nominal delay (the hosts add jitter): what the journey page shows as "retry in".
      const delay = backoffMs(deliveryCount, error, { baseMs: ctx.config.RETRY_BASE_DELAY_MS, maxMs: ctx.config.RETRY_MAX_DELAY_MS, random: () => 0.5 });
      const retrying = { ...attempt, at, outcome: 'retrying' as const, code: error.code, message: error.message.slice(0, 500), retryDelayMs: delay };
      await record(ctx, logger, key, (current) => addAttempt(current, key, retrying));
      logger.debug({ code: error.code }, `retryable failure: ${error.message}`);
    }
    throw error;
  }
  const succeeded = { ...attempt, at: ctx.now().toISOString(), outcome: 'succeeded' as const };
  await record(ctx, logger, key, (current) => addSuccessAfterFailures(current, key, succeeded));
}

/** Writes what the journey page shows; a store failure here must not change the message's outcome. */
async function record(ctx: FunctionContext, logger: Logger, key: RecordKey, change: RecordChange): Promise<void> {
  try {
    await (await ctx.ports.store()).update(key, change);
  } catch (recordError) {
    logger.error({ err: toTalkbackError(recordError).message }, 'could not record the delivery attempt');
  }
}
