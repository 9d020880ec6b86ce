import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appIdPlaceholder, buildTeamsPackage, teamsPackageFiles } from '../../scripts/package-teams.js';
import { teamsManifestSchema } from './teams-manifest-schema.js';
import { unzipSync } from 'fflate';
import { readZip } from './zip-reader.js';

const root = new URL('../../', import.meta.url);
const committed = (name: string) => readFileSync(new URL(`manifest/teams/${name}`, root));
const appId = '3f2b9a3e-1c4d-4e5f-9a8b-7c6d5e4f3a2b';
const tmp = mkdtempSync(join(tmpdir(), 'costbridge-teams-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('buildTeamsPackage', () => {
  it('zips exactly manifest.json and the two icons, with the app id and host filled in', () => {
    const entries = readZip(buildTeamsPackage({ appId, host: 'costbridge.corp.example' }));
    expect(entries.map((e) => e.name)).toEqual(['manifest.json', 'color.png', 'outline.png']);
    expect(teamsPackageFiles).toEqual(['manifest.json', 'color.png', 'outline.png']);
    expect(entries[1]!.data.equals(committed('color.png'))).toBe(true);
    expect(entries[2]!.data.equals(committed('outline.png'))).toBe(true);

    const text = entries[0]!.data.toString('utf8');
    expect(text).not.toContain(appIdPlaceholder);
    expect(text).not.toContain('YOUR-HOST');
    const manifest = teamsManifestSchema.parse(JSON.parse(text));
    expect(manifest.id).toBe(appId);
    expect(manifest.bots?.[0]?.botId).toBe(appId);
    expect(manifest.validDomains).toEqual(['costbridge.corp.example']);
    expect(manifest.developer.websiteUrl).toBe('https://costbridge.corp.example/');

    // Everything else is the committed manifest, untouched.
    const template = JSON.parse(committed('manifest.json').toString('utf8'));
    expect({ ...manifest, id: undefined, bots: undefined, validDomains: undefined, developer: undefined }).toEqual({
      ...template,
      id: undefined,
      bots: undefined,
      validDomains: undefined,
      developer: undefined,
    });
    expect(manifest.bots?.[0]?.commandLists).toEqual(template.bots[0].commandLists);
  });

  it('is a well-formed, compressed, reproducible archive: an independent reader, the library and Info-ZIP agree', () => {
    const zip = buildTeamsPackage({ appId, host: 'costbridge.corp.example' });
    expect(buildTeamsPackage({ appId, host: 'costbridge.corp.example' }).equals(zip)).toBe(true);
    const entries = readZip(zip);
    expect(entries[0]!.method).toBe(8);
    const viaLibrary = unzipSync(zip);
    expect(Object.keys(viaLibrary)).toEqual(['manifest.json', 'color.png', 'outline.png']);
    for (const e of entries) expect(Buffer.from(viaLibrary[e.name]!).equals(e.data)).toBe(true);
    let hasUnzip = true;
    try {
      execFileSync('unzip', ['-v'], { stdio: 'ignore' });
    } catch {
      hasUnzip = false;
    }
    // A third opinion where Info-ZIP is installed (it is on the project's CI image).
    if (hasUnzip) {
      const file = join(tmp, 'check.zip');
      writeFileSync(file, zip);
      expect(execFileSync('unzip', ['-t', file], { encoding: 'utf8' })).toContain('No errors detected');
    }
  });

  it('takes explicit developer pages and then needs no host (the placeholder domain is dropped)', () => {
    const entries = readZip(
      buildTeamsPackage({
        appId,
        websiteUrl: 'https://intranet.example/finops',
        privacyUrl: 'https://intranet.example/privacy',
        termsUrl: 'https://intranet.example/terms',
      }),
    );
    const manifest = teamsManifestSchema.parse(JSON.parse(entries[0]!.data.toString('utf8')));
    expect(manifest.validDomains).toEqual([]);
    expect(manifest.developer).toMatchObject({
      websiteUrl: 'https://intranet.example/finops',
      privacyUrl: 'https://intranet.example/privacy',
      termsOfUseUrl: 'https://intranet.example/terms',
    });
  });

  it.each([
    ['no app id', { appId: undefined }, /No Microsoft App ID/],
    ['the placeholder app id', { appId: appIdPlaceholder }, /Refusing to package the placeholder app id/],
    ['a non-GUID app id', { appId: 'my-bot' }, /must be a GUID, got "my-bot"/],
    ['a host with a path', { appId, host: 'bot.example.com/api' }, /--host must be a host name/],
    ['an http developer page', { appId, host: 'h.example', privacyUrl: 'http://h.example/p' }, /--privacy-url must be an https/],
    ['a placeholder left in the developer links', { appId }, /still contains YOUR-HOST/],
  ] as const)('refuses %s', (_what, options, message) => {
    expect(() => buildTeamsPackage(options)).toThrow(message);
  });
});

describe('npm run package:teams', () => {
  const script = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')).scripts['package:teams'] as string;
  const run = (args: string[], env: Record<string, string | undefined>) => {
    const [cmd, ...rest] = script.split(' ');
    const childEnv = { ...process.env, ...env };
    if (env.MICROSOFT_APP_ID === undefined) delete childEnv.MICROSOFT_APP_ID;
    return spawnSync(cmd!, [...rest, ...args], { cwd: new URL('.', root).pathname, env: childEnv, encoding: 'utf8' });
  };

  it('writes the zip from MICROSOFT_APP_ID', () => {
    const out = join(tmp, 'env', 'costbridge-teams.zip');
    const result = run(['--host', 'bot.example.com', '--out', out], { MICROSOFT_APP_ID: appId });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const manifest = JSON.parse(readZip(readFileSync(out))[0]!.data.toString('utf8'));
    expect(manifest.id).toBe(appId);
  });

  it('prefers --app-id over the environment', () => {
    const out = join(tmp, 'flag.zip');
    const other = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
    const result = run(['--app-id', other, '--host', 'bot.example.com', '--out', out], { MICROSOFT_APP_ID: appId });
    expect(result.status).toBe(0);
    expect(JSON.parse(readZip(readFileSync(out))[0]!.data.toString('utf8')).id).toBe(other);
  });

  it('exits 1 without writing anything when only the placeholder id is available', () => {
    const out = join(tmp, 'placeholder.zip');
    const result = run(['--app-id', appIdPlaceholder, '--host', 'bot.example.com', '--out', out], { MICROSOFT_APP_ID: undefined });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Refusing to package the placeholder app id');
    expect(existsSync(out)).toBe(false);
  });

  it('exits 2 with usage on an unknown flag', () => {
    const result = run(['--appid', appId], {});
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('usage: npm run package:teams');
  });
});
