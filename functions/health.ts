import type { SettlementMode } from './context.js';
import type { HttpFunction } from './declarations.js';

const SETTLEMENT: Record<SettlementMode, string> = {
  pump: 'local pumps: permanent failures dead-lettered at once with their code, retryable ones abandoned after their delay',
  'sdk-binding':
    'Service Bus SDK-type binding: permanent failures dead-lettered at once with code and description, retryable ones abandoned after their delay',
  throw: 'Service Bus trigger without the SDK-type binding: failures throw after their delay; Service Bus dead-letters after the max delivery count',
};

const startedAt = Date.now();

/** GET /api/health: liveness (the process is up and serving HTTP), and how this host settles bus messages. */
export const health: HttpFunction = {
  kind: 'http',
  name: 'health',
  route: 'health',
  methods: ['GET'],
  async handler(_request, ctx) {
    const settlement = ctx.settlement === undefined ? undefined : { mode: ctx.settlement, description: SETTLEMENT[ctx.settlement] };
    return Response.json({ status: 'ok', uptimeMs: Date.now() - startedAt, ...(settlement ? { settlement } : {}) });
  },
};
