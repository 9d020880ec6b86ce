import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../../src/', import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function imports(path: string): { spec: string; typeOnly: boolean }[] {
  const text = readFileSync(path, 'utf8');
  return [...text.matchAll(/^import\s+(type\s+)?[^'"]*?from\s+'([^']+)'/gm)].map((m) => ({ spec: m[2]!, typeOnly: Boolean(m[1]) }));
}

describe('import boundaries of the message model and renderers', () => {
  it('src/messages imports nothing from chat/, store/, app/, cli/ or any platform SDK', () => {
    const bad = files(join(src, 'messages')).flatMap((f) =>
      imports(f)
        .filter(({ spec }) => /(^|\/)(chat|store|app|cli)\//.test(spec) || /^(@slack|botbuilder|botframework|kysely|pg)/.test(spec))
        .map(({ spec }) => `${f}: ${spec}`),
    );
    expect(bad).toEqual([]);
  });

  it('the renderers are pure: no SDK at runtime (Slack types only, as `import type`)', () => {
    const renderers = ['chat/slack/render.ts', 'chat/slack/limits.ts', 'chat/slack/mrkdwn.ts', 'chat/slack/form-values.ts', 'chat/teams/render.ts', 'chat/teams/limits.ts', 'chat/teams/form-values.ts'];
    const bad = renderers.flatMap((r) =>
      imports(join(src, r))
        .filter(({ spec, typeOnly }) => /^(botbuilder|botframework|@slack\/bolt|@slack\/web-api|node:)/.test(spec) || (spec.startsWith('@slack/') && !typeOnly) || (r.startsWith('chat/teams') && spec.startsWith('@slack/')))
        .map(({ spec }) => `${r}: ${spec}`),
    );
    expect(bad).toEqual([]);
  });
});
