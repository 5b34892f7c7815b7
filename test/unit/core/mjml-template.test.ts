import { describe, expect, it } from 'vitest';
import { compileMjml, compileTemplate, mjmlTemplate } from '../../../core/mjml-template.js';

const SOURCE = '<mjml><mj-body><mj-section><mj-column><mj-text>{{greeting}}</mj-text><mj-button href="{{link}}">Go</mj-button></mj-column></mj-section></mj-body></mjml>';

describe('MJML templates', () => {
  it('compiles to HTML and fills every placeholder, escaped, in text and attributes', async () => {
    const template = await compileTemplate(SOURCE);
    const html = template.fill({ greeting: '<b>hi</b> & "you"', link: 'https://x.example/?a=1&b="2"' });
    expect(html).toContain('&lt;b&gt;hi&lt;/b&gt; &amp; &quot;you&quot;');
    expect(html).toContain('href="https://x.example/?a=1&amp;b=&quot;2&quot;"');
    expect(html).not.toContain('<mj-');
  });

  it('refuses a missing value instead of sending a placeholder', async () => {
    const template = await compileTemplate(SOURCE);
    expect(() => template.fill({ greeting: 'hi' })).toThrow(/no value for \{\{link\}\}/);
  });

  it('rejects invalid MJML (strict validation)', async () => {
    await expect(compileMjml('<mjml><mj-body><mj-text>text outside a column</mj-text></mj-body></mjml>')).rejects.toThrow(/MJML template/);
  });

  it('compiles a template once per key', async () => {
    let built = 0;
    const source = () => {
      built += 1;
      return SOURCE;
    };
    const [a, b] = await Promise.all([mjmlTemplate('test-once', source), mjmlTemplate('test-once', source)]);
    expect(a).toBe(b);
    expect(built).toBe(1);
  });
});
