import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteInteractionStore } from '../../../adapters/store/sqlite-interaction-store.js';
import { runInteractionStoreSearchContract } from './search.contract.js';

runInteractionStoreSearchContract({
  name: 'SqliteInteractionStore',
  create: async () => {
    const dir = await mkdtemp(join(tmpdir(), 'talkback-search-'));
    const store = new SqliteInteractionStore({ path: join(dir, 'records.db') });
    return {
      store,
      cleanup: async () => {
        await store.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
});
