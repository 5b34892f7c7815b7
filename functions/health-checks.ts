import { randomUUID } from 'node:crypto';
import { mkdir, open, statfs, unlink } from 'node:fs/promises';
import path from 'node:path';
import { audioStoreKind, azurePorts } from '../core/config.js';
import { withDeadline } from '../core/deadline.js';
import { toTalkbackError } from '../core/errors.js';
import type { FunctionContext } from './context.js';

export interface PartState {
  ok: boolean;
  /** What was checked, or why it failed. */
  detail: string;
  ms: number;
}

/** How long one part may take to answer before it counts as failing. */
const CHECK_TIMEOUT_MS = 3_000;
/** Synthesis is the one costly check: a success is trusted this long. */
const SPEECH_TRUSTED_MS = 60_000;
let speechCheckedAt = 0;

/** A cold speech engine compiles first (seconds on a busy machine). */
const SPEECH_TIMEOUT_MS = 15_000;

async function timed(what: () => Promise<string>, timeoutMs = CHECK_TIMEOUT_MS): Promise<PartState> {
  const started = Date.now();
  try {
    const detail = await withDeadline(what(), timeoutMs, `no answer within ${timeoutMs} ms`);
    return { ok: true, detail, ms: Date.now() - started };
  } catch (error) {
    return { ok: false, detail: toTalkbackError(error).message.split('\n')[0]?.slice(0, 200) ?? 'failed', ms: Date.now() - started };
  }
}

/**
 * Each part the pipeline needs, checked for real: the bus and the store commit a write, the data
 * folder's disk has room and takes a synced write, the speech engine synthesizes, the blob store
 * answers. A part that cannot be checked (an Azure bus without a probe) says so and counts as up.
 */
export async function checkParts(ctx: FunctionContext): Promise<Record<string, PartState>> {
  const { ports, config } = ctx;
  const azure = azurePorts(config);
  const checks: Record<string, () => Promise<string>> = {
    bus: async () => {
      const bus = await ports.bus();
      if (!bus.probe) return 'not checkable (no probe)';
      await bus.probe();
      return 'commits';
    },
    store: async () => {
      const store = await ports.store();
      if (!store.probe) return 'not checkable (no probe)';
      await store.probe();
      return 'commits';
    },
    audio: async () => {
      await (await ports.audio()).stat('health/probe.mp3');
      return 'answers';
    },
    speech: async () => {
      if (Date.now() - speechCheckedAt < SPEECH_TRUSTED_MS) return 'synthesized recently';
      await (await ports.speech()).synthesize({ text: 'ok', language: 'en' });
      speechCheckedAt = Date.now();
      return 'synthesizes';
    },
  };
  const worker = ctx.pipelineWorker;
  if (worker) {
    // Opening Azurite or the speech engine here would start a second one beside the worker's (the
    // folder audio store is files both open: checked here as it is).
    const inWorker = async () => {
      if (!worker.running()) throw new Error(`the pipeline worker is not running (${worker.describe()})`);
      return `in the pipeline worker (${worker.describe()})`;
    };
    if (audioStoreKind(config) === 'azurite') checks['audio'] = inWorker;
    checks['speech'] = inWorker;
  }
  if (!azure.bus || !azure.store || !azure.audio || !azure.mailer) {
    checks['disk'] = () => checkDisk(path.resolve(config.TALKBACK_DATA_DIR), config.HEALTH_MIN_FREE_MB);
  }
  const names = Object.keys(checks);
  const states = await Promise.all(names.map((name) => timed(checks[name]!, name === 'speech' ? SPEECH_TIMEOUT_MS : CHECK_TIMEOUT_MS)));
  return Object.fromEntries(names.map((name, i) => [name, states[i]!]));
}

/** Room left on the data folder's disk, and a small write synced to it (what every commit needs). */
async function checkDisk(dir: string, minFreeMb: number): Promise<string> {
  await mkdir(dir, { recursive: true });
  const fs = await statfs(dir);
  const freeMb = Math.floor((fs.bavail * fs.bsize) / 1_048_576);
  if (freeMb < minFreeMb) throw new Error(`${freeMb} MB free on the data folder's disk, below HEALTH_MIN_FREE_MB=${minFreeMb}`);
  const file = path.join(dir, `.health-${randomUUID()}`);
  const handle = await open(file, 'w');
  try {
    await handle.write(Buffer.alloc(64 * 1024));
    await handle.sync();
  } finally {
    await handle.close();
    await unlink(file).catch(() => undefined);
  }
  return `${freeMb} MB free, a synced write succeeds`;
}
