import type { Journey } from '../../operations/journey.js';
import { formatDuration } from '../console-format.js';
import type { EmailCopy } from '../email-copy.js';
import { LocalTime } from '../layout.js';

export interface JourneyPageProps {
  base: string;
  journey: Journey;
  email?: EmailCopy | undefined;
}

/** One interaction: stages, delivery attempts, transcript, audio, the staff email and the chat reply. */
export function JourneyPage({ base, journey, email }: JourneyPageProps) {
  const link = (path: string | undefined) => (path === undefined ? undefined : `${base}${path}`);
  return (
    <>
      <dl>
        <dt>Customer</dt>
        <dd>
          {journey.customer?.name ?? '(unknown)'} <code>{journey.customer?.id ?? ''}</code>
        </dd>
        <dt>Channel</dt>
        <dd>{journey.channelId ?? ''}</dd>
        <dt>Language</dt>
        <dd>{journey.language ?? ''}</dd>
        <dt>Conversation</dt>
        <dd>
          <code>{journey.conversationId}</code>
        </dd>
        <dt>Event id</dt>
        <dd>
          <code>{journey.id}</code>
        </dd>
      </dl>

      <h2>Stages</h2>
      <table id="stages">
        <thead>
          <tr>
            <th>Stage</th>
            <th>Time</th>
            <th>After received</th>
            <th>After previous stage</th>
          </tr>
        </thead>
        <tbody>
          {journey.stages.map((s) => (
            <tr data-stage={s.stage} class={s.at ? 'ok' : 'muted'}>
              <th scope="row">{s.stage}</th>
              <td>
                <LocalTime iso={s.at} />
              </td>
              <td>{formatDuration(s.afterReceivedMs)}</td>
              <td>{formatDuration(s.afterPreviousMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Delivery attempts</h2>
      {journey.attempts.length === 0 ? (
        <p class="muted">Every delivery succeeded at the first attempt.</p>
      ) : (
        <table id="attempts">
          <thead>
            <tr>
              <th>Time</th>
              <th>Function</th>
              <th>Delivery</th>
              <th>Outcome</th>
              <th>Error code</th>
              <th>Message</th>
              <th>Retry delay</th>
            </tr>
          </thead>
          <tbody>
            {journey.attempts.map((a) => (
              <tr class={a.outcome === 'succeeded' ? 'ok' : 'failed'}>
                <td>
                  <LocalTime iso={a.at} />
                </td>
                <td>{a.function}</td>
                <td>{a.deliveryCount}</td>
                <td>{a.outcome === 'failed' ? 'failed (dead-lettered)' : a.outcome}</td>
                <td>{a.code ?? ''}</td>
                <td>{a.message ?? ''}</td>
                <td>{a.retryDelayMs === undefined ? '' : `≈ ${formatDuration(a.retryDelayMs)}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {journey.failures.length > 0 ? (
        <ul class="failed">
          {journey.failures.map((f) => (
            <li>
              {f.function}: {f.code} — {f.message} (<LocalTime iso={f.at} />)
            </li>
          ))}
        </ul>
      ) : null}

      <h2>Transcript</h2>
      <blockquote lang={journey.language ?? ''}>{journey.text ?? ''}</blockquote>

      <h2>Audio</h2>
      {journey.audio ? (
        <p>
          <audio controls preload="metadata" src={link(journey.links.audio)}>
            <a href={link(journey.links.audio)}>Download the audio</a>
          </audio>
          <br />
          <span class="muted">
            {journey.audio.voice} · {formatDuration(journey.audio.durationMs)} · {journey.audio.bytes} bytes · <code>{journey.audio.blobName}</code>
          </span>
        </p>
      ) : (
        <p class="muted">No audio yet.</p>
      )}

      <h2>Staff email</h2>
      {email ? (
        <>
          <dl>
            <dt>Subject</dt>
            <dd>{email.subject}</dd>
            <dt>From</dt>
            <dd>{email.from}</dd>
            <dt>To</dt>
            <dd>{email.to}</dd>
            <dt>Sent</dt>
            <dd>
              <LocalTime iso={email.date} />
            </dd>
            <dt>Attachments</dt>
            <dd>{email.attachments.map((a) => `${a.filename} (${a.contentType}, ${a.bytes} bytes)`).join(', ') || 'none'}</dd>
          </dl>
          <iframe class="email" title="Staff email preview" sandbox="" src={link(`${journey.links.page}/email.html`)}></iframe>
          <p>
            <a href={link(journey.links.email)} download="">
              Download the .eml
            </a>
          </p>
        </>
      ) : journey.mail ? (
        <dl>
          <dt>Recipients</dt>
          <dd>{journey.mail.recipients.join(', ')}</dd>
          <dt>Provider message id</dt>
          <dd>
            <code>{journey.mail.messageId}</code>
          </dd>
          <dt>Copy</dt>
          <dd>The mail provider keeps no copy here; this is what it accepted.</dd>
        </dl>
      ) : (
        <p class="muted">Not emailed yet.</p>
      )}

      <h2>Chat reply</h2>
      {journey.reply ? (
        <div id="reply">
          <p>
            Sent <LocalTime iso={journey.reply.at} /> {journey.reply.format ? `as ${journey.reply.format}` : ''}
          </p>
          {journey.reply.text ? <blockquote>{journey.reply.text}</blockquote> : null}
          <pre>{JSON.stringify(journey.reply.attachments, null, 2)}</pre>
          <p class="muted">The audio link in the reply was a short-lived SAS link; shown here as the console's link.</p>
        </div>
      ) : (
        <p class="muted">Not replied yet.</p>
      )}
    </>
  );
}
