import { recordKeyOf } from '../core/record.js';
import { applyEvent } from '../core/record-changes.js';
import { defineSubscriber } from './declarations.js';

/** Every event → the interaction's record: one document, stages filled in as events arrive, in any order. */
export const log = defineSubscriber({
  kind: 'subscriber',
  name: 'log',
  subscription: 'log',
  subjects: '*',
  async handler(event, ctx) {
    const key = recordKeyOf(event);
    const store = await ctx.ports.store();
    await store.update(key, (current) => applyEvent(current, event, ctx.now().toISOString()));
  },
});
