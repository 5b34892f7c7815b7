import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OutboxMailer } from '../../../adapters/mail/outbox-mailer.js';
import { readOutbox } from '../../support/outbox.js';
import { runMailerContract } from './mailer.contract.js';

runMailerContract({
  name: 'OutboxMailer',
  deduplicatesByKey: true,
  create: async () => {
    const root = await mkdtemp(join(tmpdir(), 'talkback-outbox-'));
    // A folder that does not exist yet: the mailer creates it.
    const directory = join(root, 'outbox');
    return {
      mailer: new OutboxMailer({ directory }),
      directory,
      cleanup: () => rm(root, { recursive: true, force: true }),
    };
  },
  readSent: ({ directory }) => readOutbox(directory),
});
