import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { createBenchDatabase } from './bench-database.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { openStore } from '../src/store/database.js';
import { migrate } from '../src/store/migrator.js';
import { grantRole } from '../src/store/people.js';
import { queueChatMessage } from '../src/app/queue-chat-message.js';
import { deliverPending } from '../src/app/deliver-pending.js';
import { slackTransport } from '../src/chat/slack/slack-transport.js';
import { acknowledgeButton } from '../src/server/actions/acknowledge-action.js';
import { actions, header, message, text } from '../src/messages/message-blocks.js';
import { FakeSlackApi } from '../test/support/fake-slack-api.js';
import { blockActionsBody, postSlack } from '../test/support/signed-slack-request.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const botToken = 'xoxb-bench-0000-token';
const signingSecret = 'bench-signing-secret-0123456789';

/**
 * Starts `costbridge serve` on a fresh Postgres database in a child process, with a local fake Slack
 * API, and fires signed block_actions (Acknowledge clicks: distinct messages plus repeated clicks) at
 * a fixed concurrency. Prints ack latency (HTTP response), decision latency (click sent -> the
 * acknowledgement row's transaction), errors, and checks exactly one decision per message.
 */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { requests: { type: 'string', default: '500' }, concurrency: { type: 'string', default: '25' }, items: { type: 'string', default: '400' } },
  });
  const requests = Number(values.requests);
  const concurrency = Number(values.concurrency);
  const items = Math.min(Number(values.items), requests);
  const db = await createBenchDatabase();
  const slack = await new FakeSlackApi(botToken).start();
  const env = { DATABASE_URL: db.url, LOG_LEVEL: 'warn', PORT: '0', SLACK_BOT_TOKEN: botToken, SLACK_SIGNING_SECRET: signingSecret, SLACK_API_URL: slack.apiUrl };
  const store = await openStore({ databaseUrl: db.url });
  let child: ReturnType<typeof spawn> | undefined;
  try {
    await migrate(store);
    const config = loadConfig(env);
    // 25 people, and `items` delivered messages with an Acknowledge button, each owned by one of them.
    for (let p = 0; p < 25; p++) {
      await grantRole(store.db, { id: `person-${p}`, details: { slackUserId: `UBENCH${p}` }, role: 'owner', costCenter: null }, { actor: 'bench', surface: 'cli' });
    }
    for (let i = 0; i < items; i++) {
      const m = message(`Alert ${i}`, [header(`Alert ${i}`), text('Unowned spend'), actions(acknowledgeButton())]);
      await queueChatMessage(store, { platform: 'slack', operation: 'post', purpose: `bench-alert:${i}`, target: 'CBENCH', payload: m });
    }
    const transport = { slack: slackTransport(config.chat.slack!, createLogger(config)) };
    while ((await deliverPending(store, transport, new Date(), { limit: 200 })).claimed > 0);
    const delivered = (await sql<{ id: number; ts: string }>`SELECT id, delivered_id AS ts FROM chat_outbox WHERE purpose LIKE 'bench-alert:%' ORDER BY id`.execute(store.db)).rows;
    if (delivered.length !== items) throw new Error(`seeded ${delivered.length} messages, expected ${items}`);

    child = spawn(process.execPath, [join(root, 'bin/costbridge.js'), 'serve'], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    const port = await new Promise<number>((resolve, reject) => {
      let err = '';
      child!.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
        const m = /listening on port (\d+)/.exec(err);
        if (m) resolve(Number(m[1]));
      });
      child!.on('exit', () => reject(new Error(`serve exited:\n${err}`)));
    });
    const url = `http://127.0.0.1:${port}`;

    // Click i acknowledges message i % items as its owner: the clicks past `items` are repeats.
    const ackMs: number[] = [];
    const firstClick = new Map<number, number>();
    let errors = 0;
    let next = 0;
    const worker = async () => {
      while (next < requests) {
        const i = next++;
        const item = i % items;
        const body = blockActionsBody({ actionId: 'acknowledge', value: '{}', userId: `UBENCH${item % 25}`, channelId: 'CBENCH', messageTs: delivered[item]!.ts, triggerId: `bench-${i}` });
        if (!firstClick.has(item)) firstClick.set(item, Date.now());
        try {
          const r = await postSlack(url, body, { secret: signingSecret });
          ackMs.push(r.ms);
          if (r.status !== 200) errors++;
        } catch {
          errors++;
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));

    const deadline = Date.now() + 60_000;
    let decisions: { outbox_id: number; at_ms: string }[] = [];
    while (Date.now() < deadline) {
      decisions = (await sql<{ outbox_id: number; at_ms: string }>`
        SELECT outbox_id, (extract(epoch FROM at) * 1000)::text AS at_ms FROM chat_acknowledgement`.execute(store.db)).rows;
      if (decisions.length >= items) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const audits = Number((await sql<{ n: string }>`SELECT count(*)::text AS n FROM audit_log WHERE action = 'message.acknowledge'`.execute(store.db)).rows[0]!.n);
    const itemOf = new Map(delivered.map((d, i) => [Number(d.id), i]));
    const decisionMs = decisions.map((d) => Number(d.at_ms) - firstClick.get(itemOf.get(Number(d.outbox_id))!)!);
    if (decisions.length !== items || audits !== items) errors += Math.abs(items - decisions.length) + Math.abs(items - audits);
    console.log(
      JSON.stringify({
        bench: 'chat',
        requests,
        concurrency,
        ackP50Ms: round(percentile(ackMs, 50)),
        ackP99Ms: round(percentile(ackMs, 99)),
        decisionP99Ms: round(percentile(decisionMs, 99)),
        errors,
        decisions: decisions.length,
        expectedDecisions: items,
        auditRows: audits,
      }),
    );
  } finally {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child!.on('exit', r));
    }
    await store.close();
    await slack.stop();
    await db.drop();
  }
}

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
