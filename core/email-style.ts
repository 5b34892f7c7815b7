/** The look shared by every staff email (MJML attributes and colours): one place to restyle them. */
export const EMAIL_COLORS = {
  page: '#f3f4f6',
  brand: '#1e3a8a',
  onBrandMuted: '#c7d2fe',
  accent: '#2563eb',
  text: '#1f2328',
  muted: '#4b5563',
  rule: '#e5e7eb',
  failure: '#b91c1c',
  noticeBackground: '#fef2f2',
} as const;

/** System fonts only (with Korean ones): nothing is fetched when the email opens. */
const FONTS = "-apple-system, 'Segoe UI', Roboto, 'Apple SD Gothic Neo', 'Malgun Gothic', 'Noto Sans KR', Arial, sans-serif";

export const EMAIL_ATTRIBUTES = `<mj-attributes>
      <mj-all font-family="${FONTS}" />
      <mj-text font-size="15px" line-height="1.5" color="${EMAIL_COLORS.text}" padding="4px 0" />
      <mj-table padding="4px 0" cellpadding="0" cellspacing="0" />
      <mj-button background-color="${EMAIL_COLORS.accent}" border="1px solid ${EMAIL_COLORS.accent}" color="#ffffff" font-size="15px" font-weight="600" border-radius="6px" inner-padding="12px 20px" padding="8px" width="100%" />
    </mj-attributes>`;

/** One staff email's parts, each already MJML-safe (escaped text or template placeholders). */
export interface StaffEmailParts {
  lang: string;
  title: string;
  preview: string;
  heading: string;
  /** More lines under the heading in the header band (mj-text elements). */
  headerLines?: string;
  /** The sections between the header band and the footer. */
  sections: string;
  footer: string;
}

/** The frame every staff email shares: head, the brand header band, the body sections, the footer. */
export function staffEmailMjml(parts: StaffEmailParts): string {
  const C = EMAIL_COLORS;
  return `<mjml lang="${parts.lang}">
  <mj-head>
    <mj-title>${parts.title}</mj-title>
    <mj-preview>${parts.preview}</mj-preview>
    ${EMAIL_ATTRIBUTES}
  </mj-head>
  <mj-body background-color="${C.page}" width="600px">
    <mj-section background-color="${C.brand}" padding="20px 24px">
      <mj-column>
        <mj-text color="${C.onBrandMuted}" font-size="13px" letter-spacing="1px">TALKBACK</mj-text>
        <mj-text color="#ffffff" font-size="22px" font-weight="600">${parts.heading}</mj-text>${parts.headerLines ?? ''}
      </mj-column>
    </mj-section>${parts.sections}
    <mj-section padding="16px 24px">
      <mj-column>
        <mj-text color="${C.muted}" font-size="12px" align="center">${parts.footer}</mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>`;
}
