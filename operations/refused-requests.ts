import type { Refusal, RefusalLog } from '../core/refusals.js';

/**
 * What the console shows of refused chat requests (empty, too long, flood-limited, unauthenticated,
 * foreign Host...): the intake's RefusalLog (core/refusals.ts), read-only. Never holds a token or a
 * message's text.
 */
export type RefusedRequest = Refusal;
export type RefusedRequests = Pick<RefusalLog, 'counts' | 'latest'>;
