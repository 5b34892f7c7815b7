import { escapeHtml } from './html.js';
import type { StaffLabels } from './staff-locale.js';
import { EMAIL_COLORS as C, staffEmailMjml } from './email-style.js';

/**
 * The staff transcript email's layout in MJML, with the staff's labels written in and every value a
 * placeholder (filled in, escaped, by mjml-template.ts): subject, preview, transcript, audioUrl,
 * interactionUrl, audioNote, linkValid, customer, channel, language, received, conversation, eventId,
 * and with `withNotice` the notice shown first (the customer must be answered another way).
 * Two columns of buttons stack on a phone.
 */
export function transcriptEmailMjml(labels: StaffLabels, withNotice = false): string {
  const l = (text: string) => escapeHtml(text);
  const row = (label: string, placeholder: string) =>
    `<tr><th align="left" valign="top" style="padding:6px 12px 6px 0;color:${C.muted};font-weight:600;white-space:nowrap">${l(label)}</th>` +
    `<td style="padding:6px 0;word-break:break-word">{{${placeholder}}}</td></tr>`;
  return staffEmailMjml({
    lang: l(labels.tag),
    title: '{{subject}}',
    preview: '{{preview}}',
    heading: l(labels.newMessage),
    sections: `${
      withNotice
        ? `
    <mj-section background-color="${C.noticeBackground}" padding="12px 24px" border-left="6px solid ${C.failure}">
      <mj-column>
        <mj-text color="${C.failure}" font-size="15px"><strong>${l(labels.important)}:</strong> {{notice}}</mj-text>
      </mj-column>
    </mj-section>`
        : ''
    }
    <mj-section background-color="#ffffff" padding="24px 24px 8px">
      <mj-column>
        <mj-text color="${C.muted}" font-size="13px" font-weight="600">${l(labels.transcript)}</mj-text>
        <mj-text font-size="18px" line-height="1.6"><div style="white-space:pre-wrap;word-break:break-word;border-left:4px solid ${C.accent};padding:4px 0 4px 14px">{{transcript}}</div></mj-text>
      </mj-column>
    </mj-section>
    <mj-section background-color="#ffffff" padding="8px 16px 0">
      <mj-column>
        <mj-button href="{{audioUrl}}">${l(labels.play)}</mj-button>
      </mj-column>
      <mj-column>
        <mj-button href="{{interactionUrl}}" background-color="#ffffff" color="${C.brand}" border="1px solid ${C.brand}">${l(labels.openConsole)}</mj-button>
      </mj-column>
    </mj-section>
    <mj-section background-color="#ffffff" padding="0 24px 8px">
      <mj-column>
        <mj-text color="${C.muted}" font-size="13px">{{audioNote}} {{linkValid}}</mj-text>
      </mj-column>
    </mj-section>
    <mj-section background-color="#ffffff" padding="0 24px 24px">
      <mj-column>
        <mj-divider border-color="${C.rule}" border-width="1px" padding="8px 0" />
        <mj-table font-size="14px" color="${C.text}">
          ${row(labels.customer, 'customer')}
          ${row(labels.channel, 'channel')}
          ${row(labels.language, 'language')}
          ${row(labels.received, 'received')}
          ${row(labels.conversation, 'conversation')}
          ${row(labels.eventId, 'eventId')}
        </mj-table>
      </mj-column>
    </mj-section>`,
    footer: l(labels.footer),
  });
}
