import { TalkbackError } from './errors.js';

/**
 * `work`'s outcome, or a retryable Timeout with `message` once `timeoutMs` passed. The work itself is
 * not cancelled (callers that can abort do so themselves); its late outcome is ignored.
 */
export function withDeadline<T>(work: Promise<T>, timeoutMs: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TalkbackError('Timeout', message)), timeoutMs);
  });
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
