import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One Bot Connector call the fake received. */
export interface ConnectorCall {
  readonly method: string;
  readonly conversationId: string;
  /** The activity replied to (POST .../activities/{id}) or updated (PUT .../activities/{id}). */
  readonly activityId: string | undefined;
  readonly body: Record<string, unknown>;
  readonly status: number;
  readonly at: number;
}

type Failure = { status: 429; retryAfter: number } | { status: 500 } | { status: 403 };

/**
 * A local fake of the Bot Framework Connector on 127.0.0.1: send (POST
 * /v3/conversations/{id}/activities[/{replyToId}]), update (PUT .../activities/{activityId}) and
 * member lookup (GET .../members/{userId}). Records calls; can fail the next N.
 */
export class FakeBotConnector {
  readonly calls: ConnectorCall[] = [];
  /** GET members answers: Teams user id -> member. */
  readonly members = new Map<string, { id: string; name: string; aadObjectId?: string; email?: string; userPrincipalName?: string }>();
  private failures: Failure[] = [];
  private server: Server | undefined;
  private counter = 0;
  url = '';

  /** @param acceptsToken when given, a call whose `Authorization` it refuses gets 401 (the real connector wants the bot's access token). */
  constructor(private readonly acceptsToken?: (authorization: string | undefined) => boolean) {}

  /** The serviceUrl activities must carry for replies to reach this fake. */
  get serviceUrl(): string {
    return `${this.url}/`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = new URL(req.url ?? '/', 'http://x').pathname;
        const m = /^\/v3\/conversations\/([^/]+)\/(activities|members)(?:\/([^/]+))?$/.exec(path);
        const raw = Buffer.concat(chunks).toString('utf8');
        const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
        const conversationId = m ? decodeURIComponent(m[1]!) : '';
        const sub = m ? (m[3] ? decodeURIComponent(m[3]) : undefined) : undefined;
        const reply = (status: number, json: unknown, headers: Record<string, string> = {}) => {
          this.calls.push({ method: req.method ?? '', conversationId, activityId: sub, body, status, at: Date.now() });
          res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(json));
        };
        if (!m) return reply(404, { error: { code: 'NotFound', message: path } });
        if (this.acceptsToken && !this.acceptsToken(req.headers.authorization)) return reply(401, { message: 'Authorization has been denied for this request.' });
        if (m[2] === 'members') {
          const member = sub ? this.members.get(sub) : undefined;
          return member ? reply(200, member) : reply(404, { error: { code: 'MemberNotFound', message: 'no such member' } });
        }
        const failure = this.failures.shift();
        if (failure) {
          if (failure.status === 429) return reply(429, { error: { code: 'Throttled', message: 'slow down' } }, { 'retry-after': String(failure.retryAfter) });
          return reply(failure.status, { error: { code: failure.status === 403 ? 'Forbidden' : 'ServiceError', message: 'failed' } });
        }
        if (req.method === 'POST') return reply(200, { id: `activity-${++this.counter}` });
        if (req.method === 'PUT' && sub) return reply(200, { id: sub });
        return reply(405, { error: { code: 'MethodNotAllowed', message: req.method } });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  failNext(n: number, failure: Failure): void {
    for (let i = 0; i < n; i++) this.failures.push(failure);
  }

  /** Successful activity sends and updates (not member lookups). */
  activityCalls(): ConnectorCall[] {
    return this.calls.filter((c) => c.status === 200 && (c.method === 'POST' || c.method === 'PUT'));
  }

  async waitFor(predicate: (calls: readonly ConnectorCall[]) => boolean, timeoutMs = 10_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!predicate(this.calls)) {
      if (Date.now() > until) throw new Error(`fake connector: condition not met; calls: ${this.calls.map((c) => `${c.method} ${c.status}`).join(', ')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
