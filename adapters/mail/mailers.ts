import path from 'node:path';
import { azurePorts } from '../../core/config.js';
import type { Mailer } from '../ports.js';
import { dataDirOf, type Implementation } from '../registry.js';

/** The Mailer implementations: SendGrid when SENDGRID_API_KEY is set, else an outbox folder of .eml files. */
export const mailers: readonly Implementation<Mailer>[] = [
  {
    id: 'sendgrid',
    selectedBy: (config) => azurePorts(config).mailer,
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
      return new OutboxMailer({ directory: deps.inDataDir('outbox') });
    },
  },
];
