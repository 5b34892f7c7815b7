import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { EventOf, Subject } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import type { Services } from './services.js';

/** One declaration per function; the Azure Functions host and the local host both read these. */

export { TOPIC } from '../core/events.js';

export interface Invocation {
  services: Services;
  logger: Logger;
  context: InvocationContext;
}

export interface HttpFunction {
  kind: 'http';
  name: string;
  route: string;
  methods: ('GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'HEAD' | 'OPTIONS')[];
  handler(request: HttpRequest, invocation: Invocation): Promise<HttpResponseInit>;
}

export interface SubscriberFunction<S extends Subject = Subject> {
  kind: 'subscriber';
  name: string;
  /** Subscription on TOPIC; its rule filters on these subjects ('*' = all). */
  subscription: string;
  subjects: readonly S[] | '*';
  handler(event: EventOf<S>, invocation: Invocation): Promise<void>;
}

export interface TimerFunction {
  kind: 'timer';
  name: string;
  /**
   * The setting holding its NCRONTAB schedule (with seconds). Azure resolves it itself
   * (`%SETTING%`), so registering a timer reads no configuration; the local host reads the config.
   */
  scheduleSetting: 'DIGEST_SCHEDULE';
  handler(invocation: Invocation): Promise<void>;
}

export type FunctionDeclaration = HttpFunction | SubscriberFunction<Subject> | TimerFunction;

export function defineSubscriber<S extends Subject>(declaration: SubscriberFunction<S>): SubscriberFunction<Subject> {
  return declaration as unknown as SubscriberFunction<Subject>;
}
