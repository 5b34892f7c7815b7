/**
 * npm run package:manifest — talkback-teams-app.zip, the Teams app package to upload (Teams admin
 * center, or Apps → Manage your apps → Upload a custom app): manifest.json with its ${{NAME}}
 * placeholders filled from the environment, color.png, outline.png.
 *   MicrosoftAppId  the bot's Entra app id (a GUID): the app id and the botId
 *   BOT_DOMAIN      the Functions app's host name (e.g. talkback.azurewebsites.net): validDomains
 */
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { ZipFile } from 'yazl';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?!-)[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63})+$/i;
const RULES: Record<string, [RegExp, string]> = {
  MicrosoftAppId: [GUID, 'a GUID (the bot registration\'s app id)'],
  BOT_DOMAIN: [DOMAIN, 'a host name without scheme or path'],
};

/** The manifest with every placeholder filled; throws listing every missing or malformed setting. */
export function fillManifest(template: string, settings: Record<string, string | undefined>): string {
  const names = [...new Set([...template.matchAll(/\$\{\{(\w+)\}\}/g)].map((m) => m[1]!))];
  const problems = names.flatMap((name) => {
    const value = settings[name]?.trim();
    const [pattern, what] = RULES[name] ?? [/./, 'set'];
    if (!value) return [`${name} is missing`];
    return pattern.test(value) ? [] : [`${name} must be ${what}, got "${value}"`];
  });
  if (problems.length > 0) throw new Error(`cannot package the Teams app: ${problems.join('; ')}`);
  return template.replace(/\$\{\{(\w+)\}\}/g, (_, name: string) => settings[name]!.trim());
}

export async function packageTeamsApp(settings: Record<string, string | undefined>, outFile: string): Promise<void> {
  const here = (name: string) => new URL(name, import.meta.url);
  const manifest = fillManifest(await readFile(here('manifest.json'), 'utf8'), settings);
  const zip = new ZipFile();
  const mtime = new Date('2020-01-01T00:00:00Z');
  zip.addBuffer(Buffer.from(manifest), 'manifest.json', { mtime });
  for (const icon of ['color.png', 'outline.png']) zip.addBuffer(await readFile(here(icon)), icon, { mtime });
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(outFile));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outFile = fileURLToPath(new URL('../talkback-teams-app.zip', import.meta.url));
  try {
    await packageTeamsApp(process.env, outFile);
    process.stdout.write(`wrote ${outFile}\n`);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
