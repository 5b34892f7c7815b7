import type { EventOf, Subject } from '../core/events.js';
import type { FunctionContext } from './context.js';

/**
 * One declaration per function; the Azure Functions host (functions/azure/) and the local host
 * (local/) both read these. Handlers see web-standard Request/Response and a plain context.
 */

export { TOPIC } from '../core/events.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'HEAD' | 'OPTIONS';
export const ALL_METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'];

export interface HttpFunction {
  kind: 'http';
  name: string;
  route: string;
  methods: HttpMethod[];
  handler(request: Request, ctx: FunctionContext): Promise<Response>;
}

export interface SubscriberFunction<S extends Subject = Subject> {
  kind: 'subscriber';
  name: string;
  /** Subscription on TOPIC; its rule filters on these subjects ('*' = all). */
  subscription: string;
  subjects: readonly S[] | '*';
  handler(event: EventOf<S>, ctx: FunctionContext): Promise<void>;
}

export interface TimerFunction {
  kind: 'timer';
  name: string;
  /**
   * The setting holding its NCRONTAB schedule (with seconds). Azure resolves it itself
   * (`%SETTING%`), so registering a timer reads no configuration; the local host reads the config.
   */
  scheduleSetting: 'DIGEST_SCHEDULE';
  handler(ctx: FunctionContext): Promise<void>;
}

export type FunctionDeclaration = HttpFunction | SubscriberFunction<Subject> | TimerFunction;

export function defineSubscriber<S extends Subject>(declaration: SubscriberFunction<S>): SubscriberFunction<Subject> {
  return declaration as unknown as SubscriberFunction<Subject>;
}

/** A plain-text answer, as the Functions host writes a string body. */
export function textResponse(status: number, body: string, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers } });
}
