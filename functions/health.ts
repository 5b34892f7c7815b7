import type { HttpFunction } from './declarations.js';

const startedAt = Date.now();

/** GET /api/health: liveness, and which adapter serves each port. */
export const health: HttpFunction = {
  kind: 'http',
  name: 'health',
  route: 'health',
  methods: ['GET'],
  async handler() {
    return { status: 200, jsonBody: { status: 'ok', uptimeMs: Date.now() - startedAt } };
  },
};
