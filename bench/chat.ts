import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
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
import { unattributedSpendAlert } from '../src/messages/views/unattributed-spend-alert.js';
import { unattributedAlertView } from '../src/server/view-inputs/unattributed-alert-view.js';
import { actionIds, formIds } from '../src/messages/views/interaction-ids.js';
import { importCostCenters } from '../src/app/import-cost-centers.js';
import { importFocusFile } from '../src/app/import-focus.js';
import { listUnattributedSpend } from '../src/app/list-unattributed-spend.js';
import { parseBillingMonth } from '../src/domain/billing-month.js';
import { FakeSlackApi, type SlackApiCall } from '../test/support/fake-slack-api.js';
import { blockActionsBody, slackSignature, viewSubmissionBody } from '../test/support/signed-slack-request.js';
import { focusCsv, focusRows } from '../test/support/focus-csv.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';

const root = fileURLToPath(new URL('..', import.meta.url));
const botToken = 'xoxb-bench-0000-token';
const signingSecret = 'bench-signing-secret-0123456789';

/**
 * Starts `costbridge serve` on a fresh Postgres database in a child process, with a local fake Slack
 * API, and fires signed `block_actions` **Claim** clicks at a fixed concurrency: one per distinct
 * unattributed item, then repeated clicks on items already claimed. Each first click opens the claim
 * form (views.open), which the benchmark submits (`view_submission`) as a person would. Prints ack
 * latency of every request (clicks and submissions), decision latency (submission sent -> the claim's
 * transaction), errors, and checks exactly one claim and one audit row per item.
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
    // 25 people (owners), a cost center, and `items` unattributed items: one untagged service each.
    for (let p = 0; p < 25; p++) {
      await grantRole(store.db, { id: `person-${p}`, details: { slackUserId: `UBENCH${p}` }, role: 'owner', costCenter: null }, { actor: 'bench', surface: 'cli' });
    }
    const dir = await mkdtemp(join(tmpdir(), 'costbridge-chat-bench-'));
    try {
      const who = { actor: 'bench', surface: 'cli' as const };
      await writeFile(join(dir, 'cc.csv'), 'code,name,owner\nCC-BENCH,Bench,bench@example.com\n');
      await importCostCenters(store, { path: join(dir, 'cc.csv'), ...who });
      await writeFile(join(dir, 'focus.csv'), focusCsv(focusRows(items, (i) => ({ ServiceName: `service-${i}`, Tags: '' }))));
      await importFocusFile(store, { path: join(dir, 'focus.csv'), ...who });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const unattributed = await listUnattributedSpend(store, {
      period: parseBillingMonth('2024-09'),
      basis: 'effective',
      requiredFields: config.attribution.requiredFields,
      thresholds: { minAmount: '0', minShare: '0' },
    });
    const itemIds = unattributed.items.map((i) => String(i.id));
    if (itemIds.length !== items) throw new Error(`seeded ${itemIds.length} unattributed items, expected ${items}`);
    // The channel message the clicks come from (its ts is the form's origin): the alert with every
    // item's Claim button, since a click is accepted only for a button costbridge put on that message.
    await queueChatMessage(store, { platform: 'slack', operation: 'post', purpose: 'bench-alert', target: 'CBENCH', payload: unattributedSpendAlert(unattributedAlertView(unattributed)) });
    const transport = { slack: slackTransport(config.chat.slack!, createLogger(config)) };
    while ((await deliverPending(store, transport, new Date(), { limit: 200 })).claimed > 0);
    const alertTs = (await sql<{ ts: string }>`SELECT delivered_id AS ts FROM chat_outbox WHERE purpose = 'bench-alert'`.execute(store.db)).rows[0]!.ts;

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
    // Slack connects in the background (auth.test): measure from the moment serve is ready.
    for (const until = Date.now() + 30_000; (await fetch(`${url}/readyz`).then((r) => r.status).catch(() => 0)) !== 200; ) {
      if (Date.now() > until) throw new Error('serve did not become ready within 30 s');
      await new Promise((r) => setTimeout(r, 50));
    }

    // Click i claims item i % items: the clicks past `items` are repeats on items already claimed.
    const ackMs: number[] = [];
    const submittedAt = new Map<string, number>();
    let errors = 0;
    let next = 0;
    // Waiting for the form is event-driven: 25 workers polling the call log would take CPU from serve.
    const formFor = async (triggerId: string, opened: Promise<SlackApiCall | undefined>): Promise<string | undefined> => {
      const call = slack.callsOf('views.open').find((c) => c.ok && c.args.trigger_id === triggerId) ?? (await opened);
      return call ? (call.args.view as { private_metadata: string }).private_metadata : undefined;
    };
    // node:http with keep-alive, as Slack's senders keep theirs: fetch (undici) cost this process
    // ~200 ms of CPU for the first 25 requests, and the first reached serve ~100 ms after it was
    // sent while serve sat idle; that was the load generator's latency, not serve's.
    const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
    const post = async (body: string): Promise<boolean> => {
      try {
        const r = await postSigned(agent, port, body);
        ackMs.push(r.ms);
        return r.status === 200;
      } catch {
        return false;
      }
    };
    const worker = async () => {
      while (next < requests) {
        const i = next++;
        const itemId = itemIds[i % items]!;
        const user = `UBENCH${i % 25}`;
        const triggerId = `bench-${i}`;
        // A repeated click on a claimed item opens no form: nothing to wait for.
        const opened = i < items ? slack.nextCall((c) => c.method === 'views.open' && c.ok && c.args.trigger_id === triggerId) : Promise.resolve(undefined);
        if (!(await post(blockActionsBody({ actionId: actionIds.claimItem, value: JSON.stringify({ itemId }), userId: user, channelId: 'CBENCH', messageTs: alertTs, triggerId })))) {
          errors++;
          continue;
        }
        if (i >= items) continue; // a repeated click on a claimed item: answered privately, no form
        const metadata = await formFor(triggerId, opened);
        if (!metadata) {
          errors++;
          continue;
        }
        submittedAt.set(itemId, Date.now());
        const submitted = await post(viewSubmissionBody({ callbackId: formIds.claimItem, privateMetadata: metadata, userId: user, triggerId: `${triggerId}-submit`, values: { costCenter: 'CC-BENCH', scope: 'item' } }));
        if (!submitted) errors++;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    agent.destroy();

    const deadline = Date.now() + 60_000;
    let decisions: { id: string; at_ms: string }[] = [];
    while (Date.now() < deadline) {
      decisions = (await sql<{ id: string; at_ms: string }>`
        SELECT id::text AS id, (extract(epoch FROM claimed_at) * 1000)::text AS at_ms FROM unattributed_item WHERE status = 'claimed'`.execute(store.db)).rows;
      if (decisions.length >= items) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const audits = Number((await sql<{ n: string }>`SELECT count(*)::text AS n FROM audit_log WHERE action = 'unattributed.claim'`.execute(store.db)).rows[0]!.n);
    const decisionMs = decisions.filter((d) => submittedAt.has(d.id)).map((d) => Number(d.at_ms) - submittedAt.get(d.id)!);
    if (decisions.length !== items || audits !== items) errors += Math.abs(items - decisions.length) + Math.abs(items - audits);
    console.log(
      JSON.stringify({
        bench: 'chat',
        requests,
        submissions: submittedAt.size,
        concurrency,
        ackP50Ms: round(percentile(ackMs, 50)),
        ackP99Ms: round(percentile(ackMs, 99)),
        // The same without the first 2 x `concurrency` acknowledgements after serve is ready (code
        // V8 has not optimized yet): what a server that has been running a while answers.
        ackP99AfterWarmupMs: round(percentile(ackMs.slice(2 * concurrency), 99)),
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

/** Posts a signed Slack request to serve's /slack/events: its status and the time to the whole answer. */
function postSigned(agent: Agent, port: number, body: string): Promise<{ status: number; ms: number }> {
  const timestamp = Math.floor(Date.now() / 1000);
  const headers = {
    'content-type': 'application/x-www-form-urlencoded',
    'content-length': Buffer.byteLength(body),
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': slackSignature(signingSecret, timestamp, body),
  };
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/slack/events', method: 'POST', agent, headers }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
