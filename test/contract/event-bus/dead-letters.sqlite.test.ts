import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventBus } from '../../../adapters/bus/sqlite-event-bus.js';
import { runDeadLetterContract } from './dead-letters.contract.js';

runDeadLetterContract({
  name: 'SqliteEventBus',
  create: async (subscriptions) => {
    const dir = await mkdtemp(join(tmpdir(), 'talkback-dlq-'));
    const bus = new SqliteEventBus({ path: join(dir, 'bus.db'), subscriptions });
    return {
      bus,
      cleanup: async () => {
        await bus.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
});
