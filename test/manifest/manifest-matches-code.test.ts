import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { App } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { registerListeners } from '../../src/chat/slack/listeners/index.js';
import type { SlackDeps } from '../../src/chat/slack/slack-deps.js';
import { requiredBotScopes, slackEventScopes, slackMethodScopes } from '../../src/chat/slack/slack-scopes.js';
import { chatCommands } from '../../src/server/commands/index.js';

// The manifests say what the app may do; this test derives the same from the code and requires the
// two to be equal: every scope a called Web API method needs (src/chat/slack/slack-scopes.ts maps
// method -> scope) and no other, every event with a listener and no other, every slash command and
// chat subcommand, in both Slack manifests and the Teams manifest's command list.

const root = fileURLToPath(new URL('../../', import.meta.url));

/** What the code does, as far as the manifests care. */
interface CodeFacts {
  /** Web API methods called in src/chat/slack (`client.chat.postMessage(` ...). */
  readonly methods: readonly string[];
  /** Methods listed in the method -> scope table. */
  readonly tableMethods: readonly string[];
  /** Events with a registered listener, and those the event table lists. */
  readonly events: readonly string[];
  readonly tableEvents: readonly string[];
  readonly slashCommands: readonly string[];
  readonly subcommands: readonly string[];
}

/** What the manifests ask for. */
interface ManifestFacts {
  readonly name: string;
  readonly scopes: readonly string[];
  readonly events: readonly string[];
  readonly slashCommands: readonly string[];
  /** Subcommands the slash command's usage hint (Slack) or the command list (Teams) offers. */
  readonly subcommands: readonly string[];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const path = join(dir, f);
    return statSync(path).isDirectory() ? sourceFiles(path) : f.endsWith('.ts') ? [path] : [];
  });
}

