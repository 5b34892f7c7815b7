import { ESLint, type Linter } from 'eslint';
import path from 'node:path';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

// The boundary rules of the repository's own eslint.config.js (without the type-aware rules, which
// need a program), on snippets linted as if they were files at the given paths.
const CONFIG: string = '../../../eslint.config.js';
const { boundaryRules } = (await import(CONFIG)) as { boundaryRules: Linter.Config[] };
const eslint = new ESLint({
  cwd: path.resolve(import.meta.dirname, '../../..'),
  overrideConfigFile: true,
  overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, ...boundaryRules],
});

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.resolve(import.meta.dirname, '../../..', filePath) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('the architecture boundaries (eslint.config.js)', () => {
  it('only functions/azure/ imports @azure/functions', async () => {
    const code = "import { app } from '@azure/functions';\nexport const x = app;\n";
    expect(await restricted('functions/mail.ts', code)).toEqual([expect.stringContaining('Only functions/azure/ imports @azure/functions')]);
    expect(await restricted('local/host.ts', code)).toHaveLength(1);
    expect(await restricted('adapters/mail/outbox-mailer.ts', code)).toHaveLength(1);
    expect(await restricted('functions/azure/register.ts', code)).toEqual([]);
  });

  it.each([
    "import { ServiceBusClient } from '@azure/service-bus';",
    "import sgMail from '@sendgrid/mail';",
    "import { CloudAdapter } from 'botbuilder';",
    "import { AuthenticationError } from 'botframework-connector';",
    "import Database from 'better-sqlite3';",
    "import * as sdk from 'microsoft-cognitiveservices-speech-sdk';",
  ])('only adapters/ and bot/ import a vendor SDK: %s', async (line) => {
    const code = `${line}\nexport const used = [${line.match(/import (?:\* as )?\{? ?(\w+)/)?.[1] ?? ''}];\n`;
    expect(await restricted('functions/reply.ts', code)).toEqual([expect.stringContaining('Only adapters/ and bot/ import vendor SDKs')]);
    expect(await restricted('local/http-app.ts', code)).toHaveLength(1);
    expect(await restricted('core/email.ts', code)).toHaveLength(1);
    expect(await restricted('adapters/bus/sqlite-event-bus.ts', code)).toEqual([]);
    expect(await restricted('bot/talkback-bot.ts', code)).toEqual([]);
  });

  it('core/ imports nothing from bot/, functions/, adapters/ or local/', async () => {
    for (const from of ['../bot/talkback-bot.js', '../functions/mail.js', '../adapters/ports.js', '../local/host.js']) {
      const code = `import * as m from '${from}';\nexport const used = m;\n`;
      expect(await restricted('core/record.ts', code), from).toEqual([expect.stringContaining('core/ is the domain')]);
      expect(await restricted('functions/log.ts', code.replace('../local/host.js', '../core/record.js')), from).toEqual([]);
    }
    expect(await restricted('core/record.ts', "import { escapeHtml } from './html.js';\nexport const used = escapeHtml;\n")).toEqual([]);
  });
});
