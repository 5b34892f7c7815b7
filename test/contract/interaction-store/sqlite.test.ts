import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteInteractionStore } from '../../../adapters/store/sqlite-interaction-store.js';
import { runInteractionStoreContract } from './interaction-store.contract.js';
import { runInteractionStoreSearchContract } from './search.contract.js';

const implementation: Parameters<typeof runInteractionStoreContract>[0] = {
  name: 'SqliteInteractionStore',
  create: async () => {
    const directory = await mkdtemp(join(tmpdir(), 'talkback-store-'));
    const store = new SqliteInteractionStore({ path: join(directory, 'interactions.db') });
    return {
      store,
      cleanup: async () => {
        await store.close();
        await rm(directory, { recursive: true, force: true });
      },
    };
  },
};

runInteractionStoreContract(implementation);
runInteractionStoreSearchContract(implementation);
