import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { teamsManifestSchema, type TeamsManifest } from './teams-manifest-schema.js';
import { accentColor } from '../../scripts/make-teams-icons.js';
import { appIdPlaceholder, hostPlaceholder } from '../../scripts/package-teams.js';

const root = new URL('../../', import.meta.url);
const raw = JSON.parse(readFileSync(new URL('manifest/teams/manifest.json', root), 'utf8')) as unknown;
const subcommands = ['help', 'unattributed', 'savings', 'variance', 'define', 'subscribe', 'unsubscribe', 'whoami', 'mute', 'cadence'];

function check(value: unknown): TeamsManifest {
  const parsed = teamsManifestSchema.safeParse(value);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return parsed.data;
}

describe('manifest/teams/manifest.json', () => {
  const manifest = check(raw);

  it('targets manifest schema 1.17 and names its schema URL', () => {
    expect(manifest.manifestVersion).toBe('1.17');
    expect(manifest.$schema).toBe('https://developer.microsoft.com/json-schemas/teams/v1.17/MicrosoftTeams.schema.json');
  });

  it('carries the documented placeholders that package:teams replaces', () => {
    expect(manifest.id).toBe(appIdPlaceholder);
    expect(manifest.bots?.[0]?.botId).toBe(appIdPlaceholder);
    expect(manifest.validDomains).toEqual([hostPlaceholder]);
    expect(manifest.developer.websiteUrl).toContain(hostPlaceholder);
  });

  it('offers one conversational bot in personal, team and group chat scopes', () => {
    expect(manifest.bots).toHaveLength(1);
    const bot = manifest.bots![0]!;
    expect([...bot.scopes].sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(bot.isNotificationOnly).toBe(false);
  });

  it('lists the chat subcommands for every scope the bot is in (Teams allows 10 a list): `home` in the personal chat, every other one in channels and group chats', () => {
    const bot = manifest.bots![0]!;
    const listOf = (scope: string) => {
      const lists = (bot.commandLists ?? []).filter((l) => l.scopes.includes(scope as never));
      expect(lists).toHaveLength(1);
      return lists[0]!.commands.map((c) => c.title);
    };
    expect(bot.scopes).toEqual(['personal', 'team', 'groupChat']);
    expect(listOf('team')).toEqual(subcommands);
    expect(listOf('groupChat')).toEqual(subcommands);
    const personal = listOf('personal');
    expect(personal[0]).toBe('home');
    expect(personal.length).toBe(10);
    expect(personal.slice(1).every((c) => subcommands.includes(c))).toBe(true);
    expect(new Set(personal).size).toBe(personal.length);
  });

  it('points at icon files that exist and uses the icons\' accent colour', () => {
    for (const file of [manifest.icons.color, manifest.icons.outline]) {
      expect(existsSync(new URL(`manifest/teams/${file}`, root))).toBe(true);
    }
    expect(manifest.icons).toEqual({ color: 'color.png', outline: 'outline.png' });
    expect(manifest.accentColor).toBe(accentColor);
  });
});

describe('the Teams schema used above', () => {
  const base = raw as Record<string, any>;
  it.each([
    ['a non-GUID app id', (m: any) => (m.id = '${{MICROSOFT_APP_ID}}')],
    ['a lowercase groupchat scope', (m: any) => (m.bots[0].scopes = ['personal', 'groupchat'])],
    ['an eleventh command', (m: any) => m.bots[0].commandLists[0].commands.push({ title: 'extra', description: 'x' })],
    ['a short name over 30 characters', (m: any) => (m.name.short = 'costbridge costbridge costbridge')],
    ['an unknown top-level key', (m: any) => (m.botsList = [])],
    ['an accent colour without #', (m: any) => (m.accentColor = '0F766E')],
    ['a missing developer privacy URL', (m: any) => delete m.developer.privacyUrl],
  ])('rejects %s', (_what, mutate) => {
    const copy = structuredClone(base);
    mutate(copy);
    expect(teamsManifestSchema.safeParse(copy).success).toBe(false);
  });
});

// Validation against Microsoft's own JSON schema switches on when both the vendored schema file and a
// draft-04 JSON-schema validator are present (see test/fixtures/teams/README.md).
const officialSchemaUrl = new URL('test/fixtures/teams/MicrosoftTeams.schema.json', root);
const validatorModule: string = 'ajv-draft-04';
const AjvDraft04 = existsSync(officialSchemaUrl)
  ? ((await import(validatorModule).catch(() => undefined)) as { default: new (o: object) => any } | undefined)
  : undefined;

describe.skipIf(AjvDraft04 === undefined)('manifest/teams/manifest.json against the official JSON schema', () => {
  it('validates', () => {
    const ajv = new AjvDraft04!.default({ allErrors: true, strict: false });
    const validate = ajv.compile(JSON.parse(readFileSync(officialSchemaUrl, 'utf8')));
    const ok = validate(raw);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });
});
