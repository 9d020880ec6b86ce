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

/** A file uploaded through files.getUploadURLExternal and its upload URL. */
export interface FakeSlackFile {
  readonly id: string;
  readonly filename: string;
  readonly length: number;
  /** The bytes posted to the upload URL (undefined until then). */
  bytes?: Buffer;
  /** True once files.completeUploadExternal named it. */
  completed: boolean;
  title?: string;
}

/** A message POSTed to a response_url the fake handed out. */
export interface FakeResponse {
  /** The key of the URL (`responseUrl(key)`). */
  readonly key: string;
  readonly body: Record<string, unknown>;
  readonly status: number;
  readonly at: number;
}

/**
 * A local fake of the Slack Web API on 127.0.0.1 (auth.test, chat.postMessage, chat.update,
 * chat.postEphemeral, views.open / views.push / views.update, views.publish, users.info, files.getUploadURLExternal + the upload URL +
 * files.completeUploadExternal), plus response_url endpoints (`responseUrl(key)`: JSON POSTs are
 * recorded in `responses`, five per URL as Slack allows, then `used_url`). It checks the bot token,
 * records every call (the upload as method `upload`), can refuse channels (`channel_not_found`, as
 * Slack does for a private channel the bot is not in), and can answer the next N calls with a 429 +
 * Retry-After, a 500, or an `ok: false` error.
 */
export class FakeSlackApi {
  readonly calls: SlackApiCall[] = [];
  /** Messages POSTed to response URLs, in order. */
  readonly responses: FakeResponse[] = [];
  /** Channels chat.postMessage / chat.postEphemeral / chat.update refuse with `channel_not_found`. */
  readonly unreachableChannels = new Set<string>();
  /** Files by id, as uploaded. */
  readonly files = new Map<string, FakeSlackFile>();
  private fileCounter = 0;
  /** users.info answers: user id -> email. */
  readonly emails = new Map<string, string>();
  private failures: Failure[] = [];
  private methodFailures = new Map<string, Failure[]>();
  private server: Server | undefined;
  private tsCounter = 0;
  url = '';
  /** Where apps.connections.open sends a Socket Mode client, and the app token it accepts. */
  socket: { appToken: string; url: string } | undefined;

  constructor(readonly token: string) {}

  /** The base URL to give SLACK_API_URL. */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  /** A response_url on this fake (what a slash command or click payload carries). */
  responseUrl(key: string): string {
    return `${this.url}/response/${encodeURIComponent(key)}`;
  }

  /** Messages POSTed to one response URL. */
  responsesTo(key: string): FakeResponse[] {
    return this.responses.filter((r) => r.key === key);
  }

