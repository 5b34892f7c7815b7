import { describe, expect, it } from 'vitest';
import { compileMjmlHere } from '../../../core/mjml-template.js';
import { compileMjmlOnThread } from '../../../local/mjml-compile-thread.js';

const SOURCE = '<mjml><mj-body><mj-section><mj-column><mj-text>{{greeting}}</mj-text></mj-column></mj-section></mj-body></mjml>';

describe('compileMjmlOnThread', () => {
  it('compiles on a passing thread to the same HTML as in this thread', async () => {
    const [there, here] = await Promise.all([compileMjmlOnThread(SOURCE), compileMjmlHere(SOURCE)]);
    expect(there).toBe(here);
    expect(there).toContain('{{greeting}}');
    expect(there).not.toContain('<mj-');
  });

  it('passes on a template error, and compiles the next source after it', async () => {
    const invalid = compileMjmlOnThread('<mjml><mj-body><mj-text>text outside a column</mj-text></mj-body></mjml>');
    const next = compileMjmlOnThread(SOURCE);
    await expect(invalid).rejects.toThrow(/MJML template/);
    await expect(next).resolves.toContain('{{greeting}}');
  });
});
