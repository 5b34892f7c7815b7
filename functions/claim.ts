import type { InteractionStore } from '../adapters/ports.js';
import { claimOwnerOf } from '../core/claim-owner.js';
import { TalkbackError } from '../core/errors.js';
import { randomId } from '../core/ids.js';
import type { ClaimAction, InteractionRecord, RecordKey } from '../core/record.js';
import { completeClaim, releaseClaim, takeClaim, type ClaimOutcome } from '../core/record-changes.js';
import type { FunctionContext } from './context.js';

/** How often a delivery waiting for another attempt's claim looks at the record again. */
const CLAIM_POLL_MS = 500;

/**
 * Guards a side effect that cannot be undone (an email, a chat reply) with a claim on the interaction
 * record, so that at-least-once delivery carries it out once. Returns what the side effect produced,
 * now or on an earlier delivery.
 *
 * A claim held by a live attempt is waited for here (the bus keeps this delivery's lock renewed)
 * rather than failed, so it does not use up a delivery; a claim whose owner is known to be dead
 * (ctx.claimOwnerGone) is taken over at once; any other is taken over when its lease runs out.
 */
export async function once(
  ctx: FunctionContext,
  key: RecordKey,
  action: ClaimAction,
  effect: () => Promise<string>,
): Promise<{ result: string; fresh: boolean }> {
  const store = await ctx.ports.store();
  // One owner per attempt: two deliveries of the same message, in one process or two, never both act.
  const owner = claimOwnerOf(ctx.workerId, randomId());
  const leaseMs = ctx.config.CLAIM_LEASE_MS;
  const waitUntil = ctx.now().getTime() + leaseMs + CLAIM_POLL_MS;
  let outcome = 'held' as ClaimOutcome;
  let record: InteractionRecord | undefined;
  for (;;) {
    record = await store.update(key, (current) => {
      const taken = takeClaim(current, key, { action, owner, leaseMs, now: ctx.now(), ...(ctx.claimOwnerGone ? { ownerGone: ctx.claimOwnerGone } : {}) });
      outcome = taken.outcome;
      return taken.next;
    });
    if (outcome !== 'held') break;
    const now = ctx.now().getTime();
    const expiresAt = Date.parse(record?.claims[action]?.expiresAt ?? '');
    if (now >= waitUntil) {
      throw new TalkbackError('ClaimHeld', `another attempt is carrying out "${action}"`, {
        ...(Number.isNaN(expiresAt) ? {} : { retryAfterMs: Math.max(0, expiresAt - now) + 100 }),
      });
    }
    const untilExpiry = Number.isNaN(expiresAt) ? CLAIM_POLL_MS : Math.max(10, expiresAt - now + 10);
    await new Promise((resolve) => setTimeout(resolve, Math.min(CLAIM_POLL_MS, untilExpiry)));
  }
  if (outcome === 'done') return { result: record?.claims[action]?.result ?? '', fresh: false };
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