  /** Starts listening, on `port` when given (to come up where a server was told to look before). */
  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const response = /^\/response\/([^/?]+)$/.exec(req.url ?? '');
        if (response) {
          // A response_url takes JSON without a token, up to five messages (Slack's limit).
          const key = decodeURIComponent(response[1]!);
          const body = safeJson(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
          const used = this.responsesTo(key).filter((r) => r.status === 200).length;
          const status = used >= 5 ? 404 : typeof body !== 'object' || body === null || (!body.text && !body.blocks) ? 400 : 200;
          this.responses.push({ key, body: typeof body === 'object' && body !== null ? body : {}, status, at: Date.now() });
          const answer = status === 200 ? { ok: true } : { ok: false, error: status === 404 ? 'used_url' : 'no_text' };
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
          return;
        }
        const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0]!;
        const upload = /^\/upload\/(F[A-Z0-9]+)$/.exec(req.url ?? '');
        if (upload) {
          // The upload URL takes the raw bytes, without the bot token (as Slack's does).
          const file = this.files.get(upload[1]!);
          const bytes = Buffer.concat(chunks);
          this.record({ method: 'upload', args: { file: upload[1], length: bytes.length }, status: file ? 200 : 404, ok: file !== undefined, at: Date.now() });
          if (file) file.bytes = bytes;
          res.writeHead(file ? 200 : 404, { 'content-type': 'text/plain' }).end(file ? `OK - ${bytes.length}` : 'not found');
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        const args = parseArgs(raw, String(req.headers['content-type'] ?? ''));
        const token = String(req.headers.authorization ?? '').replace(/^Bearer /, '') || String(args.token ?? '');
        const reply = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) => {
          this.record({ method, args, status, ok: status === 200 && body.ok === true, at: Date.now() });
          res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
        };
        const failure = this.methodFailures.get(method)?.shift() ?? this.failures.shift();
        if (failure) {
          if ('error' in failure) return reply(200, { ok: false, error: failure.error });
          if (failure.status === 429) return reply(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(failure.retryAfter) });
          return reply(500, { ok: false, error: 'internal_error' });
        }
        if (method === 'apps.connections.open') {
          // Socket Mode: the app-level token asks where to open the WebSocket.
          if (!this.socket || token !== this.socket.appToken) return reply(200, { ok: false, error: 'invalid_auth' });
          return reply(200, { ok: true, url: this.socket.url });
        }
        if (token !== this.token) return reply(200, { ok: false, error: 'invalid_auth' });
        if (['chat.postMessage', 'chat.postEphemeral', 'chat.update'].includes(method) && this.unreachableChannels.has(String(args.channel))) {
          return reply(200, { ok: false, error: 'channel_not_found' });
        }
        switch (method) {
          case 'auth.test':
            return reply(200, { ok: true, url: 'https://fake.slack.test/', team: 'Fake', user: 'costbridge', team_id: 'T0FAKE', user_id: 'UBOT', bot_id: 'BBOT', app_id: 'A0FAKE' });
          case 'chat.postMessage':
            // An image block may show only a file that was uploaded and completed.
            for (const b of Array.isArray(args.blocks) ? (args.blocks as { type?: string; slack_file?: { id?: string } }[]) : []) {
              if (b.type === 'image' && b.slack_file && !this.files.get(String(b.slack_file.id))?.completed) return reply(200, { ok: false, error: 'invalid_blocks' });
            }
            return reply(200, { ok: true, channel: args.channel, ts: this.nextTs(), message: { text: args.text } });
          case 'chat.update':
            return reply(200, { ok: true, channel: args.channel, ts: args.ts, text: args.text });
          case 'chat.postEphemeral':
            return reply(200, { ok: true, message_ts: this.nextTs() });
          case 'files.getUploadURLExternal': {
            const length = Number(args.length);
            if (!args.filename || !Number.isInteger(length) || length <= 0) return reply(200, { ok: false, error: 'invalid_arguments' });
            const id = `F${String(++this.fileCounter).padStart(8, '0')}`;
            this.files.set(id, { id, filename: String(args.filename), length, completed: false });
            return reply(200, { ok: true, upload_url: `${this.url}/upload/${id}`, file_id: id });
          }
          case 'files.completeUploadExternal': {
            const files = (typeof args.files === 'string' ? safeJson(args.files) : args.files) as { id: string; title?: string }[];
            const known = Array.isArray(files) ? files.map((f) => this.files.get(f.id)) : [];
            if (known.length === 0 || known.some((f) => !f || f.bytes?.length !== f.length)) return reply(200, { ok: false, error: 'file_upload_size_mismatch' });
            for (const [i, f] of known.entries()) {
              f!.completed = true;
              f!.title = files[i]!.title;
            }
            return reply(200, { ok: true, files: known.map((f) => ({ id: f!.id, title: f!.title ?? f!.filename })) });
          }
          case 'views.publish': {
            // One Home tab per user: its view id stays the same across publishes (as Slack's does).
            const view = (typeof args.view === 'string' ? safeJson(args.view) : args.view) as { type?: string; blocks?: unknown[] } | undefined;
            if (!args.user_id || view?.type !== 'home' || !Array.isArray(view.blocks) || view.blocks.length > 100) return reply(200, { ok: false, error: 'invalid_arguments' });
            return reply(200, { ok: true, view: { id: `VHOME${String(args.user_id)}`, type: 'home', blocks: view.blocks } });
          }
          case 'views.open':
          case 'views.push':
            return reply(200, { ok: true, view: { id: `V${this.calls.length}` } });
          case 'views.update':
            return reply(200, { ok: true, view: { id: String(args.view_id) } });
          case 'users.info': {
            const email = this.emails.get(String(args.user));
            return reply(200, { ok: true, user: { id: args.user, name: 'someone', profile: email ? { email } : {} } });
          }
          default:
            return reply(200, { ok: false, error: 'unknown_method' });
        }
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', resolve);
    });
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** The next `n` calls fail this way. */
  failNext(n: number, failure: Failure): void {
    for (let i = 0; i < n; i++) this.failures.push(failure);
  }

  /** The next `n` calls of one method fail this way (other methods answer normally). */
  failNextOf(method: string, n: number, failure: Failure): void {
    const list = this.methodFailures.get(method) ?? [];
    for (let i = 0; i < n; i++) list.push(failure);
    this.methodFailures.set(method, list);
  }

  readonly #waiters = new Set<(call: SlackApiCall) => void>();

  private record(call: SlackApiCall): void {
    this.calls.push(call);
    for (const w of [...this.#waiters]) w(call);
  }

  /** The first call from now on that `predicate` accepts (event-driven: no polling of the call log). */
  nextCall(predicate: (call: SlackApiCall) => boolean, timeoutMs = 10_000): Promise<SlackApiCall | undefined> {
    return new Promise((resolve) => {
      const done = (call: SlackApiCall | undefined) => {
        clearTimeout(timer);
        this.#waiters.delete(waiter);
        resolve(call);
      };
      const waiter = (call: SlackApiCall) => {
        if (predicate(call)) done(call);
      };
      const timer = setTimeout(() => done(undefined), timeoutMs);
      this.#waiters.add(waiter);
    });
  }

  /** Calls of one method. */
  callsOf(method: string): SlackApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Waits until a response URL got `n` messages (the outbox delivers asynchronously). */
  async waitForResponses(key: string, n = 1, timeoutMs = 10_000): Promise<FakeResponse[]> {
    const until = Date.now() + timeoutMs;
    while (this.responsesTo(key).filter((r) => r.status === 200).length < n) {
      if (Date.now() > until) throw new Error(`fake Slack: ${n} responses to ${key} expected; got ${JSON.stringify(this.responsesTo(key).map((r) => r.status))}; calls: ${this.calls.map((c) => c.method).join(', ')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.responsesTo(key).filter((r) => r.status === 200);
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
