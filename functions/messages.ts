import { admitActivity, isJsonContentType, MAX_ACTIVITY_BYTES } from '../core/activity-intake.js';
import type { FunctionContext } from './context.js';
import { textResponse, type HttpFunction } from './declarations.js';
import { readBodyLimited } from './read-body.js';

export { MAX_ACTIVITY_BYTES };

/** What a Bot Framework token looks like: checked before the body is read, when a token is required. */
const BEARER = /^Bearer [A-Za-z0-9._~+/-]+=*$/;

/**
 * POST /api/messages: the Bot Framework endpoint. Every check that needs no work comes first (the
 * host's intake limit, the content type, a token's presence, the body's size, nesting and field
 * types); only an activity that passes them reaches the bot, which authenticates it, applies the
 * flood guard, publishes it and answers at once. Every refusal is one log line and is counted.
 */
export const messages: HttpFunction = {
  kind: 'http',
  name: 'messages',
  route: 'messages',
  methods: ['POST'],
  async handler(request, ctx) {
    const leave = ctx.intake ? ctx.intake.enter() : () => undefined;
    if (!leave) return refuse(ctx, 503, 'the host is at its intake limit', {}, { 'retry-after': '1' });
    try {
      if (!isJsonContentType(request.headers.get('content-type'))) {
        return refuse(ctx, 415, 'content type must be application/json');
      }
      if (ctx.config.MicrosoftAppId && !BEARER.test(request.headers.get('authorization') ?? '')) {
        return refuse(ctx, 401, 'no Bot Framework token');
      }
      const raw = await readBodyLimited(request, MAX_ACTIVITY_BYTES);
      if (raw === undefined) return refuse(ctx, 413, `activity larger than ${MAX_ACTIVITY_BYTES} bytes`, {}, { connection: 'close' });
      const admitted = admitActivity(request.headers.get('content-type'), raw);
      if (!admitted.ok) return refuse(ctx, admitted.status, admitted.reason, admitted.claimed);
      const { activity } = admitted;
      const ids = { channelId: activity.channelId, conversationId: activity.conversation.id };
      const headers: Record<string, string> = {};
      request.headers.forEach((value, name) => (headers[name] = value));
      const endpoint = await ctx.ports.endpoint();
      const response = await endpoint.process({ headers, body: activity });
      if (response.status >= 400) return refuse(ctx, response.status, response.body ?? 'refused by the bot', ids, response.headers);
      return response.body === undefined ? new Response(null, { status: response.status }) : textResponse(response.status, response.body);
    } finally {
      leave();
    }
  },
};

function refuse(
  { refusals, logger }: FunctionContext,
  status: number,
  reason: string,
  ids: { channelId?: string; conversationId?: string } = {},
  headers: Record<string, string> = {},
): Response {
  // A 500 from the bot is the host's own failure (the channel retries), not a refused request.
  if (status < 500 || status === 503) {
    refusals?.record({ status, reason, route: 'messages', ...ids });
    logger.warn({ status, reason, ...ids }, 'request refused');
  }
  return textResponse(status, reason, headers);
}
