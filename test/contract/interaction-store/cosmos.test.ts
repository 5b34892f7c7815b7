import { CosmosInteractionStore } from '../../../adapters/store/cosmos-interaction-store.js';
import { COSMOS_TEST_CONNECTION_POLICY, startCosmosServer } from '../../support/cosmos-server.js';
import { runInteractionStoreContract } from './interaction-store.contract.js';
import { runInteractionStoreSearchContract } from './search.contract.js';

// Each store gets its own in-memory server: a fresh, empty account that also exercises the
// lazy database/container creation every time.
const implementation: Parameters<typeof runInteractionStoreContract>[0] = {
  name: 'CosmosInteractionStore (@vercel/cosmosdb-server)',
  create: async () => {
    const server = await startCosmosServer();
    const store = new CosmosInteractionStore({
      endpoint: server.endpoint,
      key: server.key,
      connectionPolicy: { ...COSMOS_TEST_CONNECTION_POLICY },
    });
    return {
      store,
      cleanup: async () => {
        await store.close();
        await server.stop();
      },
    };
  },
};

runInteractionStoreContract(implementation);
runInteractionStoreSearchContract(implementation);
