import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { slackManifestSchema, type SlackManifest } from './slack-manifest-schema.js';

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

function load(path: string): SlackManifest {
  const parsed = slackManifestSchema.safeParse(parse(read(path), { strict: true, uniqueKeys: true }));
  if (!parsed.success) throw new Error(`${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

const minimalBotScopes = ['commands', 'chat:write', 'chat:write.public', 'users:read', 'users:read.email', 'files:write'];
// Events that need no OAuth scope of their own: subscribing to them cannot widen what the bot may read.
const scopeFreeEvents = ['app_home_opened', 'app_uninstalled', 'tokens_revoked'];
const subcommands = ['help', 'unattributed', 'savings', 'variance', 'define', 'subscribe', 'unsubscribe', 'whoami', 'mute', 'cadence'];
const eventsUrl = 'https://YOUR-HOST/slack/events';

const http = load('manifest/slack/manifest.yaml');
const socket = load('manifest/slack/manifest.socket-mode.yaml');

describe.each([
  ['manifest.yaml', http],
  ['manifest.socket-mode.yaml', socket],
] as const)('Slack manifest %s', (_name, manifest) => {
  it('requests exactly the minimal bot scopes and no user scopes', () => {
    const bot = manifest.oauth_config?.scopes?.bot ?? [];
    expect(new Set(bot).size).toBe(bot.length);
    expect([...bot].sort()).toEqual([...minimalBotScopes].sort());
    expect(manifest.oauth_config?.scopes?.user).toBeUndefined();
  });

  it('has an always-online bot user and the /costbridge command with a usage hint naming every subcommand', () => {
    expect(manifest.features?.bot_user).toEqual({ display_name: 'costbridge', always_online: true });
    const commands = manifest.features?.slash_commands ?? [];
    expect(commands.map((c) => c.command)).toEqual(['/costbridge']);
    const hint = commands[0]?.usage_hint ?? '';
    for (const sub of subcommands) expect(hint).toMatch(new RegExp(`(^|\\| )${sub}\\b`));
  });

  it('enables interactivity and subscribes only to scope-free events', () => {
    expect(manifest.settings?.interactivity?.is_enabled).toBe(true);
    const events = manifest.settings?.event_subscriptions?.bot_events ?? [];
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) expect(scopeFreeEvents).toContain(event);
    expect(manifest.settings?.event_subscriptions?.user_events).toBeUndefined();
  });

  it('does not ask for a per-workspace install flow (no redirect URLs, no org-wide deploy)', () => {
    expect(manifest.oauth_config?.redirect_urls).toBeUndefined();
    expect(manifest.settings?.org_deploy_enabled).toBe(false);
  });
});

describe('Slack HTTP manifest', () => {
  it('sends slash commands, interactivity, select options and events to /slack/events', () => {
    expect(http.settings?.socket_mode_enabled).toBe(false);
    expect(http.features?.slash_commands?.[0]?.url).toBe(eventsUrl);
    expect(http.settings?.interactivity?.request_url).toBe(eventsUrl);
    expect(http.settings?.interactivity?.message_menu_options_url).toBe(eventsUrl);
    expect(http.settings?.event_subscriptions?.request_url).toBe(eventsUrl);
  });

  it('points nowhere but https://YOUR-HOST/slack/events', () => {
    const urls = JSON.stringify(http).match(/https?:\/\/[^"]*/g) ?? [];
    expect(urls).toHaveLength(4);
    for (const url of urls) expect(url).toBe(eventsUrl);
  });
});

describe('Slack Socket Mode manifest', () => {
  it('enables Socket Mode and carries no request URL at all', () => {
    expect(socket.settings?.socket_mode_enabled).toBe(true);
    expect(socket.features?.slash_commands?.[0]?.url).toBeUndefined();
    expect(socket.settings?.interactivity?.request_url).toBeUndefined();
    expect(socket.settings?.interactivity?.message_menu_options_url).toBeUndefined();
    expect(socket.settings?.event_subscriptions?.request_url).toBeUndefined();
    expect(JSON.stringify(socket)).not.toMatch(/https?:\/\//);
  });

  it('is the HTTP manifest minus its URLs, so the two cannot drift apart', () => {
    const stripped = structuredClone(http);
    delete stripped.features!.slash_commands![0]!.url;
    delete stripped.settings!.interactivity!.request_url;
    delete stripped.settings!.interactivity!.message_menu_options_url;
    delete stripped.settings!.event_subscriptions!.request_url;
    stripped.settings!.socket_mode_enabled = true;
    expect(socket).toEqual(stripped);
  });
});

describe('the Slack schema used above', () => {
  it('rejects a misspelled key, a command without its slash and a non-URL request URL', () => {
    const base = parse(read('manifest/slack/manifest.yaml')) as Record<string, any>;
    const misspelled = structuredClone(base);
    misspelled.settings.socket_mode = true;
    expect(slackManifestSchema.safeParse(misspelled).success).toBe(false);
    const noSlash = structuredClone(base);
    noSlash.features.slash_commands[0].command = 'costbridge';
    expect(slackManifestSchema.safeParse(noSlash).success).toBe(false);
    const badUrl = structuredClone(base);
    badUrl.settings.interactivity.request_url = 'YOUR-HOST/slack/events';
    expect(slackManifestSchema.safeParse(badUrl).success).toBe(false);
  });
});

describe('docs/connecting-slack.md', () => {
  it('explains every scope and every event the manifests request', () => {
    const doc = read('docs/connecting-slack.md');
    for (const scope of minimalBotScopes) expect(doc).toContain(`\`${scope}\``);
    for (const event of http.settings?.event_subscriptions?.bot_events ?? []) expect(doc).toContain(`\`${event}\``);
  });
});