/** Web API methods called in the Slack adapter: `<something>client.<family>.<method>(` or `apiCall('<family>.<method>'`. */
export function calledMethods(sources: readonly string[]): string[] {
  const found = new Set<string>();
  for (const text of sources) {
    for (const m of text.matchAll(/\b\w*[cC]lient\s*\.\s*([a-z]+(?:\.[a-z]+)*)\s*\.\s*([a-zA-Z]+)\s*\(/g)) found.add(`${m[1]}.${m[2]}`);
    for (const m of text.matchAll(/\.apiCall\(\s*['"`]([a-z.A-Z]+)['"`]/g)) found.add(m[1]!);
  }
  return [...found].sort();
}

/** Runs the listeners' registration against a recording stand-in for Bolt's App. */
function registered(): { events: string[]; slashCommands: string[] } {
  const events: string[] = [];
  const slashCommands: string[] = [];
  const recorder = {
    use: () => undefined,
    action: () => undefined,
    view: () => undefined,
    options: () => undefined,
    command: (name: string | RegExp) => void slashCommands.push(String(name)),
    event: (name: string | RegExp) => void events.push(String(name)),
  };
  registerListeners(recorder as unknown as App, {} as SlackDeps);
  return { events: events.sort(), slashCommands: slashCommands.sort() };
}

function codeFacts(): CodeFacts {
  const sources = sourceFiles(join(root, 'src/chat/slack')).map((f) => readFileSync(f, 'utf8'));
  const { events, slashCommands } = registered();
  return {
    methods: calledMethods(sources),
    tableMethods: Object.keys(slackMethodScopes).sort(),
    events,
    tableEvents: Object.keys(slackEventScopes).sort(),
    slashCommands,
    subcommands: chatCommands.map((c) => c.name).sort(),
  };
}

function slackManifest(file: string): ManifestFacts {
  const m = parse(readFileSync(join(root, 'manifest/slack', file), 'utf8')) as Record<string, any>;
  const commands = (m.features?.slash_commands ?? []) as { command: string; usage_hint?: string }[];
  return {
    name: file,
    scopes: [...(m.oauth_config?.scopes?.bot ?? [])].sort(),
    events: [...(m.settings?.event_subscriptions?.bot_events ?? [])].sort(),
    slashCommands: commands.map((c) => c.command).sort(),
    subcommands: commands.flatMap((c) => (c.usage_hint ?? '').split(' | ').map((part) => part.trim().split(/\s+/)[0]!)).filter(Boolean).sort(),
  };
}

function teamsManifest(): ManifestFacts {
  const m = JSON.parse(readFileSync(join(root, 'manifest/teams/manifest.json'), 'utf8')) as Record<string, any>;
  const lists = (m.bots ?? []).flatMap((b: { commandLists?: { commands: { title: string }[] }[] }) => b.commandLists ?? []) as { commands: { title: string }[] }[];
  return { name: 'teams/manifest.json', scopes: [], events: [], slashCommands: [], subcommands: [...new Set(lists.flatMap((l) => l.commands.map((c) => c.title)))].sort() };
}

const diff = (a: readonly string[], b: readonly string[]) => a.filter((x) => !b.includes(x));

/** Every way the code and a manifest disagree, in words; empty when they match. */
function problems(code: CodeFacts, manifests: readonly ManifestFacts[]): string[] {
  const out: string[] = [];
  for (const m of diff(code.methods, code.tableMethods)) out.push(`src/chat/slack calls ${m}, which slack-scopes.ts does not list (add it with the scopes it needs)`);
  for (const m of diff(code.tableMethods, code.methods)) out.push(`slack-scopes.ts lists ${m}, which nothing in src/chat/slack calls`);
  for (const e of diff(code.events, code.tableEvents)) out.push(`a listener handles event ${e}, which slack-scopes.ts does not list`);
  for (const e of diff(code.tableEvents, code.events)) out.push(`slack-scopes.ts lists event ${e}, which no listener handles`);
  const scopes = requiredBotScopes(code.methods, code.events, code.slashCommands);
  for (const m of manifests) {
    const slack = m.name.endsWith('.yaml');
    if (slack) {
      for (const s of diff(scopes, m.scopes)) out.push(`${m.name} lacks bot scope ${s}, which the code needs`);
      for (const s of diff(m.scopes, scopes)) out.push(`${m.name} requests bot scope ${s}, which nothing in the code uses`);
      for (const e of diff(code.events, m.events)) out.push(`${m.name} does not subscribe to ${e}, which a listener handles`);
      for (const e of diff(m.events, code.events)) out.push(`${m.name} subscribes to ${e}, which no listener handles`);
      for (const c of diff(code.slashCommands, m.slashCommands)) out.push(`${m.name} does not declare ${c}, which a listener answers`);
      for (const c of diff(m.slashCommands, code.slashCommands)) out.push(`${m.name} declares ${c}, which no listener answers`);
    }
    for (const c of diff(code.subcommands, m.subcommands)) out.push(`${m.name} does not offer the chat command ${c}`);
    for (const c of diff(m.subcommands, code.subcommands)) out.push(`${m.name} offers ${c}, which is not a chat command`);
  }
  return out;
}

describe('the manifests equal the code', () => {
  const code = codeFacts();
  const manifests = [slackManifest('manifest.yaml'), slackManifest('manifest.socket-mode.yaml'), teamsManifest()];

  it('finds what the code does (so the comparison below compares something)', () => {
    expect(code.methods).toEqual(expect.arrayContaining(['auth.test', 'chat.postMessage', 'chat.update', 'users.info', 'views.open']));
    expect(code.events).toEqual(['app_home_opened', 'app_uninstalled', 'tokens_revoked']);
    expect(code.slashCommands).toEqual(['/costbridge']);
    expect(code.subcommands).toContain('cadence');
    expect(manifests[0]!.scopes.length).toBeGreaterThan(3);
    expect(manifests[2]!.subcommands.length).toBe(code.subcommands.length);
  });

  it('have nothing missing and nothing unused', () => {
    expect(problems(code, manifests)).toEqual([]);
  });

  it('ask exactly the scopes the called methods, events and commands need', () => {
    expect([...manifests[0]!.scopes]).toEqual(requiredBotScopes(code.methods, code.events, code.slashCommands));
    expect(manifests[0]!.scopes).not.toContain('im:write');
  });

  // Mutations on one side only: each must be caught, or the comparison above proves nothing.
  const add = (list: readonly string[], x: string) => [...list, x].sort();
  const drop = (list: readonly string[], x: string) => list.filter((y) => y !== x);
  const onManifest = (i: number, change: (m: ManifestFacts) => ManifestFacts) => manifests.map((m, j) => (j === i ? change(m) : m));
  it.each([
    ['a scope added to a manifest', () => problems(code, onManifest(0, (m) => ({ ...m, scopes: add(m.scopes, 'im:write') }))), 'manifest.yaml requests bot scope im:write'],
    ['a scope removed from a manifest', () => problems(code, onManifest(1, (m) => ({ ...m, scopes: drop(m.scopes, 'files:write') }))), 'manifest.socket-mode.yaml lacks bot scope files:write'],
    ['a Web API method the code starts calling', () => problems({ ...code, methods: add(code.methods, 'conversations.open') }, manifests), 'calls conversations.open, which slack-scopes.ts does not list'],
    ['a method the code stops calling', () => problems({ ...code, methods: drop(code.methods, 'users.info') }, manifests), 'slack-scopes.ts lists users.info, which nothing in src/chat/slack calls'],
    ['an event added to a manifest', () => problems(code, onManifest(0, (m) => ({ ...m, events: add(m.events, 'message.im') }))), 'manifest.yaml subscribes to message.im, which no listener handles'],
    ['an event listener removed', () => problems({ ...code, events: drop(code.events, 'tokens_revoked') }, manifests), 'slack-scopes.ts lists event tokens_revoked, which no listener handles'],
    ['an event removed from a manifest', () => problems(code, onManifest(1, (m) => ({ ...m, events: drop(m.events, 'app_uninstalled') }))), 'manifest.socket-mode.yaml does not subscribe to app_uninstalled'],
    ['a slash command added to a manifest', () => problems(code, onManifest(0, (m) => ({ ...m, slashCommands: add(m.slashCommands, '/finops') }))), 'manifest.yaml declares /finops, which no listener answers'],
    ['a chat command added in code only', () => problems({ ...code, subcommands: add(code.subcommands, 'forecast') }, manifests), 'teams/manifest.json does not offer the chat command forecast'],
    ['a chat command removed from the Teams list', () => problems(code, onManifest(2, (m) => ({ ...m, subcommands: drop(m.subcommands, 'cadence') }))), 'teams/manifest.json does not offer the chat command cadence'],
    ['a subcommand offered in a usage hint only', () => problems(code, onManifest(0, (m) => ({ ...m, subcommands: add(m.subcommands, 'report') }))), 'manifest.yaml offers report, which is not a chat command'],
  ] as const)('catches %s', (_what, run, expected) => {
    expect(run().join('\n')).toContain(expected);
  });

  it('reads method calls the way the adapter writes them', () => {
    expect(calledMethods(["await client.chat.postMessage({})", "const r = await authClient.auth.test();", "client.apiCall('team.info', {})", 'client.admin.apps.approve(x)'])).toEqual(
      ['admin.apps.approve', 'auth.test', 'chat.postMessage', 'team.info'],
    );
  });
});
