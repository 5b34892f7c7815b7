export interface EmailCopy {
  subject: string;
  from: string;
  to: string;
  date?: string;
  html?: string;
  text?: string;
  attachments: Array<{ filename: string; contentType: string; bytes: number }>;
}

/** The staff email as the outbox wrote it (.eml), for the journey page's preview. */
export async function readEmailCopy(raw: Buffer): Promise<EmailCopy> {
  // Loaded on the first email shown (~20 MB the intake otherwise never needs).
  const { simpleParser } = await import('mailparser');
  const parsed = await simpleParser(raw, { skipImageLinks: true });
  const addresses = (value: typeof parsed.to) => (Array.isArray(value) ? value.map((v) => v.text).join(', ') : (value?.text ?? ''));
  return {
    subject: parsed.subject ?? '',
    from: parsed.from?.text ?? '',
    to: addresses(parsed.to),
    ...(parsed.date ? { date: parsed.date.toISOString() } : {}),
    ...(typeof parsed.html === 'string' ? { html: parsed.html } : {}),
    ...(parsed.text ? { text: parsed.text } : {}),
    attachments: parsed.attachments.map((a) => ({ filename: a.filename ?? '', contentType: a.contentType, bytes: a.size })),
  };
}

/** The email as a page of its own for the console's preview frame: its HTML, else its text. */
export function emailPreviewHtml(copy: EmailCopy): string {
  if (copy.html !== undefined) return copy.html;
  const text = (copy.text ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<!doctype html><meta charset="utf-8"><pre style="white-space:pre-wrap">${text}</pre>`;
}
