import type { ErasureReport } from '../operations/erase-customer.js';
import type { DeadLetterAction, SubscriptionDeadLetter } from '../operations/dead-letters.js';
import type { Journey } from '../operations/journey.js';
import type { Command } from './cli-arguments.js';

/** What a person reads (the --json output is the result object itself). */
export function describeResult(command: Command, result: unknown): string {
  switch (command.name) {
    case 'dlq list': {
      const { deadLetters } = result as { deadLetters: SubscriptionDeadLetter[] };
      if (deadLetters.length === 0) return 'No dead letters.';
      return deadLetters
        .map((m) => `${m.subscription}\t${m.messageId}\t${m.subject}\t${m.reason}: ${m.description}\tdeliveries=${m.deliveryCount}\t${m.deadLetteredAt.toISOString()}`)
        .join('\n');
    }
    case 'dlq show': {
      const { deadLetters } = result as { deadLetters: SubscriptionDeadLetter[] };
      return deadLetters
        .map((m) =>
          [
            `subscription:   ${m.subscription}`,
            `message id:     ${m.messageId}`,
            `subject:        ${m.subject}`,
            `reason:         ${m.reason}`,
            `description:    ${m.description}`,
            `deliveries:     ${m.deliveryCount}`,
            `dead-lettered:  ${m.deadLetteredAt.toISOString()}`,
            `body:           ${JSON.stringify(m.body, null, 2)}`,
          ].join('\n'),
        )
        .join('\n\n');
    }
    case 'dlq redrive':
    case 'dlq purge': {
      const actions = Object.values(result as Record<string, DeadLetterAction[]>)[0] ?? [];
      const verb = command.name === 'dlq redrive' ? 'redriven' : 'purged';
      const total = actions.reduce((n, a) => n + a.count, 0);
      return `${verb} ${total} message(s)${actions.length > 0 ? `: ${actions.map((a) => `${a.subscription} ${a.count}`).join(', ')}` : ''}`;
    }
    case 'erase': {
      const r = result as ErasureReport;
      return [
        `deleted ${r.records} record(s), ${r.blobs} audio blob(s), ${r.emails ?? 'no kept'} email(s), ${r.messages ?? 'no (not selectively deletable)'} queued message(s)`,
        ...r.recordIds.map((id) => `  record ${id}`),
        ...r.blobNames.map((name) => `  blob ${name}`),
      ].join('\n');
    }
    case 'journey': {
      const j = result as Journey;
      return [
        `${j.id}  ${j.customer?.name ?? ''} (${j.customer?.id ?? ''}) on ${j.channelId ?? ''}, ${j.language ?? ''}, conversation ${j.conversationId}`,
        `  "${j.text ?? ''}"`,
        ...j.stages.map((s) => `  ${s.stage.padEnd(9)} ${s.at ?? '—'}${s.afterPreviousMs === undefined ? '' : `  +${s.afterPreviousMs} ms`}`),
        ...j.attempts.map((a) => `  attempt ${a.function} #${a.deliveryCount} ${a.outcome}${a.code ? ` ${a.code}: ${a.message ?? ''}` : ''}${a.retryDelayMs === undefined ? '' : ` (retry in ~${a.retryDelayMs} ms)`}`),
        ...Object.entries(j.links).map(([name, link]) => `  ${name}: ${link}`),
      ].join('\n');
    }
    case 'help':
      return '';
  }
}
