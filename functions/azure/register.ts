import { setTimeout as sleep } from 'node:timers/promises';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { toTalkbackError } from '../../core/errors.js';
import { backoffMs } from '../../core/failure-policy.js';
import { invocationContext } from '../context.js';
import type { Config } from '../../core/config.js';
import { ALL_METHODS, TOPIC, textResponse, type FunctionDeclaration, type HttpMethod, type SubscriberFunction } from '../declarations.js';
import { runSubscriber } from '../run-subscriber.js';
import { app } from './azure-functions.js';
import { azureContext } from './azure-ports.js';
import { loadServiceBusSdkBinding, runAndSettle, type MessageContext, type ReceivedMessage } from './service-bus-sdk-binding.js';

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
 * the app refuses to start, with every problem in the host's log. Entries await it: with
 * SERVICEBUS_SDK_BINDING=true a subscriber first loads the binding's converter, which must be in
 * place before the first message arrives.
 */
export async function register(fn: FunctionDeclaration): Promise<void> {
  const { config } = azureContext();
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
      if (config.SERVICEBUS_SDK_BINDING) {
        await loadServiceBusSdkBinding();
        registerSettlingSubscriber(fn);
      } else {
        registerThrowingSubscriber(fn);
      }
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

/**
 * Without the SDK-type binding: a throw abandons the message and Service Bus redelivers it at once,
 * until MaxDeliveryCount, then dead-letters it (permanent failures too). So that retries are spread
 * out (backoff, Retry-After, a claim's lease), a retryable failure waits here first, with the
 * message's lock renewed by the host.
 */
function registerThrowingSubscriber(fn: SubscriberFunction): void {
  app.serviceBusTopic(fn.name, {
    connection: 'ServiceBusConnection',
    topicName: TOPIC,
    subscriptionName: fn.subscription,
    handler: async (message, context) => {
      const ctx = azureContext();
      const delivery = deliveryOf(context);
      try {
        await runSubscriber(fn, message, { ...ctx, delivery });
      } catch (caught) {
        const error = toTalkbackError(caught);
        if (error.retryable) await sleep(backoffMs(delivery.deliveryCount, error, backoffOptions(ctx.config)));
        throw error;
      }
    },
  });
}

/**
 * With the SDK-type binding (@azure/functions-extensions-servicebus): the trigger hands over the
 * ServiceBusReceivedMessage and its settlement actions, auto-completion is off, and the function
 * settles each message itself: complete; dead-letter a permanent failure at once with its code and
 * message; abandon a retryable one after its delay (the binding's abandon takes no delay: the message
 * is held first, its lock renewed by the host, as without the binding).
 */
function registerSettlingSubscriber(fn: SubscriberFunction): void {
  app.serviceBusTopic(fn.name, {
    connection: 'ServiceBusConnection',
    topicName: TOPIC,
    subscriptionName: fn.subscription,
    sdkBinding: true,
    // The trigger's own option (read by the Service Bus extension for topics as for queues; typed for queues only).
    ...{ autoCompleteMessages: false },
    handler: async (messageContext: MessageContext<ReceivedMessage>, context) => {
      const ctx = azureContext();
      const { config } = ctx;
      await runAndSettle(
        messageContext,
        (body, delivery) => runSubscriber(fn, body, { ...ctx, delivery: { ...delivery, invocationId: context.invocationId } }),
        {
          maxDeliveryCount: config.MAX_DELIVERY_COUNT,
          retryBaseDelayMs: config.RETRY_BASE_DELAY_MS,
          retryMaxDelayMs: config.RETRY_MAX_DELAY_MS,
          maxHoldMs: MAX_WAIT_IN_INVOCATION_MS,
        },
      );
    },
  });
}

function backoffOptions(config: Config) {
  return { baseMs: config.RETRY_BASE_DELAY_MS, maxMs: Math.min(config.RETRY_MAX_DELAY_MS, MAX_WAIT_IN_INVOCATION_MS) };
}

function deliveryOf(context: InvocationContext) {
  return {
    messageId: typeof context.triggerMetadata?.['messageId'] === 'string' ? context.triggerMetadata['messageId'] : '',
    deliveryCount: Number(context.triggerMetadata?.['deliveryCount'] ?? 1),
    invocationId: context.invocationId,
  };
}
