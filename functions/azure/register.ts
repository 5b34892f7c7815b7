import { setTimeout as sleep } from 'node:timers/promises';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { toTalkbackError } from '../../core/errors.js';
import { backoffMs } from '../../core/failure-policy.js';
import { invocationContext } from '../context.js';
import { ALL_METHODS, TOPIC, textResponse, type FunctionDeclaration, type HttpMethod } from '../declarations.js';
import { runSubscriber } from '../run-subscriber.js';
import { app } from './azure-functions.js';
import { azureContext } from './azure-ports.js';

/** Within the Functions timeout and the host's lock renewal (5 min each). */
const MAX_WAIT_IN_INVOCATION_MS = 60_000;

/** The Functions host's request as a web-standard Request (method, url, headers, body bytes). */
async function toRequest(request: HttpRequest): Promise<Request> {
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  return new Request(request.url, {
    method: request.method,
    headers: Object.fromEntries(request.headers),
    ...(hasBody ? { body: new Uint8Array(await request.arrayBuffer()) } : {}),
  });
}

/** A web-standard Response as what the Functions host writes. */
async function toResponseInit(response: Response): Promise<HttpResponseInit> {
  const body = response.body === null ? undefined : new Uint8Array(await response.arrayBuffer());
  return { status: response.status, headers: Object.fromEntries(response.headers), ...(body === undefined ? {} : { body }) };
}

/**
 * Registers one declaration with the Azure Functions host: app.http / app.serviceBusTopic / app.timer.
 * The configuration is validated first, so with a missing or bad setting no function registers and
 * the app refuses to start, with every problem in the host's log.
 */
export function register(fn: FunctionDeclaration): void {
  azureContext();
  switch (fn.kind) {
    case 'http':
      app.http(fn.name, {
        route: fn.route,
        // Every method reaches us so that a wrong one gets 405 (with Allow), not the host's 404.
        methods: [...ALL_METHODS],
        authLevel: 'anonymous',
        handler: async (request, context) => {
          const response = fn.methods.includes(request.method as HttpMethod)
            ? await fn.handler(await toRequest(request), invocationContext(azureContext(), fn.name, context.invocationId))
            : textResponse(405, 'method not allowed', { allow: fn.methods.join(', ') });
          return toResponseInit(response);
        },
      });
      break;
    case 'subscriber':
      app.serviceBusTopic(fn.name, {
        connection: 'ServiceBusConnection',
        topicName: TOPIC,
        subscriptionName: fn.subscription,
        // A throw abandons the message; Service Bus redelivers it at once, until MaxDeliveryCount, then
        // dead-letters it. So that retries are spread out (backoff, Retry-After, a claim's lease), a
        // retryable failure waits here first, with the message's lock renewed by the host.
        handler: async (message, context) => {
          const ctx = azureContext();
          const delivery = deliveryOf(context);
          try {
            await runSubscriber(fn, message, { ...ctx, delivery });
          } catch (caught) {
            const error = toTalkbackError(caught);
            if (error.retryable) {
              const { RETRY_BASE_DELAY_MS, RETRY_MAX_DELAY_MS } = ctx.config;
              await sleep(
                backoffMs(delivery.deliveryCount, error, { baseMs: RETRY_BASE_DELAY_MS, maxMs: Math.min(RETRY_MAX_DELAY_MS, MAX_WAIT_IN_INVOCATION_MS) }),
              );
            }
            throw error;
          }
        },
      });
      break;
    case 'timer':
      app.timer(fn.name, {
        // An app-setting expression: registration must not fail (and take the other functions with it) on config.
        schedule: `%${fn.scheduleSetting}%`,
        handler: (_timer, context) => fn.handler(invocationContext(azureContext(), fn.name, context.invocationId)),
      });
      break;
  }
}

function deliveryOf(context: InvocationContext) {
  return {
    messageId: typeof context.triggerMetadata?.['messageId'] === 'string' ? context.triggerMetadata['messageId'] : '',
    deliveryCount: Number(context.triggerMetadata?.['deliveryCount'] ?? 1),
    invocationId: context.invocationId,
  };
}
