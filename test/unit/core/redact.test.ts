import { describe, expect, it } from 'vitest';
import { REDACTED, redactSecrets } from '../../../core/redact.js';

const KEY = 'c2VjcmV0LWtleS0xMjM0NTY3ODkw';
const CONNECTION_STRING = `AccountEndpoint=https://acct.documents.azure.com:443/;AccountKey=${KEY};`;

describe('redactSecrets', () => {
  it('replaces every occurrence of a secret', () => {
    expect(redactSecrets(`bad key ${KEY}, again ${KEY}.`, [KEY])).toBe('bad key [redacted], again [redacted].');
    expect(REDACTED).toBe('[redacted]');
  });

  it('cuts each of several secrets, and leaves text without them untouched', () => {
    const text = `conn ${CONNECTION_STRING} api SG.abcdef end`;
    const cut = redactSecrets(text, [CONNECTION_STRING, 'SG.abcdef']);
    expect(cut).toBe('conn [redacted] api [redacted] end');
    expect(redactSecrets('nothing secret here', [KEY, CONNECTION_STRING])).toBe('nothing secret here');
    expect(redactSecrets(text, [])).toBe(text);
  });

  it('applies secrets in the order given: a key cut first leaves the rest of its connection string', () => {
    expect(redactSecrets(CONNECTION_STRING, [CONNECTION_STRING, KEY])).toBe('[redacted]');
    expect(redactSecrets(CONNECTION_STRING, [KEY, CONNECTION_STRING])).toBe(
      'AccountEndpoint=https://acct.documents.azure.com:443/;AccountKey=[redacted];',
    );
  });

  it('ignores empty and short secrets instead of shredding the text', () => {
    const text = 'Service answered 401: the key was rejected';
    expect(redactSecrets(text, ['', 'a', 'the', '401'])).toBe(text);
    // Four characters is the shortest secret that is cut.
    expect(redactSecrets(text, ['', 'key ', 'was'])).toBe('Service answered 401: the [redacted]was rejected');
  });

  it('cuts back-to-back occurrences and tolerates a secret listed twice (raw and trimmed)', () => {
    const pasted = `${KEY}\n`;
    expect(redactSecrets(`${KEY}${KEY} and ${pasted}`, [pasted, pasted.trim(), KEY])).toBe('[redacted][redacted] and [redacted]');
  });

  it('treats secrets as literal text, not patterns', () => {
    expect(redactSecrets('a.b*c+d$1 and aXbbbcd', ['a.b*c+d$1'])).toBe('[redacted] and aXbbbcd');
  });
});
