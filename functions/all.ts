import type { FunctionDeclaration, SubscriberFunction, TimerFunction } from './declarations.js';
import { digest } from './digest.js';
import { health } from './health.js';
import { log } from './log.js';
import { mail } from './mail.js';
import { messages } from './messages.js';
import { reply } from './reply.js';
import { speech } from './speech.js';

/** Every function of the app, declared once; both hosts register exactly these. */
export const functions: readonly FunctionDeclaration[] = [messages, health, speech, log, mail, reply, digest];

export const subscribers: readonly SubscriberFunction[] = functions.filter(
  (f): f is SubscriberFunction => f.kind === 'subscriber',
);

export const timers: readonly TimerFunction[] = functions.filter((f): f is TimerFunction => f.kind === 'timer');

/** The topic's subscriptions and their subject filters, as the bus must be provisioned. */
export const subscriptions = subscribers.map((s) => ({ name: s.subscription, subjects: s.subjects }));
