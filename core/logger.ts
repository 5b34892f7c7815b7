import pino, { type Logger } from 'pino';

export type { Logger };

/** Never log these, whatever the call site passes. */
const REDACT = [
  'password',
  'key',
  'apiKey',
  'connectionString',
  'authorization',
  'headers.authorization',
  '*.password',
  '*.key',
  '*.apiKey',
  '*.connectionString',
  '*.authorization',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, base: undefined, redact: { paths: REDACT, censor: '***' } }, destination);
}

/** One child logger per invocation, carrying the ids that tie log lines to an interaction. */
export function invocationLogger(
  root: Logger,
  fields: { function: string; eventId?: string; conversationId?: string; invocationId?: string },
): Logger {
  return root.child(fields);
}
