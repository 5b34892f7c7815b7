import { createRequire } from 'node:module';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const require = createRequire(import.meta.url);

/** The Settlement service's proto, as the Functions host serves it, shipped with the SDK-binding package. */
export const SETTLEMENT_PROTO = path.join(
  path.dirname(require.resolve('@azure/functions-extensions-servicebus')),
  'proto',
  'settlement.proto',
);

export interface SettlementCall {
  method: 'complete' | 'abandon' | 'deadletter' | 'renewMessageLock';
  locktoken: string;
  deadletterReason?: string | undefined;
  deadletterErrorDescription?: string | undefined;
}

/**
 * A stand-in for the Functions host's Settlement gRPC service (what ServiceBusMessageActions calls
 * when a function settles a message itself), on 127.0.0.1: it records every call it receives.
 */
export async function startSettlementServer() {
  const definition = protoLoader.loadSync(SETTLEMENT_PROTO, { keepCase: false, longs: String, enums: String, defaults: true, oneofs: true });
  const loaded = grpc.loadPackageDefinition(definition) as unknown as { Settlement: grpc.ServiceClientConstructor };
  const calls: SettlementCall[] = [];
  type Request = { locktoken: string; deadletterReason?: { value: string } | null; deadletterErrorDescription?: { value: string } | null };
  const record =
    (method: SettlementCall['method']) =>
    (call: grpc.ServerUnaryCall<Request, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      const r = call.request;
      calls.push({
        method,
        locktoken: r.locktoken,
        ...(method === 'deadletter'
          ? { deadletterReason: r.deadletterReason?.value, deadletterErrorDescription: r.deadletterErrorDescription?.value }
          : {}),
      });
      callback(null, {});
    };
  const server = new grpc.Server();
  server.addService(loaded.Settlement.service, {
    complete: record('complete'),
    abandon: record('abandon'),
    deadletter: record('deadletter'),
    renewMessageLock: record('renewMessageLock'),
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return {
    port,
    calls,
    stop: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}
