import { AcsEmailMailer } from '../../../adapters/mail/acs-email-mailer.js';
import { startAcsEmailServer } from '../../support/acs-email-server.js';
import { sentFromAcs } from '../../support/acs-email-sent.js';
import { runMailerContract } from './mailer.contract.js';

// Each mailer gets its own stand-in with its own access key: a request not signed with it is
// refused (401) rather than counted as delivered. One status poll answers Running before Succeeded.
runMailerContract({
  name: 'AcsEmailMailer (local ACS Email stand-in)',
  deduplicatesByKey: false,
  create: async () => {
    const server = await startAcsEmailServer({ runningPolls: 1 });
    const mailer = new AcsEmailMailer({ connectionString: server.connectionString, pollIntervalMs: 10 });
    return {
      mailer,
      server,
      cleanup: async () => {
        await mailer.close();
        await server.stop();
      },
    };
  },
  readSent: async ({ server }) => sentFromAcs(server.accepted),
});
