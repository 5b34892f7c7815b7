/**
 * One full garbage collection soon, when Node runs with --expose-gc (`npm start` does): start-up
 * leaves tens of MB of garbage (module sources, compile-time data) that an idle process would
 * otherwise hold until traffic makes V8 collect; collected at once, the idle host's footprint is
 * what it really uses. Without the flag: nothing.
 */
export function collectGarbageSoon(delayMs: number): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc === 'function') setTimeout(() => gc(), delayMs).unref();
}
