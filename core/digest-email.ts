import { interactionUrl } from './console-url.js';
import { arrivedAt, groupByConversation, type ConversationDigest } from './digest-groups.js';
import { channelName, headerSafe, type RenderedEmail } from './email.js';
import { EMAIL_COLORS as C, staffEmailMjml } from './email-style.js';
import { escapeHtml } from './html.js';
import { compileTemplate } from './mjml-template.js';
import { STAGES, type InteractionRecord } from './record.js';
import { staffFormat, type StaffFormat, type StaffOptions } from './staff-format.js';

export interface DigestEmailInput {
  records: readonly InteractionRecord[];
  from: Date;
  to: Date;
  /** More records than `records` fell in the period (the list was cut). */
  truncated?: boolean;
  /** Where each message links to (CONSOLE_BASE_URL). */
  consoleBaseUrl: string;
  staff?: StaffOptions;
}

/**
 * Every value the digest shows goes in as a placeholder, filled in escaped after the MJML compile:
 * the layout varies with the day's conversations, so it is compiled per digest (once a day).
 */
class Placeholders {
  readonly values: Record<string, string> = {};
  put(value: string): string {
    const name = `v${Object.keys(this.values).length}`;
    this.values[name] = value;
    return `{{${name}}}`;
  }
}

interface MessageLine {
  time: string;
  text: string;
  done: string;
  failures: string;
  link: string;
}

function describe(group: ConversationDigest, format: StaffFormat, consoleBaseUrl: string) {
  const { labels } = format;
  const customer = group.customer;
  const who = customer === undefined ? labels.unknownCustomer : customer.name.trim() === '' ? customer.id : `${customer.name} (${customer.id})`;
  const counts = [labels.messages(group.messages.length), ...(group.failed > 0 ? [labels.failures(group.failed)] : [])];
  const lines: MessageLine[] = group.messages.map((m) => ({
    time: format.dateTime(arrivedAt(m)),
    text: m.text ?? '',
    done: STAGES.filter((s) => m.stages[s] !== undefined).map((s) => labels.stageNames[s]).join(', ') || labels.none,
    failures: m.failures.map((f) => `${f.function} ${f.code}`).join(', '),
    link: interactionUrl(consoleBaseUrl, m.id),
  }));
  return { group, heading: [who, ...(group.channelId === undefined ? [] : [channelName(group.channelId)])].join(' · '), counts: counts.join(' · '), lines };
}

/** The daily summary for staff: the period's messages grouped by conversation, with counts and failures. */
export async function renderDigestEmail(input: DigestEmailInput): Promise<RenderedEmail> {
  const format = staffFormat(input.staff);
  const { labels } = format;
  const groups = groupByConversation(input.records);
  const described = groups.map((g) => describe(g, format, input.consoleBaseUrl));
  const messages = input.records.length;
  const failed = groups.reduce((sum, g) => sum + g.failed, 0);
  const truncated = input.truncated ?? false;
  const subject = headerSafe(labels.digestSubject(format.day(input.to), groups.length, messages, failed, truncated));
  const period = labels.digestPeriod(format.dateTime(input.from), format.dateTime(input.to));
  const summary = labels.digestSummary(groups.length, messages, failed);

  const text = [
    labels.digestTitle,
    period,
    summary,
    ...(truncated ? [labels.digestTruncated(messages)] : []),
    ...(groups.length === 0 ? ['', labels.digestEmpty] : []),
    ...described.flatMap((c) => [
      '',
      `${c.heading} · ${c.counts}`,
      `  ${labels.conversation}: ${c.group.conversationId}`,
      ...c.lines.flatMap((l) => [
        `  - ${l.time}: ${l.text}`,
        `    ${labels.stagesDone}: ${l.done}${l.failures === '' ? '' : ` · ${l.failures}`}`,
        `    ${l.link}`,
      ]),
    ]),
  ].join('\n');

  const p = new Placeholders();
  const l = escapeHtml;
  const conversationSections = described.map((c) => {
    const rows = c.lines.map(
      (line) =>
        `<tr style="border-top:1px solid ${C.rule}">` +
        `<td valign="top" width="38%" style="padding:8px 12px 8px 0;font-size:13px"><a href="${p.put(line.link)}" style="color:${C.accent}">${p.put(line.time)}</a></td>` +
        `<td valign="top" style="padding:8px 0;word-break:break-word"><div style="white-space:pre-wrap">${p.put(line.text)}</div>` +
        `<div style="font-size:12px;color:${C.muted}">${l(labels.stagesDone)}: ${p.put(line.done)}</div>` +
        (line.failures === '' ? '' : `<div style="font-size:12px;color:${C.failure};font-weight:600">${p.put(line.failures)}</div>`) +
        `</td></tr>`,
    );
    return `<mj-section background-color="#ffffff" padding="16px 24px" border-top="8px solid ${C.page}">
      <mj-column>
        <mj-text font-size="16px" font-weight="600">${p.put(c.heading)}</mj-text>
        <mj-text font-size="13px" color="${c.group.failed > 0 ? C.failure : C.muted}">${p.put(c.counts)} · ${l(labels.conversation)} ${p.put(c.group.conversationId)}</mj-text>
        <mj-table font-size="14px" color="${C.text}">${rows.join('')}</mj-table>
      </mj-column>
    </mj-section>`;
  });
  const notes = [...(truncated ? [labels.digestTruncated(messages)] : []), ...(groups.length === 0 ? [labels.digestEmpty] : [])];
  const source = staffEmailMjml({
    lang: l(labels.tag),
    title: p.put(subject),
    preview: p.put(summary),
    heading: l(labels.digestTitle),
    headerLines: `
        <mj-text color="${C.onBrandMuted}" font-size="13px">${p.put(period)}</mj-text>
        <mj-text color="#ffffff" font-size="15px">${p.put(summary)}</mj-text>`,
    sections: `
    ${notes.map((n) => `<mj-section background-color="#ffffff" padding="12px 24px"><mj-column><mj-text color="${C.muted}">${p.put(n)}</mj-text></mj-column></mj-section>`).join('\n')}
    ${conversationSections.join('\n')}`,
    footer: l(labels.footer),
  });
  const template = await compileTemplate(source);
  return { subject, text, html: template.fill(p.values) };
}
