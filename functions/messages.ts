import type { HttpFunction } from './declarations.js';
import { readBodyLimited } from './read-body.js';

export const MAX_ACTIVITY_BYTES = 256 * 1024;

/** POST /api/messages: the Bot Framework endpoint. Answers at once; the work goes on the bus. */
export const messages: HttpFunction = {
  kind: 'http',
  name: 'messages',
  route: 'messages',
  methods: ['POST'],
  async handler(request, { services, logger }) {
    const raw = await readBodyLimited(request, MAX_ACTIVITY_BYTES);
    if (raw === undefined) return { status: 413, body: `activity larger than ${MAX_ACTIVITY_BYTES} bytes` };
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return { status: 400, body: 'body is not JSON' };
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return { status: 400, body: 'body is not an activity object' };
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of request.headers) headers[name] = value;
    const bot = await services.bot();
    const response = await bot.process({ method: 'POST', headers, body: body as Record<string, unknown> });
    if (response.status >= 400) logger.warn({ status: response.status }, 'activity refused');
    return { status: response.status, ...(response.body === undefined ? {} : { body: response.body }) };
  },
};
