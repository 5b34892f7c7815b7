import path from 'node:path';
import { azurePorts } from '../../core/config.js';
import type { InteractionStore } from '../ports.js';
import { dataDirOf, type Implementation } from '../registry.js';

function isPlainHttp(endpointOrConnectionString: string): boolean {
  return /(^|AccountEndpoint=)http:\/\//i.test(endpointOrConnectionString);
}

/** The InteractionStore implementations: Cosmos DB when COSMOS_ENDPOINT or COSMOS_CONNECTION_STRING is set, else SQLite. */
export const interactionStores: readonly Implementation<InteractionStore>[] = [
  {
    id: 'cosmos',
    selectedBy: (config) => azurePorts(config).store,
    describe: (config) => `Cosmos DB (${config.COSMOS_DATABASE}/${config.COSMOS_CONTAINER})`,
    async build(config) {
      const { CosmosInteractionStore } = await import('./cosmos-interaction-store.js');
      return new CosmosInteractionStore({
        ...(config.COSMOS_CONNECTION_STRING
          ? { connectionString: config.COSMOS_CONNECTION_STRING }
          : { endpoint: config.COSMOS_ENDPOINT ?? '', key: config.COSMOS_KEY ?? '' }),
        databaseId: config.COSMOS_DATABASE,
        containerId: config.COSMOS_CONTAINER,
        ...(config.RECORD_TTL_DAYS ? { defaultTtlSeconds: config.RECORD_TTL_DAYS * 86_400 } : {}),
        // A plain-HTTP endpoint is an emulator: endpoint discovery would rewrite it to https.
        ...(isPlainHttp(config.COSMOS_ENDPOINT ?? config.COSMOS_CONNECTION_STRING ?? '')
          ? { connectionPolicy: { enableEndpointDiscovery: false } }
          : {}),
      });
    },
  },
  {
    id: 'sqlite',
    selectedBy: (config) => !azurePorts(config).store,
    describe: (config) => `SQLite (${path.join(dataDirOf(config), 'records.sqlite')})`,
    async build(_config, deps) {
      const { SqliteInteractionStore } = await import('./sqlite-interaction-store.js');
      return new SqliteInteractionStore({ path: deps.inDataDir('records.sqlite') });
    },
  },
];
