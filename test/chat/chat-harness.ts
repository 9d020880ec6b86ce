import { Writable } from 'node:stream';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { startServer, type RunningServer, type ServerOptions } from '../../src/main/start-server.js';
import type { Store } from '../../src/store/database.js';
import { FakeSlackApi } from '../support/fake-slack-api.js';
import { FakeBotConnector } from '../support/fake-bot-connector.js';
import { FakeBotFrameworkIssuer } from '../support/fake-bot-framework-issuer.js';
import type { TestDatabase } from '../support/test-stores.js';

export const botToken = 'xoxb-1111-2222-test-bot-token';
export const signingSecret = 'test-signing-secret-0123456789abcdef';
const teamsAppPassword = 'test-app-password-0123456789';
let teamsApps = 0;

/**
 * Teams with Bot Framework authentication: the harness serves its keys and login from a local fake
 * issuer. Each call names a new app, since botframework-connector caches app tokens process-wide
 * and each harness's bot should get its own from its own issuer.
 */
export function signedTeams(): Record<string, string> {
  const app = String(++teamsApps).padStart(12, '0');
  return { MICROSOFT_APP_ID: `00000000-0000-4000-8000-${app}`, MICROSOFT_APP_PASSWORD: teamsAppPassword, TEAMS_ALLOWED_TENANT_IDS: 'tenant-1' };
}

/** Log lines captured in memory, parsed. */
export class CapturedLog {
  readonly lines: string[] = [];
  readonly stream = new Writable({
    write: (chunk: Buffer, _enc, done) => {
      this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  get text(): string {
    return this.lines.join('\n');
  }
}

/** A running server wired to local fakes of Slack and the Bot Connector, on a test database. */
export interface ChatHarness {
  readonly config: Config;
  /** The environment the server's configuration was loaded from (fakes' URLs and credentials included). */
  readonly env: Readonly<Record<string, string>>;
  readonly server: RunningServer;
  readonly slack: FakeSlackApi;
  readonly connector: FakeBotConnector;
  /** The Bot Framework token services, when the environment has Teams credentials (MICROSOFT_APP_ID). */
  readonly issuer: FakeBotFrameworkIssuer | undefined;
  readonly store: Store;
  readonly log: CapturedLog;
  close(): Promise<void>;
}

/** Starts fakes and the server as `serve` would, with extra environment (Teams settings...) and options. */
export async function startChatHarness(
  tdb: TestDatabase,
  env: Record<string, string> = {},
  options: ServerOptions = {},
  /** Runs once the fakes are up and before the server starts (e.g. to point Socket Mode at a WebSocket). */
  prepare?: (fakes: { slack: FakeSlackApi; connector: FakeBotConnector }) => void,
): Promise<ChatHarness> {
  const slack = await new FakeSlackApi(botToken).start();
  // With Teams credentials the bot validates activities and gets its own tokens: never from the public cloud.
  const issuer = env.MICROSOFT_APP_ID ? await new FakeBotFrameworkIssuer(env.MICROSOFT_APP_ID, env.MICROSOFT_APP_PASSWORD ?? '').start() : undefined;
  const connector = await new FakeBotConnector(issuer && ((auth) => issuer.acceptsAccessToken(auth))).start();
  prepare?.({ slack, connector });
  const fullEnv: Record<string, string> = {
    ...tdb.env,
    LOG_LEVEL: 'debug',
    PORT: '0',
    SLACK_BOT_TOKEN: botToken,
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_API_URL: slack.apiUrl,
    ...(issuer ? { BOTFRAMEWORK_OPENID_METADATA_URL: issuer.openIdMetadataUrl, BOTFRAMEWORK_LOGIN_URL: issuer.loginUrl } : {}),
    ...env,
  };
  const config = loadConfig(fullEnv);
  const store = await tdb.shared();
  const log = new CapturedLog();
  const logger = createLogger(config, { destination: log.stream as never });
  const server = await startServer(config, store, { host: '127.0.0.1', log: logger, outbox: { pollMs: 50 }, ...options });
  // Slack connects in the background (auth.test, Socket Mode): tests start once it is ready.
  const slackStatus = server.surfaces.slack;
  if (slackStatus) await eventually(() => slackStatus.state !== 'connecting');
  return {
    config,
    env: fullEnv,
    server,
    slack,
    connector,
    issuer,
    store,
    log,
    async close() {
      await server.close();
      await Promise.all([slack.stop(), connector.stop(), issuer?.stop()]);
    },
  };
}

/** Polls `check` until it returns true. */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
