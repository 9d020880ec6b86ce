import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('bin/costbridge.js runs the compiled dist/, rebuilt when src/ is newer', () => {
  let copy: string;
  const run = (...args: string[]) => {
    const r = spawnSync(process.execPath, [join(copy, 'bin/costbridge.js'), ...args], { cwd: copy, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const stamp = () => JSON.parse(readFileSync(join(copy, 'dist/.build-stamp'), 'utf8')) as { sourcesMtimeMs: number };
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

  // A checkout of its own (sharing node_modules), so building there never disturbs this one's dist/.
  beforeAll(() => {
    copy = mkdtempSync(join(tmpdir(), 'costbridge-dist-'));
    for (const item of ['package.json', 'bin', 'scripts', 'src']) cpSync(join(root, item), join(copy, item), { recursive: true });
    symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
  });
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  const description = 'The bridge between FinOps and ITFM: cost data in, shared decisions out.';

  it('builds a missing dist/, saying so in one line, then runs it', () => {
    const first = run('--help');
    expect(first.stderr).toBe('costbridge: dist/ has not been built; building it now (npm run build)\n');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(description);
    expect(existsSync(join(copy, 'dist/cli.js'))).toBe(true);
    expect(existsSync(join(copy, 'dist/store/database.js'))).toBe(true);
    const second = run('--help');
    expect([second.code, second.stderr]).toEqual([0, '']);
    expect(second.stdout).toContain(description);
  });

  it('answers --version from package.json, without loading the compiled code', () => {
    expect(run('--version')).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    expect(run('-V')).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('runs dist/, not src/: a source change runs only after the rebuild it triggers', () => {
    const cli = join(copy, 'src/cli.ts');
    writeFileSync(cli, readFileSync(cli, 'utf8').replace(description, 'changed in src'));
    // With the stamp claiming the sources are older, the old compiled code runs.
    const saved = readFileSync(join(copy, 'dist/.build-stamp'), 'utf8');
    writeFileSync(join(copy, 'dist/.build-stamp'), JSON.stringify({ ...stamp(), sourcesMtimeMs: Date.now() + 60_000 }));
    expect(run('--help').stdout).toContain(description);
    writeFileSync(join(copy, 'dist/.build-stamp'), saved);
    const stale = run('--help');
    expect(stale.stderr).toBe('costbridge: src/ changed since dist/ was built; rebuilding it now (npm run build)\n');
    expect(stale.stdout).toContain('changed in src');
    expect(run('--help').stderr).toBe('');
  });

  it('carries no TypeScript loader: bin/ never imports tsx', () => {
    expect(readFileSync(join(root, 'bin/costbridge.js'), 'utf8')).not.toContain('tsx');
    expect(readdirTs(join(copy, 'dist'))).toEqual([]);
  });
});

function readdirTs(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.ts'));
}
