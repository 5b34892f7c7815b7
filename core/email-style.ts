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
