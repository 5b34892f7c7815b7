import path from 'node:path';
import { azureMailer, azurePorts } from '../../core/config.js';
import type { Mailer } from '../ports.js';
import { dataDirOf, type Implementation } from '../registry.js';

/**
 * The Mailer implementations: Azure Communication Services Email when ACS_EMAIL_CONNECTION_STRING or
 * ACS_EMAIL_ENDPOINT is set, SendGrid when SENDGRID_API_KEY is (the config refuses both), else an
 * outbox folder of .eml files.
 */
export const mailers: readonly Implementation<Mailer>[] = [
  {
    id: 'acs-email',
    selectedBy: (config) => azureMailer(config) === 'acs-email',
    // The endpoint only: the connection string's access key is never shown.
    describe: (config) =>
      `Azure Communication Services Email (${config.ACS_EMAIL_ENDPOINT ?? /endpoint=([^;]+)/i.exec(config.ACS_EMAIL_CONNECTION_STRING ?? '')?.[1]}, ` +
      `${config.ACS_EMAIL_ENDPOINT ? 'managed identity' : 'access key'}, ≤ ${config.ACS_EMAIL_MAX_PER_MINUTE}/min)`,
    async build(config) {
      const { AcsEmailMailer } = await import('./acs-email-mailer.js');
      return new AcsEmailMailer({
        ...(config.ACS_EMAIL_CONNECTION_STRING ? { connectionString: config.ACS_EMAIL_CONNECTION_STRING } : { endpoint: config.ACS_EMAIL_ENDPOINT ?? '' }),
        maxPerMinute: config.ACS_EMAIL_MAX_PER_MINUTE,
      });
    },
  },
  {
    id: 'sendgrid',
    selectedBy: (config) => azureMailer(config) === 'sendgrid',
    describe: (config) => `SendGrid (${config.SENDGRID_BASE_URL})`,
    async build(config) {
      const { SendGridMailer } = await import('./sendgrid-mailer.js');
      return new SendGridMailer({ apiKey: config.SENDGRID_API_KEY ?? '', baseUrl: config.SENDGRID_BASE_URL });
    },
  },
  {
    id: 'outbox',
    selectedBy: (config) => !azurePorts(config).mailer,
    describe: (config) => `outbox folder (${path.join(dataDirOf(config), 'outbox')})`,
    async build(_config, deps) {
      const { OutboxMailer } = await import('./outbox-mailer.js');
      return new OutboxMailer({ directory: deps.inDataDir('outbox'), ...(deps.fileCalls && { files: deps.fileCalls }) });
    },
  },
];
