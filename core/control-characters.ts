/**
 * C0 and C1 control characters except tab, line feed and carriage return, plus the invisible format
 * characters that only steer rendering (zero-width spaces and joiners, bidi overrides, BOM). A
 * message made only of these says nothing: it must fail the empty check, not reach speech.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/gu;

export function stripControlCharacters(text: string): string {
  return text.replace(INVISIBLE, '');
}

/** True when the value has any control character at all (ids: none is ever legitimate). */
export function hasControlCharacters(value: string): boolean {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return /[\u0000-\u001f\u007f-\u009f]/u.test(value);
}
