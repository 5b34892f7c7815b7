import { SendGridMailer } from '../../../adapters/mail/sendgrid-mailer.js';
import { startSendGridCaptureServer } from '../../support/sendgrid-capture-server.js';
import { sentFromCaptured } from '../../support/sendgrid-sent.js';
import { runMailerContract } from './mailer.contract.js';

// Each mailer gets its own capture server that insists on the mailer's key, so a request
// sent without it would be refused rather than counted as delivered.
runMailerContract({
  name: 'SendGridMailer (local SendGrid capture server)',
  deduplicatesByKey: false,
  create: async () => {
    const apiKey = 'SG.contract-test-key';
    const server = await startSendGridCaptureServer({ apiKey });
    const mailer = new SendGridMailer({ apiKey, baseUrl: server.baseUrl });
    return {
      mailer,
      server,
      cleanup: async () => {
        await mailer.close();
        await server.stop();
      },
    };
  },
  readSent: async ({ server }) => sentFromCaptured(server.received),
});
