import type { InvocationContext } from '@azure/functions';
import { app } from './azure-functions.js';
import { azureServices } from './azure-services.js';
import { TOPIC, type FunctionDeclaration, type HttpFunction, type Invocation } from './declarations.js';

type HttpMethod = HttpFunction['methods'][number];
const ALL_METHODS: HttpMethod[] = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'];
import { runSubscriber } from './run-subscriber.js';
import { toTalkbackError } from '../core/errors.js';
import { retryDelayMs } from '../core/retry-delay.js';
import { setTimeout as sleep } from 'node:timers/promises';

/** Within the Functions timeout and the host's lock renewal (5 min each). */
const MAX_WAIT_IN_INVOCATION_MS = 60_000;

function invocation(name: string, context: InvocationContext): Invocation {
  const services = azureServices();
  return { services, context, logger: services.logger.child({ function: name, invocationId: context.invocationId }) };
}

/**
 * Registers one declaration with the Azure Functions host: app.http / app.serviceBusTopic / app.timer.
 * The configuration is validated first, so with a missing or bad setting no function registers and
 * the app refuses to start, with every problem in the host's log.
 */
export function register(fn: FunctionDeclaration): void {
  azureServices();
  switch (fn.kind) {
    case 'http':
      app.http(fn.name, {
        route: fn.route,
        // Every method reaches us so that a wrong one gets 405 (with Allow), not the host's 404.
        methods: ALL_METHODS,
        authLevel: 'anonymous',
        handler: async (request, context) =>
          fn.methods.includes(request.method as HttpMethod)
            ? fn.handler(request, invocation(fn.name, context))
            : { status: 405, headers: { allow: fn.methods.join(', ') }, body: 'method not allowed' },
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
          const services = azureServices();
          try {
            await runSubscriber(fn, message, services, context);
          } catch (caught) {
            const error = toTalkbackError(caught);
            if (error.retryable) {
              const deliveryCount = Number(context.triggerMetadata?.['deliveryCount'] ?? 1);
              const { RETRY_BASE_DELAY_MS, RETRY_MAX_DELAY_MS } = services.config;
              await sleep(retryDelayMs(deliveryCount, error, RETRY_BASE_DELAY_MS, Math.min(RETRY_MAX_DELAY_MS, MAX_WAIT_IN_INVOCATION_MS)));
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
        handler: (_timer, context) => fn.handler(invocation(fn.name, context)),
      });
      break;
  }
}
