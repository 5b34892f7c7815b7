import { createHash } from 'node:crypto';
import { renderDigestEmail } from '../core/digest-email.js';
import { staffFormat } from '../core/staff-format.js';
import type { TimerFunction } from './declarations.js';

const DAY_MS = 24 * 3_600_000;
const MAX_RECORDS = 500;

/** Daily: each staff member gets a summary of the last 24 hours' conversations, grouped by conversation. */
export const digest: TimerFunction = {
  kind: 'timer',
  name: 'digest',
  scheduleSetting: 'DIGEST_SCHEDULE',
  async handler(ctx) {
    const { ports, config, logger } = ctx;
    const to = ctx.now();
    const from = new Date(to.getTime() - DAY_MS);
    // One more than shown tells whether the list was cut.
    const listed = await (await ports.store()).listUpdated(from, to, MAX_RECORDS + 1);
    const records = listed.slice(0, MAX_RECORDS);
    const staff = { locale: config.STAFF_LOCALE, timeZone: config.STAFF_TIME_ZONE };
    const rendered = await renderDigestEmail({
      records,
      from,
      to,
      truncated: listed.length > MAX_RECORDS,
      consoleBaseUrl: config.CONSOLE_BASE_URL,
      staff,
    });
    const mailer = await ports.mailer();
    // The staff's calendar day: the timer fires at DIGEST_SCHEDULE in STAFF_TIME_ZONE.
    const day = staffFormat(staff).day(to);
    for (const recipient of config.STAFF_EMAILS) {
      const who = createHash('sha256').update(recipient).digest('hex').slice(0, 12);
      await mailer.send({
        // One digest per recipient and day, however often the timer fires.
        idempotencyKey: `digest-${day}-${who}`,
        from: config.MAIL_FROM,
        to: [recipient],
        ...rendered,
        attachments: [],
      });
    }
    logger.info({ records: records.length, recipients: config.STAFF_EMAILS.length }, 'digest sent');
  },
};
