// Builds the Microsoft Teams app package (manifest.json + color.png + outline.png in one zip) that
// you upload in the Teams Developer Portal or Teams admin center:
//   npm run package:teams -- [--app-id GUID] [--host HOST] [--website-url URL] [--privacy-url URL]
//                            [--terms-url URL] [--out FILE]
// The app id comes from --app-id, else MICROSOFT_APP_ID; the placeholder id is refused.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { zipSync } from 'fflate';
import { CostbridgeError } from '../src/domain/costbridge-error.js';

/** The app id committed in manifest/teams/manifest.json; a package must never carry it. */
export const appIdPlaceholder = '00000000-0000-0000-0000-000000000000';
/** The host placeholder committed in the manifest's developer URLs and validDomains. */
export const hostPlaceholder = 'YOUR-HOST';
/** Where the committed manifest and icons live. */
export const teamsManifestDir = resolve(dirname(fileURLToPath(import.meta.url)), '../manifest/teams');
/** The files a Teams app package holds, in archive order. */
export const teamsPackageFiles = ['manifest.json', 'color.png', 'outline.png'] as const;

/** What varies per deployment: the bot's Microsoft App ID and, optionally, its public host and developer pages. */
export interface TeamsPackageOptions {
  readonly appId: string | undefined;
  readonly host?: string | undefined;
  readonly websiteUrl?: string | undefined;
  readonly privacyUrl?: string | undefined;
  readonly termsUrl?: string | undefined;
  readonly manifestDir?: string;
}

const guid = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
const hostName = /^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*(:\d{1,5})?$/;

/** Fills the committed manifest template in for one deployment; throws INPUT_INVALID naming the bad option. */
export function fillTeamsManifest(template: Record<string, unknown>, options: TeamsPackageOptions): Record<string, unknown> {
  const appId = options.appId?.trim();
  if (!appId) {
    throw new CostbridgeError('INPUT_INVALID', 'No Microsoft App ID: pass --app-id GUID or set MICROSOFT_APP_ID.', [
      'It is the Application (client) ID of the Azure Bot registration costbridge answers as.',
    ]);
  }
  if (!guid.test(appId)) throw new CostbridgeError('INPUT_INVALID', `--app-id / MICROSOFT_APP_ID must be a GUID, got "${appId}".`);
  if (appId === appIdPlaceholder) {
    throw new CostbridgeError('INPUT_INVALID', `Refusing to package the placeholder app id ${appIdPlaceholder}.`, [
      'Pass the Azure Bot registration\'s Application (client) ID with --app-id or MICROSOFT_APP_ID.',
    ]);
  }
  const host = options.host?.trim().replace(/^https?:\/\//, '').replace(/\/+$/, '');
  if (host !== undefined && host !== '' && !hostName.test(host)) {
    throw new CostbridgeError('INPUT_INVALID', `--host must be a host name such as bot.example.com, got "${options.host}".`);
  }
  for (const [flag, url] of [['--website-url', options.websiteUrl], ['--privacy-url', options.privacyUrl], ['--terms-url', options.termsUrl]] as const) {
    if (url !== undefined && !/^https:\/\/[^\s/]+/.test(url)) throw new CostbridgeError('INPUT_INVALID', `${flag} must be an https:// URL, got "${url}".`);
  }

  const manifest = structuredClone(template);
  manifest.id = appId;
  const bots = manifest.bots as { botId: string }[] | undefined;
  for (const bot of bots ?? []) bot.botId = appId;

  const developer = manifest.developer as Record<string, string>;
  const pages = { websiteUrl: options.websiteUrl, privacyUrl: options.privacyUrl, termsOfUseUrl: options.termsUrl };
  for (const [field, url] of Object.entries(pages)) {
    if (url !== undefined) developer[field] = url;
    else if (host) developer[field] = (developer[field] ?? '').replaceAll(hostPlaceholder, host);
  }
  const domains = (manifest.validDomains as string[] | undefined) ?? [];
  // A bot-only app needs no valid domain (Teams reaches the bot through the Azure Bot registration's
  // messaging endpoint), so without --host the placeholder entry is simply dropped.
  manifest.validDomains = domains.flatMap((d) => (d.includes(hostPlaceholder) ? (host ? [d.replaceAll(hostPlaceholder, host)] : []) : [d]));

  const left = JSON.stringify(manifest).includes(hostPlaceholder);
  if (left) {
    throw new CostbridgeError('INPUT_INVALID', `The manifest still contains ${hostPlaceholder} in its developer links.`, [
      'Pass --host HOST (the public host of costbridge serve) or --website-url, --privacy-url and --terms-url.',
    ]);
  }
  return manifest;
}

// Every entry gets this modification time, so the same inputs always give the same bytes.
const fixedMtime = new Date('2026-01-01T00:00:00Z');

/** Builds the app package zip bytes from the committed manifest and icons (fflate, deflate level 9). */
export function buildTeamsPackage(options: TeamsPackageOptions): Buffer {
  const dir = options.manifestDir ?? teamsManifestDir;
  const manifestPath = join(dir, 'manifest.json');
  let template: Record<string, unknown>;
  try {
    template = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new CostbridgeError('INPUT_INVALID', `Cannot read ${manifestPath}: ${(err as Error).message}`);
  }
  const manifest = fillTeamsManifest(template, options);
  const files: Record<string, Uint8Array> = {
    'manifest.json': Buffer.from(JSON.stringify(manifest, null, 2) + '\n', 'utf8'),
    'color.png': readFileSync(join(dir, 'color.png')),
    'outline.png': readFileSync(join(dir, 'outline.png')),
  };
  return Buffer.from(zipSync(Object.fromEntries(teamsPackageFiles.map((name) => [name, [files[name]!, { level: 9, mtime: fixedMtime }]]))));
}

/** The command line: parses flags, builds the package, writes it; returns the exit code. */
export function main(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): number {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        'app-id': { type: 'string' },
        host: { type: 'string' },
        'website-url': { type: 'string' },
        'privacy-url': { type: 'string' },
        'terms-url': { type: 'string' },
        out: { type: 'string', default: 'dist/costbridge-teams.zip' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    console.error(`package:teams: ${(err as Error).message}`);
    console.error('usage: npm run package:teams -- [--app-id GUID] [--host HOST] [--website-url URL] [--privacy-url URL] [--terms-url URL] [--out FILE]');
    return 2;
  }
  try {
    const zip = buildTeamsPackage({
      appId: values['app-id'] ?? env.MICROSOFT_APP_ID,
      host: values.host,
      websiteUrl: values['website-url'],
      privacyUrl: values['privacy-url'],
      termsUrl: values['terms-url'],
    });
    const out = resolve(values.out);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, zip);
    console.log(`wrote ${out} (${teamsPackageFiles.join(', ')}; ${zip.length} bytes)`);
    return 0;
  } catch (err) {
    if (!(err instanceof CostbridgeError)) throw err;
    console.error(`package:teams: ${err.message}`);
    for (const line of err.details) console.error(`  ${line}`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2), process.env);
}
