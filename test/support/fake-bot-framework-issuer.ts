import { generateKeyPairSync, randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https, { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';

/** The issuer of the tokens the Bot Framework channel sends bots, and the audience of the bot's own tokens. */
const botFrameworkIssuer = 'https://api.botframework.com';

/** One signing key: its id and the pair. */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/** Claims and header overrides for a forged or unusual channel token. */
export interface ChannelTokenOptions {
  /** Overrides or removes (undefined) claims of the default token. */
  readonly claims?: Record<string, unknown>;
  /** Signs with this key instead of the published one (a forger's key). */
  readonly key?: KeyObject;
  /** The key id in the header (default: the published key's). */
  readonly kid?: string;
}

/** A bot's access-token request the fake login received. */
export interface TokenRequest {
  readonly tenant: string;
  readonly clientId: string;
  readonly scope: string;
  readonly granted: boolean;
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/** A compact RS256 JWS. */
function signJwt(header: Record<string, unknown>, payload: Record<string, unknown>, key: KeyObject): string {
  const input = `${base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', ...header }))}.${base64url(JSON.stringify(payload))}`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

/** A new 2048-bit RSA key pair with a key id. */
export function newSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid: randomUUID(), privateKey, publicKey };
}

const processKey = newSigningKey();
const processWebChatKey = newSigningKey();
const untrustingAgent = https.globalAgent;
const trustedCerts = new Set<string>();

/** The bot's HTTPS clients (botframework-connector's key fetch, MSAL) use the global agent: it trusts the running issuers' certificates. */
function trust(cert: string, on: boolean): void {
  if (on) trustedCerts.add(cert);
  else trustedCerts.delete(cert);
  https.globalAgent = trustedCerts.size === 0 ? untrustingAgent : new https.Agent({ ca: [...rootCertificates, ...trustedCerts] });
}

/**
 * A local fake of the Bot Framework's token services on 127.0.0.1 over HTTPS (a certificate made
 * with `openssl` at start): the channel's OpenID metadata and JWKS (keys endorsed for msteams), which
 * the bot checks incoming activities against, and a Microsoft Entra login (OpenID configuration and
 * client-credentials token endpoint) where the bot gets the access token for its Bot Connector calls.
 * While it runs, this process trusts its certificate (as NODE_EXTRA_CA_CERTS would).
 */
export class FakeBotFrameworkIssuer {
  /** One key per test process, like the Bot Framework's long-lived keys: botframework-connector caches the bot's access tokens process-wide. */
  readonly key = processKey;
  /** A published key endorsed only for Web Chat: tokens it signs are no good for a Teams activity. */
  readonly webChatKey = processWebChatKey;
  readonly tokenRequests: TokenRequest[] = [];
  private server: Server | undefined;
  private cert = '';
  url = '';

  constructor(
    readonly appId: string,
    private readonly appPassword: string,
  ) {}

  /** The bot's BOTFRAMEWORK_OPENID_METADATA_URL. */
  get openIdMetadataUrl(): string {
    return `${this.url}/v1/.well-known/openidconfiguration`;
  }

  /** The PEM certificate it serves HTTPS with: a `serve` process started beside it trusts it through NODE_EXTRA_CA_CERTS. */
  get certificate(): string {
    return this.cert;
  }

  /** The bot's BOTFRAMEWORK_LOGIN_URL. */
  get loginUrl(): string {
    return this.url;
  }

  /** A channel token for an activity carrying `serviceUrl`, as Teams sends it in `Authorization: Bearer`. */
  channelToken(serviceUrl: string, options: ChannelTokenOptions = {}): string {
    const now = Math.floor(Date.now() / 1000);
    const claims: Record<string, unknown> = { iss: botFrameworkIssuer, aud: this.appId, serviceurl: serviceUrl, nbf: now - 5, iat: now - 5, exp: now + 3600, ...options.claims };
    for (const [k, v] of Object.entries(claims)) if (v === undefined) delete claims[k];
    return signJwt({ kid: options.kid ?? this.key.kid }, claims, options.key ?? this.key.privateKey);
  }

  /** Checks an access token the bot sent the Bot Connector: signed here, for the Bot Framework, issued to the app. */
  acceptsAccessToken(authorization: string | undefined): boolean {
    const m = /^Bearer ([\w-]+)\.([\w-]+)\.([\w-]+)$/.exec(authorization ?? '');
    if (!m) return false;
    if (!verify('sha256', Buffer.from(`${m[1]}.${m[2]}`), this.key.publicKey, Buffer.from(m[3]!, 'base64url'))) return false;
    const claims = JSON.parse(Buffer.from(m[2]!, 'base64url').toString('utf8')) as { aud?: string; appid?: string; exp?: number };
    return claims.aud === botFrameworkIssuer && claims.appid === this.appId && (claims.exp ?? 0) > Date.now() / 1000;
  }

  async start(): Promise<this> {
    const dir = mkdtempSync(join(tmpdir(), 'costbridge-issuer-'));
    let tls: { key: string; cert: string };
    try {
      try {
        execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
      } catch (e) {
        throw new Error(`fake Bot Framework issuer: the openssl command (1.1.1 or later) makes its test certificate: ${(e as Error).message}`);
      }
      tls = { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    this.server = createServer(tls, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = new URL(req.url ?? '/', 'https://x').pathname;
        const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        if (req.method === 'GET' && path === '/v1/.well-known/openidconfiguration') {
          return json(200, {
            issuer: botFrameworkIssuer,
            authorization_endpoint: `${this.url}/v1/.well-known/botframework/authorize`,
            jwks_uri: `${this.url}/v1/.well-known/keys`,
            id_token_signing_alg_values_supported: ['RS256'],
            token_endpoint_auth_methods_supported: ['private_key_jwt'],
          });
        }
        if (req.method === 'GET' && path === '/v1/.well-known/keys') {
          const entry = (key: SigningKey, endorsements: string[]) => {
            const jwk = key.publicKey.export({ format: 'jwk' });
            return { kty: 'RSA', use: 'sig', kid: key.kid, n: jwk.n, e: jwk.e, endorsements };
          };
          return json(200, { keys: [entry(this.key, ['msteams']), entry(this.webChatKey, ['webchat'])] });
        }
        const tenantPath = /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|oauth2\/v2\.0\/token)$/.exec(path);
        if (!tenantPath) return json(404, { error: 'not_found', error_description: path });
        const tenant = tenantPath[1]!;
        if (req.method === 'GET' && tenantPath[2]!.startsWith('v2.0')) {
          return json(200, {
            issuer: `${this.url}/${tenant}/v2.0`,
            authorization_endpoint: `${this.url}/${tenant}/oauth2/v2.0/authorize`,
            token_endpoint: `${this.url}/${tenant}/oauth2/v2.0/token`,
            end_session_endpoint: `${this.url}/${tenant}/oauth2/v2.0/logout`,
            jwks_uri: `${this.url}/v1/.well-known/keys`,
            response_types_supported: ['code', 'id_token', 'token'],
          });
        }
        if (req.method !== 'POST') return json(405, { error: 'invalid_request' });
        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        const clientId = form.get('client_id') ?? '';
        const scope = form.get('scope') ?? '';
        const granted = form.get('grant_type') === 'client_credentials' && clientId === this.appId && form.get('client_secret') === this.appPassword && scope.split(' ').includes(`${botFrameworkIssuer}/.default`);
        this.tokenRequests.push({ tenant, clientId, scope, granted });
        if (!granted) return json(401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret or scope.' });
        const now = Math.floor(Date.now() / 1000);
        const accessToken = signJwt({ kid: this.key.kid }, { iss: `${this.url}/${tenant}/v2.0`, aud: botFrameworkIssuer, appid: this.appId, iat: now, nbf: now, exp: now + 3600 }, this.key.privateKey);
        return json(200, { token_type: 'Bearer', expires_in: 3600, ext_expires_in: 3600, access_token: accessToken });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.cert = tls.cert;
    trust(this.cert, true);
    return this;
  }

  async stop(): Promise<void> {
    if (this.cert) trust(this.cert, false);
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

