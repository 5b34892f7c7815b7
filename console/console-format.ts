/** Durations as staff read them: 850 ms, 1.2 s, 3 min 05 s, 2 h 10 min. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || Number.isNaN(ms)) return '';
  const sign = ms < 0 ? '−' : '';
  const abs = Math.abs(ms);
  if (abs < 1_000) return `${sign}${Math.round(abs)} ms`;
  if (abs < 60_000) return `${sign}${(abs / 1_000).toFixed(1)} s`;
  if (abs < 3_600_000) return `${sign}${Math.floor(abs / 60_000)} min ${String(Math.floor((abs % 60_000) / 1_000)).padStart(2, '0')} s`;
  return `${sign}${Math.floor(abs / 3_600_000)} h ${String(Math.floor((abs % 3_600_000) / 60_000)).padStart(2, '0')} min`;
}

/** The first words of a message, for a table cell. */
export function firstWords(text: string | undefined, max = 60): string {
  if (text === undefined) return '';
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
