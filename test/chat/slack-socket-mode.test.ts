import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { storeKinds, createTestDatabase, type TestDatabase } from '../support/test-stores.js';
import { startChatHarness, eventually, type ChatHarness } from './chat-harness.js';

// Socket Mode without Slack: the fake Web API answers apps.connections.open with a local WebSocket
// server that speaks Slack's envelope protocol (hello, envelopes, acks by envelope_id).
type Socket = { send(data: string): void; on(event: 'message', fn: (data: Buffer) => void): void; close(): void };
type Server = {
  on(event: 'connection', fn: (socket: Socket) => void): void;
  address(): AddressInfo;
  close(done: () => void): void;
  clients: Set<Socket>;
};
const { Server: WebSocketServer } = createRequire(import.meta.url)('ws') as {
  Server: new (options: { host: string; port: number }, ready: () => void) => Server;
};

const appToken = 'xapp-1-A0FAKE-1234-socket-mode-test-token';

describe.each(storeKinds)('Slack over Socket Mode on %s', (kind) => {
  let tdb: TestDatabase;
  let h: ChatHarness;
  let wss: Server;
  const acks: string[] = [];
  let connected: Socket | undefined;

  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    wss = await new Promise<Server>((resolve) => {
      const server: Server = new WebSocketServer({ host: '127.0.0.1', port: 0 }, () => resolve(server));
    });
    wss.on('connection', (socket) => {
      connected = socket;
      socket.on('message', (data) => {
        const msg = JSON.parse(data.toString()) as { envelope_id?: string };
        if (msg.envelope_id) acks.push(msg.envelope_id);
      });
      socket.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake', approximate_connection_time: 3600 }, connection_info: { app_id: 'A0FAKE' } }));
    });
    // The harness starts the fake Slack API first; point it at the WebSocket before serve connects.
    h = await startChatHarness(tdb, { SLACK_APP_TOKEN: appToken, SLACK_SIGNING_SECRET: '' }, {}, ({ slack }) => {
      slack.socket = { appToken, url: `ws://127.0.0.1:${wss.address().port}/link` };
    });
  });
  afterAll(async () => {
    await h?.close();
    for (const c of wss.clients) c.close();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    await tdb.drop();
  });

  it('connects through the configured API URL, acks a slash command envelope and answers it', async () => {
    await eventually(() => connected !== undefined);
    expect(h.slack.callsOf('apps.connections.open')[0]).toMatchObject({ ok: true });
    connected!.send(
      JSON.stringify({
        envelope_id: 'env-1',
        type: 'slash_commands',
        accepts_response_payload: true,
        payload: {
          token: 'unused', team_id: 'T0FAKE', team_domain: 'fake', channel_id: 'C1', channel_name: 'general',
          user_id: 'UANA', user_name: 'ana', command: '/costbridge', text: 'help',
          response_url: 'https://hooks.invalid/commands/1', trigger_id: 'trig-socket-1', api_app_id: 'A0FAKE',
        },
      }),
    );
    await eventually(() => acks.includes('env-1'));
    await eventually(() => h.slack.callsOf('chat.postEphemeral').some((c) => c.ok));
    const [reply] = h.slack.callsOf('chat.postEphemeral');
    expect(reply!.args).toMatchObject({ channel: 'C1', user: 'UANA' });
    expect(JSON.stringify(reply!.args.blocks)).toContain('whoami');
  });
  it('reconnects by itself when the connection drops (auth.test again, then a new WebSocket), and answers again', async () => {
    const opens = h.slack.callsOf('apps.connections.open').length;
    const auths = h.slack.callsOf('auth.test').length;
    const first = connected!;
    first.close();
    await eventually(() => connected !== first && h.server.surfaces.slack!.state === 'ok', 15_000);
    expect(h.slack.callsOf('apps.connections.open').length).toBe(opens + 1);
    expect(h.slack.callsOf('auth.test').length).toBe(auths + 1);
    expect(h.log.text).toContain('Slack Socket Mode connection closed; reconnecting');
    const before = h.slack.callsOf('chat.postEphemeral').length;
    connected!.send(
      JSON.stringify({
        envelope_id: 'env-2',
        type: 'slash_commands',
        accepts_response_payload: true,
        payload: { team_id: 'T0FAKE', channel_id: 'C1', user_id: 'UANA', user_name: 'ana', command: '/costbridge', text: 'help', response_url: 'https://hooks.invalid/commands/2', trigger_id: 'trig-socket-2', api_app_id: 'A0FAKE' },
      }),
    );
    await eventually(() => acks.includes('env-2'));
    await eventually(() => h.slack.callsOf('chat.postEphemeral').filter((c) => c.ok).length > before);
  });
});

describe.each(storeKinds)('Slack over Socket Mode with an app token Slack refuses on %s', (kind) => {
  let tdb: TestDatabase;
  let h: ChatHarness;
  beforeAll(async () => {
    tdb = await createTestDatabase(kind);
    h = await startChatHarness(tdb, { SLACK_APP_TOKEN: 'xapp-1-A0FAKE-9999-not-the-one', SLACK_SIGNING_SECRET: '' }, {}, ({ slack }) => {
      slack.socket = { appToken, url: 'ws://127.0.0.1:9/never' };
    });
  });
  afterAll(async () => {
    await h?.close();
    await tdb.drop();
  });

  it('names SLACK_APP_TOKEN in one line and leaves Slack degraded', async () => {
    expect(h.server.surfaces.slack!.health()).toMatchObject({ state: 'degraded', reason: 'Slack rejected SLACK_APP_TOKEN: invalid_auth', mode: 'socket' });
    expect(h.log.lines.filter((l) => l.includes('Slack rejected SLACK_APP_TOKEN: invalid_auth'))).toHaveLength(1);
    expect(h.slack.callsOf('apps.connections.open')).toHaveLength(1);
  });
});
