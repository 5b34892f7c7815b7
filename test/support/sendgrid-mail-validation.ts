/** One entry of SendGrid's error body `{ errors: [{ message, field, help }] }` (help is always null here). */
export interface SendGridProblem {
  message: string;
  field: string | null;
}

/** The checks SendGrid makes on a mail without a template, with its wording and field paths. */
export function validateMail(mail: Record<string, unknown>): SendGridProblem[] {
  const errors: SendGridProblem[] = [];
  const from = mail['from'] as { email?: unknown } | undefined;
  if (typeof from !== 'object' || from === null) {
    errors.push({ field: 'from', message: 'The from object must be provided for every email send. It is an object that requires the email parameter, but may also contain a name parameter.' });
  } else if (!isEmail(from.email)) {
    errors.push({ field: 'from.email', message: 'The from email does not contain a valid address.' });
  }

  const personalizations = mail['personalizations'];
  if (!Array.isArray(personalizations) || personalizations.length === 0) {
    errors.push({ field: 'personalizations', message: 'The personalizations field is required and must have at least one personalization.' });
  } else {
    personalizations.forEach((p: { to?: unknown }, i) => {
      if (!Array.isArray(p?.to) || p.to.length === 0) {
        errors.push({ field: `personalizations.${i}.to`, message: 'The to array is required for all personalization objects, and must have at least one email object with a valid email address.' });
        return;
      }
      const seen = new Set<string>();
      p.to.forEach((to: { email?: unknown }, j) => {
        if (!isEmail(to?.email)) {
          errors.push({ field: `personalizations.${i}.to.${j}.email`, message: 'Does not contain a valid address.' });
        } else if (seen.has(to.email.toLowerCase())) {
          errors.push({ field: `personalizations.${i}`, message: `Each email address in the personalization block should be unique between to, cc, and bcc. We found the first duplicate instance of [${to.email}] in the personalizations.${i}.to field.` });
        } else {
          seen.add(to.email.toLowerCase());
        }
      });
    });
  }

  if (typeof mail['subject'] !== 'string' || mail['subject'] === '') {
    errors.push({ field: 'subject', message: 'The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined.' });
  }

  const content = mail['content'];
  if (!Array.isArray(content) || content.length === 0) {
    errors.push({ field: 'content', message: 'Unless a valid template_id is provided, the content parameter is required. There must be at least one defined content block. We typically suggest both text/plain and text/html blocks are included, but only one block is required.' });
  } else {
    content.forEach((c: { type?: unknown; value?: unknown }, i) => {
      if (typeof c?.value !== 'string' || c.value === '') {
        errors.push({ field: `content.${i}.value`, message: 'The content value must be a string at least one character in length.' });
      }
    });
    const types = content.map((c: { type?: unknown }) => c?.type);
    const plain = types.indexOf('text/plain');
    const html = types.indexOf('text/html');
    if ((plain !== -1 && plain !== 0) || (html !== -1 && html !== (plain === -1 ? 0 : 1))) {
      errors.push({ field: 'content', message: 'If present, text/plain must be first, followed by text/html, followed by any other content.' });
    }
  }

  const attachments = mail['attachments'];
  if (attachments !== undefined) {
    (Array.isArray(attachments) ? attachments : [undefined]).forEach((a: { content?: unknown; filename?: unknown } | undefined, i) => {
      if (typeof a?.content !== 'string' || a.content === '') {
        errors.push({ field: `attachments.${i}.content`, message: 'The attachment content is required.' });
      } else if (!/^[A-Za-z0-9+/]*={0,2}$/.test(a.content) || a.content.length % 4 !== 0) {
        errors.push({ field: `attachments.${i}.content`, message: 'The attachment content must be base64 encoded.' });
      }
      if (typeof a?.filename !== 'string' || a.filename === '') {
        errors.push({ field: `attachments.${i}.filename`, message: 'The attachment filename parameter is required.' });
      }
    });
  }

  const customArgs = mail['custom_args'];
  if (customArgs !== undefined) {
    for (const [key, value] of Object.entries(customArgs as Record<string, unknown>)) {
      if (typeof value !== 'string') {
        errors.push({ field: `custom_args.${key}`, message: 'Invalid type. Expected: string.' });
      }
    }
  }
  return errors;
}

function isEmail(value: unknown): value is string {
  return typeof value === 'string' && /^[^\s@<>]+@[^\s@<>]+$/.test(value);
}
