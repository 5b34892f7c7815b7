import { STAGES } from '../../core/record.js';
import type { InteractionRow } from '../interaction-rows.js';
import { LocalTime } from '../layout.js';

export interface InteractionsPageProps {
  base: string;
  query: string;
  rows: InteractionRow[];
  version: string;
  next?: string | undefined;
  /** The JSON endpoint the script polls; only the first page is live. */
  live?: string | undefined;
  error?: string | undefined;
}

/** The interactions list: newest first, a search box, one page, live-updated by the console script. */
export function InteractionsPage({ base, query, rows, version, next, live, error }: InteractionsPageProps) {
  return (
    <>
      <form class="search" method="get" action={`${base}/interactions`} role="search">
        <label for="q">Search</label>
        <input
          id="q"
          name="q"
          type="search"
          value={query}
          placeholder="name, id, conversation, text · channel:msteams stage:replied missing:emailed code:ReplyRejected date:2026-12-03"
        />
        <button type="submit">Find</button>
      </form>
      {error ? <p class="notice failed">{error}</p> : null}
      <table id="interactions" data-live={live} data-version={version}>
        <thead>
          <tr>
            <th>Customer</th>
            <th>Channel</th>
            <th>Language</th>
            <th>First words</th>
            {STAGES.map((s) => (
              <th>{s}</th>
            ))}
            <th>Failures</th>
            <th>Event id</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <td>
                <a href={r.href}>{r.customer}</a>
              </td>
              <td>{r.channel}</td>
              <td>{r.language}</td>
              <td lang={r.language}>{r.firstWords}</td>
              {r.stages.map((s) => (
                <td class="stage">
                  <LocalTime iso={s.at} />
                  {s.duration ? <span class="duration"> +{s.duration}</span> : null}
                </td>
              ))}
              <td class={r.failures ? 'failed' : ''}>{r.failures}</td>
              <td>
                <code>{r.eventId}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 ? <p class="muted">No interactions{query ? ' match this search' : ' yet'}.</p> : null}
      {next ? (
        <p>
          <a href={`${base}/interactions?${new URLSearchParams({ ...(query ? { q: query } : {}), cursor: next }).toString()}`}>Older →</a>
        </p>
      ) : null}
    </>
  );
}
