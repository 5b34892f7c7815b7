/** The thread behind local/mjml-compile-thread.ts: compiles one MJML source, answers, and ends. */
import { parentPort, workerData } from 'node:worker_threads';
import { compileMjmlHere } from '../core/mjml-template.js';
import type { MjmlCompileAnswer } from './mjml-compile-thread.js';

if (!parentPort) throw new Error('local/mjml-compile-main runs as a thread of local/mjml-compile-thread.ts');
const { source } = workerData as { source: string };
const answer: MjmlCompileAnswer = await compileMjmlHere(source).then(
  (html) => ({ html }),
  (error: unknown) => ({ error: (error as Error).message }),
);
parentPort.postMessage(answer);
