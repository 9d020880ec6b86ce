import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { storeKinds, createTestDatabase, type TestDatabase } from '../support/test-stores.js';
import { FakeSlackApi } from '../support/fake-slack-api.js';
import { FakeBotConnector } from '../support/fake-bot-connector.js';
import { FakeBotFrameworkIssuer } from '../support/fake-bot-framework-issuer.js';
import { postSlack, slashCommandBody } from '../support/signed-slack-request.js';
import { botToken, eventually, signedTeams, signingSecret } from './chat-harness.js';
import { postTeamsActivity } from './teams-activity.js';

const bin = fileURLToPath(new URL('../../bin/costbridge.js', import.meta.url));

/** `costbridge serve` in its own process group, as an operator runs it. */
function serve(env: Record<string, string>) {
  const child = spawn(process.execPath, [bin, 'serve'], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const port = new Promise<number>((resolve, reject) => {
    child.stderr!.on('data', () => {
      const m = /listening on port (\d+)/.exec(err);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', () => reject(new Error(`serve exited early:\n${err}`)));
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stderr: () => err, port, exit };
}

/** A port nothing listens on (yet). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const json = async (url: string) => {
  const r = await fetch(url);
  return { status: r.status, body: (await r.json()) as Record<string, any> };
};

/** A Teams message to the bot, signed for the channel by the fake issuer. */
async function teamsHelp(url: string, issuer: FakeBotFrameworkIssuer, connector: FakeBotConnector, id: string) {
  const body = {
    type: 'message',
    id,
    text: 'help',
    channelId: 'msteams',
    serviceUrl: connector.serviceUrl,
    timestamp: new Date().toISOString(),
    from: { id: '29:teams-user-ana', name: 'Ana Ito', aadObjectId: 'aad-ana' },
    recipient: { id: '28:costbridge-bot', name: 'costbridge' },
    conversation: { id: '19:finops@thread.tacv2', conversationType: 'channel', tenantId: 'tenant-1' },
  };
  const r = await postTeamsActivity({ server: { url }, issuer }, body);
  expect(r.status).toBe(200);
  await connector.waitFor((calls) => calls.some((c) => c.method === 'POST' && c.status === 200 && c.activityId === id), 15_000);
}

describe.each(storeKinds)('costbridge serve when Slack is not there on %s', (kind) => {
  let tdb: TestDatabase;
  let connector: FakeBotConnector;
  let issuer: FakeBotFrameworkIssuer;
  let teamsEnv: Record<string, string>;
  let certDir: string;
  let slack: FakeSlackApi | undefined;
  let running: ReturnType<typeof serve> | undefined;

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    const teams = signedTeams();
    issuer = await new FakeBotFrameworkIssuer(teams.MICROSOFT_APP_ID!, teams.MICROSOFT_APP_PASSWORD!).start();
    connector = await new FakeBotConnector((auth) => issuer.acceptsAccessToken(auth)).start();
    certDir = await mkdtemp(join(tmpdir(), 'costbridge-issuer-ca-'));
    await writeFile(join(certDir, 'issuer.pem'), issuer.certificate);
    // serve runs in its own process: it trusts the issuer's certificate as an operator's private CA would be.
    teamsEnv = { ...teams, BOTFRAMEWORK_OPENID_METADATA_URL: issuer.openIdMetadataUrl, BOTFRAMEWORK_LOGIN_URL: issuer.loginUrl, NODE_EXTRA_CA_CERTS: join(certDir, 'issuer.pem') };
  });
  afterEach(async () => {
    if (running && running.child.exitCode === null) {
      process.kill(-running.child.pid!, 'SIGTERM');
      await running.exit;
    }
    running = undefined;
    await slack?.stop();
    slack = undefined;
  });
  afterAll(async () => {
    await connector?.stop();
    await issuer?.stop();
    if (certDir) await rm(certDir, { recursive: true, force: true });
    await tdb?.drop();
  });

  it('stays up with the Slack API unreachable: Teams answers, the scheduler ticks, /healthz says slack connecting; Slack works once it comes up, without a restart', async () => {
    const slackPort = await freePort();
    running = serve({ ...tdb.env, LOG_LEVEL: 'info', PORT: '0', SLACK_BOT_TOKEN: botToken, SLACK_SIGNING_SECRET: signingSecret, SLACK_API_URL: `http://127.0.0.1:${slackPort}/api/`, ...teamsEnv });
    const url = `http://127.0.0.1:${await running.port}`;

    await eventually(async () => (await json(`${url}/healthz`)).body.scheduler?.lastTickAt !== null, 15_000);
    const connecting = await json(`${url}/healthz`);
    expect(connecting.status).toBe(200);
    expect(connecting.body).toMatchObject({
      status: 'degraded',
      database: 'ok',
      slack: { state: 'connecting', mode: 'http', reason: expect.stringContaining('cannot reach Slack') },
      teams: { state: 'ok', mode: 'bot-framework' },
      outbox: { pending: expect.any(Number), parked: 0 },
      scheduler: { lastTickOk: true },
    });
    const notReady = await json(`${url}/readyz`);
    expect(notReady.status).toBe(503);
    expect(notReady.body.waitingFor.join(' ')).toContain('slack connecting');
    // Slack's endpoint says so instead of failing a request it cannot serve yet.
    const early = await postSlack(url, slashCommandBody({ text: 'help', userId: 'U1', channelId: 'C1', triggerId: `${kind}-early` }), { secret: signingSecret });
    expect(early.status).toBe(503);

    await teamsHelp(url, issuer, connector, `${kind}-teams-while-slack-down`);
    expect(issuer.tokenRequests.filter((t) => t.granted).length).toBeGreaterThan(0);
    expect((await json(`${url}/healthz`)).body.slack.state).toBe('connecting');
    expect(running.stderr()).toContain('costbridge serve: Slack not reachable yet');
    expect(running.stderr()).not.toMatch(/\n\s+at /);

    slack = await new FakeSlackApi(botToken).start(slackPort);
    await eventually(async () => (await fetch(`${url}/readyz`)).status === 200, 20_000);
    expect((await json(`${url}/healthz`)).body).toMatchObject({ status: 'ok', slack: { state: 'ok', workspace: { id: 'T0FAKE' } } });
    expect(running.stderr()).toContain('costbridge serve: Slack ready (workspace Fake, T0FAKE)');

    const key = `${kind}-after-recovery`;
    const r = await postSlack(url, slashCommandBody({ text: 'help', userId: 'U1', channelId: 'C1', triggerId: key, responseUrl: slack.responseUrl(key) }), { secret: signingSecret });
    expect(r.status).toBe(200);
    const [answer] = await slack.waitForResponses(key);
    expect(answer!.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(JSON.stringify(answer!.body.blocks)).toContain('whoami');

    process.kill(-running.child.pid!, 'SIGTERM');
    expect(await running.exit).toBe(0);
  }, 90_000);

});
