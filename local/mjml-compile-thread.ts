import { Worker } from 'node:worker_threads';
import { threadEntry } from '../adapters/thread-entry.js';

/** What the compile thread (local/mjml-compile-main.ts) answers. */
export type MjmlCompileAnswer = { html: string } | { error: string };

let queue: Promise<unknown> = Promise.resolve();

/**
 * MJML → HTML on a thread that ends once it has answered, so mjml (~600 modules, ~16 MB of heap)
 * never stays in the pipeline worker, which renders a template only once per locale (and a digest
 * now and then). One compile at a time: each thread loads mjml anew (~0.5 s), and a burst of first
 * emails must not start several at once. The thread inherits the caller's CPU priority.
 */
export function compileMjmlOnThread(source: string): Promise<string> {
  const compiled = queue.then(() => compileOnce(source));
  queue = compiled.catch(() => undefined);
  return compiled;
}

function compileOnce(source: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const thread = new Worker(threadEntry(new URL('./mjml-compile-main', import.meta.url)), { workerData: { source } });
    thread.once('message', (answer: MjmlCompileAnswer) => {
      // Whatever mjml may have left running, the thread's work is done.
      void thread.terminate();
      if ('html' in answer) resolve(answer.html);
      else reject(new Error(answer.error));
    });
    thread.once('error', (error) => reject(new Error(`MJML template: the compile thread failed: ${error.message}`)));
    // After an answer or an error the promise is settled already, and this changes nothing.
    thread.once('exit', (code) => reject(new Error(`MJML template: the compile thread exited with ${code} without an answer`)));
  });
}
