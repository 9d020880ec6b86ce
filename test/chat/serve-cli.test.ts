import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { storeKinds, createTestDatabase, type TestDatabase } from '../support/test-stores.js';
import { FakeSlackApi } from '../support/fake-slack-api.js';
import { postSlack, slashCommandBody } from '../support/signed-slack-request.js';
import { botToken, eventually, signingSecret } from './chat-harness.js';

const bin = fileURLToPath(new URL('../../bin/costbridge.js', import.meta.url));

const started: ChildProcess[] = [];

/** `costbridge serve` in a child process, as an operator runs it (stopped after each test, even a failed one). */
function serve(env: Record<string, string>): { child: ChildProcess; stderr: () => string; port: Promise<number>; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [bin, 'serve'], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let err = '';
  const port = new Promise<number>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /listening on port (\d+)/.exec(err);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', () => reject(new Error(`serve exited early:\n${err}`)));
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stderr: () => err, port, exit };
}

afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

describe.each(storeKinds)('costbridge serve on %s', (kind) => {
  let tdb: TestDatabase;
  let slack: FakeSlackApi;
  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    slack = await new FakeSlackApi(botToken).start();
  });
  afterAll(async () => {
    await slack?.stop();
    await tdb?.drop();
  });

  it('says which platforms are on, serves until SIGTERM, finishes in-flight work, and never logs secrets', async () => {
    const run = serve({ ...tdb.env, LOG_LEVEL: 'debug', PORT: '0', SLACK_BOT_TOKEN: botToken, SLACK_SIGNING_SECRET: signingSecret, SLACK_API_URL: slack.apiUrl });
    const port = await run.port;
    const url = `http://127.0.0.1:${port}`;
    expect(run.stderr()).toContain('Slack: on, HTTP endpoint POST /slack/events');
    expect(run.stderr()).toContain('Teams: off (set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD)');
    expect(run.stderr()).toContain('nobody is admin yet; make the first admin with: npx costbridge people add YOUR-EMAIL --role admin --as YOUR-EMAIL');
    expect(run.stderr()).toMatch(/listening on port \d+ of 0\.0\.0\.0/);
    // Slack connects in the background: ready once auth.test answered.
    await eventually(async () => (await fetch(`${url}/readyz`)).status === 200);
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', database: 'ok', slack: { state: 'ok', mode: 'http' }, teams: { state: 'off' }, scheduler: { lastTickOk: true } });
    expect(run.stderr()).toContain('costbridge serve: Slack ready (workspace Fake, T0FAKE)');

    const bad = await postSlack(url, slashCommandBody({ text: 'help', userId: 'U1', channelId: 'C1', triggerId: 'cli-bad' }), { secret: 'wrong' });
    expect(bad.status).toBe(401);
    const ok = await postSlack(url, slashCommandBody({ text: 'help', userId: 'U1', channelId: 'C1', triggerId: 'cli-1' }), { secret: signingSecret });
    expect(ok.status).toBe(200);
    // SIGTERM right after the acknowledgement: the reply is still produced before the process exits.
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
    expect(run.stderr()).toContain('SIGTERM received');
    expect(run.stderr()).toContain('costbridge serve: stopped');
    expect(run.stderr()).not.toContain(botToken);
    expect(run.stderr()).not.toContain(signingSecret);
    expect(run.stderr()).toMatch(/"msg":"costbridge serve stopped"/);

    const store = await tdb.shared();
    const rows = (await sql<{ purpose: string; status: string }>`SELECT purpose, status FROM chat_outbox`.execute(store.db)).rows;
    expect(rows).toEqual([{ purpose: 'command-reply:cli-1', status: expect.stringMatching(/^(sent|pending)$/) }]);
    const sent = slack.callsOf('chat.postEphemeral').filter((c) => c.ok).length;
    expect(sent).toBe(rows[0]!.status === 'sent' ? 1 : 0);
  });

  it('refuses half-configured credentials with a clear error', async () => {
    const run = spawn(process.execPath, [bin, 'serve'], { env: { PATH: process.env.PATH ?? '', ...tdb.env, SLACK_SIGNING_SECRET: 'x' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    run.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => run.on('exit', resolve));
    expect(code).toBe(1);
    expect(err).toContain('SLACK_BOT_TOKEN: required when SLACK_SIGNING_SECRET or SLACK_APP_TOKEN is set');
  });
});
