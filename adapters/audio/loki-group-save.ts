/** The part of a LokiJS database (Azurite's blob index) that saving it needs. */
export interface LokiDb {
  autosaveDirty(): boolean;
  readonly throttledSavePending?: boolean;
  saveDatabase(callback: (error?: unknown) => void): void;
}

export interface GroupSaveOptions {
  /** A save starts no sooner than this after the previous one ended (default 100 ms). */
  minGapMs?: number;
  /**
   * ...and no sooner than this many times the previous save's duration (default 5): a save
   * serialises the whole index, so its cost grows with the blobs stored; spacing saves by their
   * own cost keeps them to a fixed share of a core (1/6) however large the index grows.
   */
  gapFactor?: number;
  now?: () => number;
}

/**
 * Makes blobs durable in groups: `save()` resolves once a save of every index that *started after
 * the call* has finished writing, so the caller's upload is on disk. Callers arriving while a save
 * is pending share the next one. LokiJS's own autosave may be writing meanwhile: a save already in
 * flight may predate the caller's change, so it is waited for and followed by our own
 * (saveDatabase queues behind it and then saves again).
 */
export function groupSaves(dbs: () => readonly LokiDb[], options: GroupSaveOptions = {}): () => Promise<void> {
  const minGapMs = options.minGapMs ?? 100;
  const gapFactor = options.gapFactor ?? 5;
  const now = options.now ?? Date.now;
  let running: Promise<void> = Promise.resolve();
  let next: Promise<void> | undefined;
  let lastEnd = 0;
  let lastCost = 0;

  const saveOne = (db: LokiDb) =>
    new Promise<void>((resolve, reject) => {
      if (!db.autosaveDirty() && !db.throttledSavePending) return resolve();
      db.saveDatabase((error) => (error ? reject(error instanceof Error ? error : new Error('saving the index failed', { cause: error })) : resolve()));
    });

  const saveAll = async () => {
    const started = now();
    try {
      await Promise.all(dbs().map(saveOne));
    } finally {
      lastEnd = now();
      lastCost = lastEnd - started;
    }
  };

  return () => {
    if (!dbs().some((db) => db.autosaveDirty() || db.throttledSavePending)) return running.catch(() => undefined);
    next ??= running
      .catch(() => undefined)
      .then(async () => {
        const wait = lastEnd + Math.max(minGapMs, gapFactor * lastCost) - now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        // From here on a new caller's change may miss this save's snapshot: it waits for the next.
        next = undefined;
        running = saveAll();
        return running;
      });
    return next;
  };
}
