import type { DestinationStream } from 'pino';
import { hasControlCharacters } from '../core/control-characters.js';

const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const SHOWN = new Set(['level', 'time', 'msg', 'function', 'eventId', 'outcome', 'deliveryCount', 'ms']);

/**
 * Pino's JSON made into one short line per record for a person watching `npm start`:
 * `15:45:11.055 speech  0f22c4f2 complete #1 5762 ms`, other fields appended as key=value.
 */
export function formatLogLine(json: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const time = new Date(typeof record['time'] === 'number' ? record['time'] : Date.now()).toISOString().slice(11, 23);
  const level = LEVELS[Number(record['level'])] ?? 'info';
  const text = (value: unknown, fallback: string) =>
    typeof value === 'string' || typeof value === 'number' ? String(value) : fallback;
  const parts = [time, level === 'info' ? '' : level, text(record['function'], '').padEnd(7)];
  if (typeof record['eventId'] === 'string') parts.push(record['eventId'].slice(0, 8));
  if (typeof record['outcome'] === 'string') {
    parts.push(record['outcome'], `#${text(record['deliveryCount'], '?')}`, `${text(record['ms'], '?')} ms`);
  } else {
    parts.push(text(record['msg'], ''));
  }
  for (const [key, value] of Object.entries(record)) {
    if (!SHOWN.has(key) && value !== undefined) parts.push(`${key}=${typeof value === 'string' ? printable(value) : JSON.stringify(value)}`);
  }
  return `${parts.filter((p) => p !== '').join(' ')}\n`;
}

export function lineDestination(out: NodeJS.WritableStream = process.stdout): DestinationStream {
  return { write: (chunk: string) => void out.write(chunk.split('\n').filter((l) => l !== '').map(formatLogLine).join('')) };
}

/** A value as its JSON string when it holds a control character: one line stays one line, no escape sequence reaches the terminal. */
function printable(value: string): string {
  return hasControlCharacters(value) ? JSON.stringify(value) : value;
}
