import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventBus } from '../../../adapters/bus/sqlite-event-bus.js';
import type { EventBus } from '../../../adapters/ports.js';
import { runEventBusContract } from './event-bus.contract.js';
import { runDeadLetterContract } from './dead-letters.contract.js';

/** A bus over files in a fresh temporary folder, which the cleanup removes after closing the bus. */
async function inTemporaryFolder(make: (dir: string) => EventBus): Promise<{ bus: EventBus; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'talkback-bus-'));
  const bus = make(dir);
  return {
    bus,
    cleanup: async () => {
      await bus.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

const implementation: Parameters<typeof runEventBusContract>[0] = {
  name: 'SqliteEventBus',
  create: (subscriptions) => inTemporaryFolder((dir) => new SqliteEventBus({ path: join(dir, 'bus.db'), subscriptions })),
};

runEventBusContract(implementation);
runDeadLetterContract(implementation);

/**
 * The local host's intake and pipeline worker (each with its own connections): the intake publishes into the inbox and answers the console (dead
 * letters, redrive, purge, erase); the pipeline worker's receivers import the inbox into the bus.
 */
const intakeAndWorker: Parameters<typeof runEventBusContract>[0] = {
  name: 'SqliteEventBus: intake publishing into the inbox, a second connection receiving',
  create: (subscriptions) =>
    inTemporaryFolder((dir) => {
      const files = { path: join(dir, 'bus.db'), inboxPath: join(dir, 'inbox.db'), subscriptions };
      const intake = new SqliteEventBus({ ...files, publishTo: 'inbox' });
      const worker = new SqliteEventBus(files);
      return {
        publish: (event) => intake.publish(event),
        probe: () => intake.probe(),
        receiver: (subscription) => worker.receiver(subscription),
        deadLetters: (subscription, max) => intake.deadLetters(subscription, max),
        redrive: (subscription, messageId) => intake.redrive(subscription, messageId),
        purge: (subscription, messageId) => intake.purge(subscription, messageId),
        eraseMessages: (match) => intake.eraseMessages(match),
        close: async () => {
          await intake.close();
          await worker.close();
        },
      };
    }),
};

runEventBusContract(intakeAndWorker);
runDeadLetterContract(intakeAndWorker);
