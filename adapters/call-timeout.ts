import { withDeadline } from '../core/deadline.js';

/**
 * A port whose every asynchronous call is bounded: past `timeoutMs` the call fails with a retryable
 * Timeout (the message goes back to the bus with the normal backoff) instead of holding a worker
 * forever on a speech service, blob store, mail API or database that accepted and never answered.
 * The call itself is not cancelled (the SDKs' own timeouts do that where they have one); its late
 * result is ignored. `close` is never bounded.
 */
export function withCallTimeout<T extends object>(port: T, name: string, timeoutMs: number): T {
  return new Proxy(port, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || property === 'close' || property === 'constructor') return value;
      return (...args: unknown[]) => {
        const result: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (!(result instanceof Promise)) return result;
        return withDeadline(result, timeoutMs, `${name}.${String(property)} did not answer within ${timeoutMs} ms`);
      };
    },
  });
}
