/**
 * Run as a separate process by sqlite-interaction-store.test.ts: increments a counter kept in the
 * record's text `count` times, each increment one read-modify-write update on the shared file.
 */
import { SqliteInteractionStore } from '../../../../adapters/store/sqlite-interaction-store.js';
import { emptyRecord } from '../../../../core/record.js';

const [path, count] = process.argv.slice(2);
if (path === undefined || count === undefined) throw new Error('usage: increment-worker <db path> <count>');

const store = new SqliteInteractionStore({ path, busyTimeoutMs: 30_000 });
const key = { conversationId: 'conv-counter', id: 'counter' };
for (let i = 0; i < Number(count); i += 1) {
  await store.update(key, (current) => {
    const record = current ?? emptyRecord(key, new Date().toISOString());
    return { ...record, text: String(Number(record.text ?? '0') + 1), updatedAt: new Date().toISOString() };
  });
}
await store.close();
