import { CosmosInteractionStore } from '../../../adapters/store/cosmos-interaction-store.js';
import { COSMOS_TEST_CONNECTION_POLICY, startCosmosServer } from '../../support/cosmos-server.js';
import { runInteractionStoreSearchContract } from './search.contract.js';

runInteractionStoreSearchContract({
  name: 'CosmosInteractionStore (@vercel/cosmosdb-server)',
  create: async () => {
    const server = await startCosmosServer();
    const store = new CosmosInteractionStore({ endpoint: server.endpoint, key: server.key, connectionPolicy: { ...COSMOS_TEST_CONNECTION_POLICY } });
    return {
      store,
      cleanup: async () => {
        await store.close();
        await server.stop();
      },
    };
  },
});
