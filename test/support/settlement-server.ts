import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import rhea from 'rhea';

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

/**
 * A Service Bus message as the Functions host hands it to the worker for the SDK-type binding (the
 * content of its model binding data): the lock token's 16 bytes, the marker `x-opt-lock-token`, then
 * the message encoded as AMQP (body in a data section, JSON), as Service Bus delivered it.
 */
export function serviceBusModelBindingContent(body: unknown, deliveryCount: number, messageId = 'event-1'): Buffer {
  const lock = Buffer.from(randomUUID().replace(/-/g, ''), 'hex');
  const amqp = rhea.message.encode({
    message_id: messageId,
    subject: 'audio.stored',
    content_type: 'application/json',
    delivery_count: deliveryCount,
    body: rhea.message.data_section(Buffer.from(JSON.stringify(body))),
  });
  return Buffer.concat([lock, Buffer.from('x-opt-lock-token'), amqp]);
}
