import { parseArgs } from 'node:util';
import { TalkbackError } from '../core/errors.js';
import type { CustomerSelector } from '../core/record-query.js';

export type Command =
  | { name: 'help' }
  | { name: 'dlq list'; subscription?: string }
  | { name: 'dlq show'; messageId: string; subscription?: string }
  | { name: 'dlq redrive' | 'dlq purge'; target: { messageId: string; subscription?: string } | { all: true; subscription?: string } }
  | { name: 'erase'; selector: CustomerSelector }
  | { name: 'journey'; eventId: string };

export interface Invocation {
  command: Command;
  json: boolean;
}

export const USAGE = `Usage: npm run talkback -- <command> [--json]

  dlq list [--subscription S]                 dead letters, per subscription
  dlq show <messageId> [--subscription S]     one dead letter with its body
  dlq redrive <messageId>|--all [--subscription S]
                                              send dead letters back for delivery
  dlq purge <messageId>|--all [--subscription S]
                                              delete dead letters
  erase --channel C --user U | --conversation C
                                              delete a customer's records, audio, emails and queued messages
  journey <eventId>                           an interaction's stages, attempts and links

--json prints one JSON document. Settings as for npm start (TALKBACK_DATA_DIR, SERVICEBUS_CONNECTION_STRING, …).`;

const bad = (message: string) => new TalkbackError('BadRequest', `${message}\n\n${USAGE}`);

/** Parses the command line; throws BadRequest (with the usage) on anything it does not understand. */
export function parseInvocation(argv: readonly string[]): Invocation {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        json: { type: 'boolean' },
        all: { type: 'boolean' },
        subscription: { type: 'string' },
        channel: { type: 'string' },
        user: { type: 'string' },
        conversation: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw bad((error as Error).message);
  }
  const { values, positionals } = parsed;
  const json = values.json === true;
  const [verb, sub, arg, ...extra] = positionals;
  const subscription = values.subscription === undefined ? {} : { subscription: values.subscription };
  const only = (allowed: string[]) => {
    const given = Object.entries(values).filter(([name, value]) => value !== undefined && name !== 'json' && !allowed.includes(name));
    if (given.length > 0) throw bad(`option --${given[0]![0]} does not apply to "${positionals.join(' ')}"`);
  };
  if (values.help || verb === undefined || verb === 'help') return { command: { name: 'help' }, json };

  if (verb === 'dlq') {
    if (sub === 'list') {
      only(['subscription']);
      if (arg !== undefined) throw bad(`dlq list takes no argument (got "${arg}")`);
      return { command: { name: 'dlq list', ...subscription }, json };
    }
    if (sub === 'show') {
      only(['subscription']);
      if (arg === undefined || extra.length > 0) throw bad('dlq show needs exactly one message id');
      return { command: { name: 'dlq show', messageId: arg, ...subscription }, json };
    }
    if (sub === 'redrive' || sub === 'purge') {
      only(['subscription', 'all']);
      if (extra.length > 0) throw bad(`dlq ${sub} takes one message id`);
      if ((arg === undefined) === (values.all !== true)) throw bad(`dlq ${sub} needs a message id or --all (not both)`);
      const target = arg === undefined ? { all: true as const, ...subscription } : { messageId: arg, ...subscription };
      return { command: { name: `dlq ${sub}`, target }, json };
    }
    throw bad(`unknown dlq command "${sub ?? ''}" (list, show, redrive, purge)`);
  }
  if (verb === 'erase') {
    only(['channel', 'user', 'conversation']);
    if (sub !== undefined) throw bad(`erase takes options only (got "${sub}")`);
    const { channel, user, conversation } = values;
    if (conversation !== undefined && channel === undefined && user === undefined) {
      if (conversation.trim() === '') throw bad('--conversation must not be empty');
      return { command: { name: 'erase', selector: { conversationId: conversation } }, json };
    }
    if (conversation === undefined && channel !== undefined && user !== undefined) {
      if (channel.trim() === '' || user.trim() === '') throw bad('--channel and --user must not be empty');
      return { command: { name: 'erase', selector: { channelId: channel, customerId: user } }, json };
    }
    throw bad('erase needs --channel and --user, or --conversation (not both)');
  }
  if (verb === 'journey') {
    only([]);
    if (sub === undefined || arg !== undefined) throw bad('journey needs exactly one event id');
    return { command: { name: 'journey', eventId: sub }, json };
  }
  throw bad(`unknown command "${verb}"`);
}
