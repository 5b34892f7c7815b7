import { getHeapStatistics } from 'node:v8';

/**
 * One full garbage collection soon, when Node runs with --expose-gc (`npm start` does): start-up
 * leaves tens of MB of garbage (module sources, compile-time data) that an idle process would
 * otherwise hold until traffic makes V8 collect; collected at once, the idle host's footprint is
 * what it really uses. Without the flag: nothing.
 */
export function collectGarbageSoon(delayMs: number): void {
  const gc = exposedGc();
  if (gc) setTimeout(() => gc(), delayMs).unref();
}

/** V8's gc(), when Node runs with --expose-gc. */
function exposedGc(): (() => void) | undefined {
  const gc = (globalThis as { gc?: () => void }).gc;
  return typeof gc === 'function' ? gc : undefined;
}

/**
 * Keeps a thread's heap near what it really holds, when Node runs with --expose-gc: a full collection
 * whenever what the heap holds (its used size and its array buffers) has grown by `growthMb` since the
 * last one, checked every `everyMs`. The pipeline worker needs it: what it handles (a message's audio,
 * its email) lives across I/O long enough to reach the old generation, and V8, left to itself, lets
 * that generation grow by ~1 MB a second under a backlog (~40 MB in 30 s) before it collects; a
 * collection of its ~30 MB heap takes tens of milliseconds of the worker's own (low-priority) thread.
 * Returns what stops the checks. Without the flag: nothing.
 */
export function collectGarbageWhenGrown(growthMb: number, everyMs: number): () => void {
  const gc = exposedGc();
  if (!gc) return () => undefined;
  const held = () => getHeapStatistics().used_heap_size + process.memoryUsage().arrayBuffers;
  let after = held();
  const timer = setInterval(() => {
    const now = held();
    // Growth counts from the lowest point seen (V8 may have collected by itself since).
    after = Math.min(after, now);
    if (now < after + growthMb * 2 ** 20) return;
    gc();
    after = held();
  }, everyMs).unref();
  return () => clearInterval(timer);
}
