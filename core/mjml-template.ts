import { escapeHtml } from './html.js';

/**
 * MJML compiled to HTML once per template and process; the values are filled in afterwards, each one
 * escaped. mjml never sees user text (nothing it parses can be injected), and a staff email costs a
 * string replacement rather than an MJML compile (mjml 5 loads ~600 modules in ~0.5 s and compiles in
 * milliseconds, asynchronously): it is imported on the first compile only, so a function that never
 * renders an email never loads it.
 *
 * In the MJML source a value is a placeholder `{{name}}` (text or attribute); `fill` replaces every
 * placeholder with the escaped value and refuses a missing one.
 */
export interface CompiledTemplate {
  fill(values: Readonly<Record<string, string>>): string;
}

const PLACEHOLDER = /\{\{([A-Za-z][A-Za-z0-9_]*)\}\}/g;

const compiled = new Map<string, Promise<CompiledTemplate>>();

/** Compiles `source()` on the first call for `key` (one per template and locale) and reuses it. */
export function mjmlTemplate(key: string, source: () => string): Promise<CompiledTemplate> {
  let template = compiled.get(key);
  if (!template) {
    template = compileTemplate(source());
    // A failed compile is not cached: the next email tries again.
    void template.catch(() => compiled.delete(key));
    compiled.set(key, template);
  }
  return template;
}

/** Compiles once, without caching (a template whose shape changes with its content, e.g. the digest). */
export async function compileTemplate(source: string): Promise<CompiledTemplate> {
  return toTemplate(await compileMjml(source));
}

/** Turns MJML into HTML: compileMjmlHere, or one that runs it elsewhere (the local host's pipeline uses a passing thread). */
export type MjmlCompiler = (source: string) => Promise<string>;

let compiler: MjmlCompiler = compileMjmlHere;

/**
 * Makes every later compile go through `next`. mjml stays in memory once imported (~600 modules,
 * ~16 MB of a thread's heap): a long-running process that renders few templates can compile them
 * on a thread that ends afterwards, and keep only the HTML.
 */
export function compileMjmlWith(next: MjmlCompiler): void {
  compiler = next;
}

/** MJML → HTML, strictly validated: a template error fails loudly instead of sending a broken email. */
export function compileMjml(source: string): Promise<string> {
  return compiler(source);
}

/** compileMjml in this thread (importing mjml on first use). */
export async function compileMjmlHere(source: string): Promise<string> {
  const { default: mjml2html } = await import('mjml');
  // No web fonts (the templates use the system font stack): nothing is fetched when the email opens.
  const { html, errors } = await mjml2html(source, { validationLevel: 'strict', keepComments: false, fonts: {} }).catch(
    (error: unknown) => {
      throw new Error(`MJML template: ${(error as Error).message.trim()}`);
    },
  );
  if (errors.length > 0) throw new Error(`MJML template: ${errors.map((e) => e.formattedMessage).join('; ')}`);
  if (/<mj-/.test(html)) throw new Error('MJML template: a tag was left unrendered');
  return html;
}

function toTemplate(html: string): CompiledTemplate {
  return {
    fill(values) {
      return html.replace(PLACEHOLDER, (_, name: string) => {
        const value = values[name];
        if (value === undefined) throw new Error(`MJML template: no value for {{${name}}}`);
        return escapeHtml(value);
      });
    },
  };
}
