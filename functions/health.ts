import type { SettlementMode } from './context.js';
import { checkParts } from './health-checks.js';
import type { HttpFunction } from './declarations.js';

const SETTLEMENT: Record<SettlementMode, string> = {
  pump: 'local pumps: permanent failures dead-lettered at once with their code, retryable ones abandoned after their delay',
  'sdk-binding':
    'Service Bus SDK-type binding: permanent failures dead-lettered at once with code and description, retryable ones abandoned after their delay',
  throw: 'Service Bus trigger without the SDK-type binding: failures throw after their delay; Service Bus dead-letters after the max delivery count',
};

const startedAt = Date.now();

/**
 * GET /api/health: whether this host can do its work now — the bus and the store commit, the data
 * folder's disk has room, the speech engine and the blob store answer (functions/health-checks.ts).
 * 200 with each part's state, or 503 naming the failing parts; and how this host settles bus messages.
 */
export const health: HttpFunction = {
  kind: 'http',
  name: 'health',
  route: 'health',
  methods: ['GET'],
  async handler(_request, ctx) {
    const settlement = ctx.settlement === undefined ? undefined : { mode: ctx.settlement, description: SETTLEMENT[ctx.settlement] };
    const parts = await checkParts(ctx);
    const failing = Object.entries(parts).filter(([, state]) => !state.ok).map(([name]) => name);
    if (failing.length > 0) ctx.logger.warn({ failing, parts }, `health: failing ${failing.join(', ')}`);
    return Response.json(
      {
        status: failing.length === 0 ? 'ok' : 'failing',
        ...(failing.length === 0 ? {} : { failing }),
        uptimeMs: Date.now() - startedAt,
        parts,
        ...(settlement ? { settlement } : {}),
      },
      { status: failing.length === 0 ? 200 : 503 },
    );
  },
};
