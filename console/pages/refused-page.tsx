import type { RefusedRequest } from '../../operations/refused-requests.js';
import { LocalTime } from '../layout.js';

export interface RefusedPageProps {
  counts?: { total: number; byStatus: Record<string, number> } | undefined;
  latest?: RefusedRequest[] | undefined;
}

/** Refused chat requests: counts (by status, and by reason among the latest) and the latest ones (never a token or the text). */
export function RefusedPage({ counts, latest }: RefusedPageProps) {
  if (counts === undefined || latest === undefined) {
    return <p class="notice">This host keeps no record of refused requests.</p>;
  }
  const byReason = new Map<string, number>();
  for (const r of latest) byReason.set(r.reason, (byReason.get(r.reason) ?? 0) + 1);
  return (
    <>
      <h2>Counts</h2>
      <p id="refused-total">{counts.total} refused since the host started.</p>
      <table id="refused-counts">
        <thead>
          <tr>
            <th>HTTP status</th>
            <th>Count</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(counts.byStatus)
            .sort((a, b) => b[1] - a[1])
            .map(([status, count]) => (
              <tr>
                <td>{status}</td>
                <td>{count}</td>
              </tr>
            ))}
        </tbody>
      </table>
      {byReason.size > 0 ? (
        <table id="refused-reasons">
          <thead>
            <tr>
              <th>Reason (among the latest {latest.length})</th>
              <th>Count</th>
            </tr>
          </thead>
          <tbody>
            {[...byReason.entries()]
              .sort((a, b) => b[1] - a[1])
              .map(([reason, count]) => (
                <tr>
                  <td>{reason}</td>
                  <td>{count}</td>
                </tr>
              ))}
          </tbody>
        </table>
      ) : null}
      <h2>Latest</h2>
      <table id="refused-latest">
        <thead>
          <tr>
            <th>Time</th>
            <th>Status</th>
            <th>Channel</th>
            <th>Conversation</th>
            <th>Route</th>
            <th>Reason</th>
          </tr>
        </thead>
        <tbody>
          {latest.map((r) => (
            <tr>
              <td>
                <LocalTime iso={r.at} />
              </td>
              <td>{r.status}</td>
              <td>{r.channelId ?? ''}</td>
              <td>
                <code>{r.conversationId ?? ''}</code>
              </td>
              <td>{r.route}</td>
              <td>{r.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
