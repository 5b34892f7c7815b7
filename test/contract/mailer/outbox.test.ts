import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blockingFileCalls } from '../../../adapters/file-calls.js';
import { OutboxMailer } from '../../../adapters/mail/outbox-mailer.js';
import { readOutbox } from '../../support/outbox.js';
import { runMailerContract } from './mailer.contract.js';

// Its file calls on libuv's pool (the default) and on the calling thread (the pipeline worker's outbox).
for (const [how, files] of [['pooled', undefined], ['blocking', blockingFileCalls]] as const) {
  runMailerContract({
    name: `OutboxMailer (${how} file calls)`,
    deduplicatesByKey: true,
    create: async () => {
      const root = await mkdtemp(join(tmpdir(), 'talkback-outbox-'));
      // A folder that does not exist yet: the mailer creates it.
      const directory = join(root, 'outbox');
      return {
        mailer: new OutboxMailer({ directory, ...(files && { files }) }),
        directory,
        cleanup: () => rm(root, { recursive: true, force: true }),
      };
    },
    readSent: ({ directory }) => readOutbox(directory),
  });
}
