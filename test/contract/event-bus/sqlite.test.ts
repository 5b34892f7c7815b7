import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventBus } from '../../../adapters/bus/sqlite-event-bus.js';
import { runEventBusContract } from './event-bus.contract.js';
import { runDeadLetterContract } from './dead-letters.contract.js';

const implementation: Parameters<typeof runEventBusContract>[0] = {
  name: 'SqliteEventBus',
  create: async (subscriptions) => {
    const dir = await mkdtemp(join(tmpdir(), 'talkback-bus-'));
    const bus = new SqliteEventBus({ path: join(dir, 'bus.db'), subscriptions });
    return {
      bus,
      cleanup: async () => {
        await bus.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
};

runEventBusContract(implementation);
runDeadLetterContract(implementation);
