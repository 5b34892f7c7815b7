import type { RefusedRequest } from '../../operations/refused-requests.js';
import { LocalTime } from '../layout.js';

export interface RefusedPageProps {
  counts?: Record<string, number> | undefined;
  latest?: RefusedRequest[] | undefined;
}

/** Refused chat requests: counts per reason and the latest ones (never a token or the text). */
export function RefusedPage({ counts, latest }: RefusedPageProps) {
  if (counts === undefined || latest === undefined) {
    return <p class="notice">This host keeps no record of refused requests yet.</p>;
  }
  const reasons = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  return (
    <>
      <h2>Counts</h2>
      {reasons.length === 0 ? (
        <p class="muted">Nothing refused.</p>
      ) : (
        <table id="refused-counts">
          <thead>
            <tr>
              <th>Reason</th>
              <th>Count</th>
            </tr>
          </thead>
          <tbody>
            {reasons.map(([reason, count]) => (
              <tr>
                <td>{reason}</td>
                <td>{count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Latest</h2>
      <table id="refused-latest">
        <thead>
          <tr>
            <th>Time</th>
            <th>Channel</th>
            <th>Conversation</th>
            <th>Reason</th>
          </tr>
        </thead>
        <tbody>
          {latest.map((r) => (
            <tr>
              <td>
                <LocalTime iso={r.at} />
              </td>
              <td>{r.channel ?? ''}</td>
              <td>
                <code>{r.conversation ?? ''}</code>
              </td>
              <td>{r.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
