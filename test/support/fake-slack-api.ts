import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One Web API call the fake received. */
export interface SlackApiCall {
  readonly method: string;
  readonly args: Record<string, unknown>;
  readonly status: number;
  readonly ok: boolean;
  readonly at: number;
}

type Failure = { status: 429; retryAfter: number } | { status: 500 } | { error: string };

/**
 * A local fake of the Slack Web API on 127.0.0.1 (auth.test, chat.postMessage, chat.update,
 * chat.postEphemeral, views.open, users.info). It checks the bot token, records every call, and
 * can answer the next N calls with a 429 + Retry-After, a 500, or an `ok: false` error.
 */
export class FakeSlackApi {
  readonly calls: SlackApiCall[] = [];
  /** users.info answers: user id -> email. */
  readonly emails = new Map<string, string>();
  private failures: Failure[] = [];
  private server: Server | undefined;
  private tsCounter = 0;
  url = '';

  constructor(readonly token: string) {}

  /** The base URL to give SLACK_API_URL. */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0]!;
        const raw = Buffer.concat(chunks).toString('utf8');
        const args = parseArgs(raw, String(req.headers['content-type'] ?? ''));
        const token = String(req.headers.authorization ?? '').replace(/^Bearer /, '') || String(args.token ?? '');
        const reply = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) => {
          this.calls.push({ method, args, status, ok: status === 200 && body.ok === true, at: Date.now() });
          res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
        };
        const failure = this.failures.shift();
        if (failure) {
          if ('error' in failure) return reply(200, { ok: false, error: failure.error });
          if (failure.status === 429) return reply(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(failure.retryAfter) });
          return reply(500, { ok: false, error: 'internal_error' });
        }
        if (token !== this.token) return reply(200, { ok: false, error: 'invalid_auth' });
        switch (method) {
          case 'auth.test':
            return reply(200, { ok: true, url: 'https://fake.slack.test/', team: 'Fake', user: 'costbridge', team_id: 'T0FAKE', user_id: 'UBOT', bot_id: 'BBOT' });
          case 'chat.postMessage':
            return reply(200, { ok: true, channel: args.channel, ts: this.nextTs(), message: { text: args.text } });
          case 'chat.update':
            return reply(200, { ok: true, channel: args.channel, ts: args.ts, text: args.text });
          case 'chat.postEphemeral':
            return reply(200, { ok: true, message_ts: this.nextTs() });
          case 'views.open':
            return reply(200, { ok: true, view: { id: `V${this.calls.length}` } });
          case 'users.info': {
            const email = this.emails.get(String(args.user));
            return reply(200, { ok: true, user: { id: args.user, name: 'someone', profile: email ? { email } : {} } });
          }
          default:
            return reply(200, { ok: false, error: 'unknown_method' });
        }
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** The next `n` calls fail this way. */
  failNext(n: number, failure: Failure): void {
    for (let i = 0; i < n; i++) this.failures.push(failure);
  }

  /** Calls of one method. */
  callsOf(method: string): SlackApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Waits until `predicate` holds over the recorded calls (the outbox delivers asynchronously). */
  async waitFor(predicate: (calls: readonly SlackApiCall[]) => boolean, timeoutMs = 10_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!predicate(this.calls)) {
      if (Date.now() > until) throw new Error(`fake Slack: condition not met; calls: ${this.calls.map((c) => c.method).join(', ')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private nextTs(): string {
    this.tsCounter++;
    return `1700000000.${String(this.tsCounter).padStart(6, '0')}`;
  }
}

function parseArgs(raw: string, contentType: string): Record<string, unknown> {
  if (raw === '') return {};
  if (contentType.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    // The Web API client JSON-encodes structured arguments (blocks) in form fields.
    out[k] = /^[[{]/.test(v) ? safeJson(v) : v;
  }
  return out;
}

function safeJson(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}
