import type { ErasureReport } from '../../operations/erase-customer.js';
import { CsrfField } from '../layout.js';

export interface ErasePageProps {
  base: string;
  csrf: string;
  report?: ErasureReport | undefined;
  error?: string | undefined;
}

/** Erase a customer: by channel + user id, or by conversation; then what was deleted. */
export function ErasePage({ base, csrf, report, error }: ErasePageProps) {
  return (
    <>
      {error ? (
        <p class="notice failed" role="alert">
          {error}
        </p>
      ) : null}
      {report ? (
        <section id="erasure" role="status" aria-label="Erasure report">
          <h2>Deleted</h2>
          <ul>
            <li>{report.records} interaction record(s)</li>
            <li>{report.blobs} audio blob(s)</li>
            <li>{report.emails === null ? 'no email copies kept by this mailer' : `${report.emails} email(s) from the outbox`}</li>
            <li>{report.messages === null ? 'queued messages: the bus cannot delete selectively (they expire)' : `${report.messages} queued or dead-lettered message(s)`}</li>
          </ul>
          {report.recordIds.length > 0 ? (
            <details>
              <summary>Record ids and blobs</summary>
              <pre>{[...report.recordIds, ...report.blobNames].join('\n')}</pre>
            </details>
          ) : null}
        </section>
      ) : null}
      <form method="post" action={`${base}/erase`} data-confirm="Delete every record, audio file, email copy and queued message of this customer? This cannot be undone.">
        <CsrfField token={csrf} />
        <fieldset>
          <legend>A customer on a channel</legend>
          <label for="channel">Channel</label>
          <input id="channel" name="channel" placeholder="msteams, facebook, webchat, emulator…" />
          <label for="user">User id</label>
          <input id="user" name="user" />
        </fieldset>
        <fieldset>
          <legend>Or one conversation</legend>
          <label for="conversation">Conversation id</label>
          <input id="conversation" name="conversation" />
        </fieldset>
        <button type="submit">Erase customer</button>
      </form>
    </>
  );
}
