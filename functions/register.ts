import type { InvocationContext } from '@azure/functions';
import { app } from './azure-functions.js';
import { azureServices } from './azure-services.js';
import { TOPIC, type FunctionDeclaration, type Invocation } from './declarations.js';
import { runSubscriber } from './run-subscriber.js';

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
        methods: fn.methods,
        authLevel: 'anonymous',
        handler: (request, context) => fn.handler(request, invocation(fn.name, context)),
      });
      break;
    case 'subscriber':
      app.serviceBusTopic(fn.name, {
        connection: 'ServiceBusConnection',
        topicName: TOPIC,
        subscriptionName: fn.subscription,
        // A throw abandons the message; Service Bus redelivers it until MaxDeliveryCount, then dead-letters it.
        handler: (message, context) => runSubscriber(fn, message, azureServices(), context),
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
