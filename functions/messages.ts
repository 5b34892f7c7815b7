import { textResponse, type HttpFunction } from './declarations.js';
import { readBodyLimited } from './read-body.js';

export const MAX_ACTIVITY_BYTES = 256 * 1024;

/** POST /api/messages: the Bot Framework endpoint. Answers at once; the work goes on the bus. */
export const messages: HttpFunction = {
  kind: 'http',
  name: 'messages',
  route: 'messages',
  methods: ['POST'],
  async handler(request, { ports, logger }) {
    const raw = await readBodyLimited(request, MAX_ACTIVITY_BYTES);
    if (raw === undefined) return textResponse(413, `activity larger than ${MAX_ACTIVITY_BYTES} bytes`);
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return textResponse(400, 'body is not JSON');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return textResponse(400, 'body is not an activity object');
    }
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => (headers[name] = value));
    const endpoint = await ports.endpoint();
    const response = await endpoint.process({ headers, body: body as Record<string, unknown> });
    if (response.status >= 400) logger.warn({ status: response.status }, 'activity refused');
    return response.body === undefined ? new Response(null, { status: response.status }) : textResponse(response.status, response.body);
  },
};
