import type { HttpFunction } from './declarations.js';

const startedAt = Date.now();

/** GET /api/health: liveness (the process is up and serving HTTP). */
export const health: HttpFunction = {
  kind: 'http',
  name: 'health',
  route: 'health',
  methods: ['GET'],
  async handler() {
    return Response.json({ status: 'ok', uptimeMs: Date.now() - startedAt });
  },
};
