import type { AudioStore, EventBus, InteractionStore, Mailer } from '../adapters/ports.js';

/**
 * What the staff operations (console and CLI) use: the ports, built lazily by the composition root
 * (adapters/index.ts), and the topic's subscription names (from the function declarations).
 */
export interface OperationPorts {
  bus(): Promise<EventBus>;
  store(): Promise<InteractionStore>;
  audio(): Promise<AudioStore>;
  mailer(): Promise<Mailer>;
  subscriptions: readonly string[];
}
