import type { InteractionStore } from '../adapters/ports.js';
import { TalkbackError } from '../core/errors.js';
import { randomId } from '../core/ids.js';
import type { ClaimAction, RecordKey } from '../core/record.js';
import { completeClaim, releaseClaim, takeClaim, type ClaimOutcome } from '../core/record-changes.js';
import type { FunctionContext } from './context.js';

/**
 * Guards a side effect that cannot be undone (an email, a chat reply) with a claim on the interaction
 * record, so that at-least-once delivery carries it out once. Returns what the side effect produced,
 * now or on an earlier delivery.
 */
export async function once(
  ctx: FunctionContext,
  key: RecordKey,
  action: ClaimAction,
  effect: () => Promise<string>,
): Promise<{ result: string; fresh: boolean }> {
  const store = await ctx.ports.store();
  // One owner per attempt: two deliveries of the same message, in one process or two, never both act.
  const owner = `${ctx.workerId}:${randomId()}`;
  let outcome = 'held' as ClaimOutcome;
  const leaseMs = ctx.config.CLAIM_LEASE_MS;
  const record = await store.update(key, (current) => {
    const taken = takeClaim(current, key, { action, owner, leaseMs, now: ctx.now() });
    outcome = taken.outcome;
    return taken.next;
  });
  if (outcome === 'done') return { result: record?.claims[action]?.result ?? '', fresh: false };
  if (outcome === 'held') {
    const expiresAt = Date.parse(record?.claims[action]?.expiresAt ?? '');
    const waitMs = Number.isNaN(expiresAt) ? undefined : Math.max(0, expiresAt - ctx.now().getTime()) + 100;
    // Another attempt holds the claim: it finishes, or its lease runs out (it crashed) and the next delivery takes over.
    throw new TalkbackError('ClaimHeld', `another attempt is carrying out "${action}"`, {
      retryable: true,
      ...(waitMs === undefined ? {} : { retryAfterMs: waitMs }),
    });
  }
  let result: string;
  try {
    result = await effect();
  } catch (error) {
    await release(store, key, action, owner, ctx.now().toISOString());
    throw error;
  }
  await store.update(key, (current) => completeClaim(current, key, action, owner, ctx.now().toISOString(), result));
  return { result, fresh: true };
}

async function release(store: InteractionStore, key: RecordKey, action: ClaimAction, owner: string, now: string) {
  try {
    await store.update(key, (current) => releaseClaim(current, action, owner, now));
  } catch {
    // The lease expires by itself; the original error matters more.
  }
}
