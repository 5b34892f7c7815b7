import type { AddressInfo } from 'node:net';
import { createHttpServer } from '@vercel/cosmosdb-server';

/** The Cosmos DB emulator's well-known key; the test server accepts any base64 key. */
export const COSMOS_TEST_KEY = 'C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==';

/** Client settings a plain-HTTP test server needs: endpoint discovery would otherwise rewrite to https. */
export const COSMOS_TEST_CONNECTION_POLICY = { enableEndpointDiscovery: false } as const;

export interface CosmosTestServer {
  endpoint: string;
  key: string;
  stop(): Promise<void>;
}

/**
 * Starts @vercel/cosmosdb-server in memory on 127.0.0.1, a free port, plain HTTP, with keep-alive
 * (without it every request opens a new connection, ~4x slower). Nothing survives stop().
 */
export async function startCosmosServer(): Promise<CosmosTestServer> {
  // keepAlive is read by cosmosdb-server itself (it answers `connection: keep-alive`).
  const server = createHttpServer({ keepAlive: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    key: COSMOS_TEST_KEY,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets held by clients would otherwise keep close() waiting.
        server.closeAllConnections();
      }),
  };
}
