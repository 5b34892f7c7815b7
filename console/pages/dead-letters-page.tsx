import type { SubscriptionDeadLetter } from '../../operations/dead-letters.js';
import { CsrfField, LocalTime } from '../layout.js';

export interface DeadLettersPageProps {
  base: string;
  csrf: string;
  subscriptions: readonly string[];
  messages: SubscriptionDeadLetter[];
  notice?: string | undefined;
}

function Action(props: { base: string; csrf: string; action: 'redrive' | 'purge'; subscription: string; messageId?: string; label: string; confirm?: string }) {
  return (
    <form class="inline" method="post" action={`${props.base}/dead-letters/${props.action}`} {...(props.confirm ? { 'data-confirm': props.confirm } : {})}>
      <CsrfField token={props.csrf} />
      <input type="hidden" name="subscription" value={props.subscription} />
      {props.messageId ? <input type="hidden" name="messageId" value={props.messageId} /> : null}
      <button type="submit">{props.label}</button>
    </form>
  );
}

/** Dead letters per subscription, each with Redrive and Purge; a subscription's dead letters redriven at once. */
export function DeadLettersPage({ base, csrf, subscriptions, messages, notice }: DeadLettersPageProps) {
  return (
    <>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      {subscriptions.map((name) => {
        const mine = messages.filter((m) => m.subscription === name);
        return (
          <section aria-labelledby={`sub-${name}`}>
            <h2 id={`sub-${name}`}>
              {name} <span class="muted">({mine.length})</span>
            </h2>
            {mine.length === 0 ? (
              <p class="muted">No dead letters.</p>
            ) : (
              <>
                <p>
                  <Action base={base} csrf={csrf} action="redrive" subscription={name} label="Redrive all" />{' '}
                  <Action base={base} csrf={csrf} action="purge" subscription={name} label="Purge all" confirm={`Delete all ${mine.length} dead letters of ${name}?`} />
                </p>
                <table>
                  <thead>
                    <tr>
                      <th>Message id</th>
                      <th>Subject</th>
                      <th>Reason</th>
                      <th>Description</th>
                      <th>Deliveries</th>
                      <th>Dead-lettered</th>
                      <th>Body</th>
                      <th>Actions</th>
                    </tr>
                  </thead>
                  <tbody>
                    {mine.map((m) => (
                      <tr data-message-id={m.messageId}>
                        <td>
                          <code>{m.messageId}</code>
                        </td>
                        <td>{m.subject}</td>
                        <td class="failed">{m.reason}</td>
                        <td>{m.description}</td>
                        <td>{m.deliveryCount}</td>
                        <td>
                          <LocalTime iso={m.deadLetteredAt.toISOString()} />
                        </td>
                        <td>
                          <details>
                            <summary>body</summary>
                            <pre>{JSON.stringify(m.body, null, 2)}</pre>
                          </details>
                        </td>
                        <td>
                          <Action base={base} csrf={csrf} action="redrive" subscription={name} messageId={m.messageId} label="Redrive" />{' '}
                          <Action base={base} csrf={csrf} action="purge" subscription={name} messageId={m.messageId} label="Purge" confirm="Delete this dead letter?" />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            )}
          </section>
        );
      })}
    </>
  );
}
