import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';

const fail = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
};

describe('chat configuration', () => {
  it('leaves both platforms off without credentials, on port 3000', () => {
    expect(loadConfig({}).chat).toEqual({ port: 3000, host: '0.0.0.0', slack: undefined, teams: undefined });
  });

  it('turns Slack on with a bot token and signing secret, defaulting the API URL', () => {
    const { slack } = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }).chat;
    expect(slack).toEqual({ botToken: 'xoxb-1', signingSecret: 's', appToken: undefined, apiUrl: 'https://slack.com/api/', allowedTeamIds: undefined });
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', SLACK_API_URL: 'https://slack-gov.com/api' }).chat.slack?.apiUrl).toBe('https://slack-gov.com/api/');
  });

  it('PUBLIC_URL must be https (http only on loopback); chart URLs are signed with CHART_URL_SECRET or a key derived from an existing secret', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://costbridge.example.com/', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }).chat.publicUrl).toBe('https://costbridge.example.com');
    expect(loadConfig({ PUBLIC_URL: 'http://127.0.0.1:3000', CHART_URL_SECRET: 'k'.repeat(32) }).chat.publicUrl).toBe('http://127.0.0.1:3000');
    expect(fail({ PUBLIC_URL: 'http://costbridge.example.com' })).toContain('PUBLIC_URL: must be the https:// address');
    expect(fail({ PUBLIC_URL: 'https://costbridge.example.com' })).toContain('CHART_URL_SECRET: required with PUBLIC_URL');
    expect(fail({ CHART_URL_SECRET: 'short' })).toContain('CHART_URL_SECRET: must be at least 32 characters');
    const derived = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }).chat.chartUrlKey;
    expect(derived).toMatch(/^[0-9a-f]{64}$/);
    // Not the secret itself, and a different secret gives a different key.
    expect(derived).not.toBe('s');
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 't' }).chat.chartUrlKey).not.toBe(derived);
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', CHART_URL_SECRET: 'k'.repeat(32) }).chat.chartUrlKey).not.toBe(derived);
  });

  it('names what is missing or malformed', () => {
    expect(fail({ SLACK_BOT_TOKEN: 'xoxb-1' })).toContain('SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN');
    expect(fail({ SLACK_SIGNING_SECRET: 's' })).toContain('SLACK_BOT_TOKEN: required when');
    expect(fail({ SLACK_BOT_TOKEN: 'xoxp-user', SLACK_SIGNING_SECRET: 's' })).toContain('SLACK_BOT_TOKEN: must be a bot token starting with xoxb-');
    expect(fail({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'nope' })).toContain('SLACK_APP_TOKEN: must be an app-level token');
    expect(fail({ SLACK_API_URL: 'ftp://x' })).toContain('SLACK_API_URL');
    expect(fail({ PORT: '70000' })).toContain('PORT');
    expect(fail({ MICROSOFT_APP_ID: 'id' })).toContain('MICROSOFT_APP_PASSWORD: required for MICROSOFT_APP_TYPE=MultiTenant');
    expect(fail({ MICROSOFT_APP_ID: 'id', MICROSOFT_APP_PASSWORD: 'p', MICROSOFT_APP_TYPE: 'SingleTenant' })).toContain('MICROSOFT_APP_TENANT_ID: required');
    expect(fail({ MICROSOFT_APP_TYPE: 'Other' })).toContain('MICROSOFT_APP_TYPE');
    expect(fail({ TEAMS_ALLOW_UNAUTHENTICATED: 'true', MICROSOFT_APP_ID: 'id', MICROSOFT_APP_PASSWORD: 'p' })).toContain('TEAMS_ALLOW_UNAUTHENTICATED: only for local emulators');
  });

  it('treats blank credentials as absent', () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: ' ', MICROSOFT_APP_ID: '' }).chat.slack).toBeUndefined();
  });

  it('turns Teams on with credentials, or unauthenticated for emulators', () => {
    expect(loadConfig({ MICROSOFT_APP_ID: 'id', MICROSOFT_APP_PASSWORD: 'p', MICROSOFT_APP_TENANT_ID: 't', MICROSOFT_APP_TYPE: 'SingleTenant' }).chat.teams).toEqual({
      appId: 'id',
      appPassword: 'p',
      tenantId: 't',
      appType: 'SingleTenant',
      allowUnauthenticated: false,
      allowedTenantIds: ['t'],
      openIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
      loginUrl: 'https://login.microsoftonline.com',
    });
    expect(loadConfig({ TEAMS_ALLOW_UNAUTHENTICATED: 'true' }).chat.teams?.allowUnauthenticated).toBe(true);
  });

  it('points Bot Framework authentication at other endpoints (another cloud, a test issuer): https only, no login host with a managed identity', () => {
    const teams = { MICROSOFT_APP_ID: 'id', MICROSOFT_APP_PASSWORD: 'p', TEAMS_ALLOWED_TENANT_IDS: 't' };
    const custom = loadConfig({ ...teams, BOTFRAMEWORK_OPENID_METADATA_URL: 'https://login.botframework.azure.us/v1/.well-known/openidconfiguration', BOTFRAMEWORK_LOGIN_URL: 'https://login.microsoftonline.us/' }).chat.teams;
    expect(custom).toMatchObject({ openIdMetadataUrl: 'https://login.botframework.azure.us/v1/.well-known/openidconfiguration', loginUrl: 'https://login.microsoftonline.us' });
    // Blank, as in an env file, is the default.
    expect(loadConfig({ ...teams, BOTFRAMEWORK_OPENID_METADATA_URL: '', BOTFRAMEWORK_LOGIN_URL: ' ' }).chat.teams).toMatchObject({ openIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration', loginUrl: 'https://login.microsoftonline.com' });
    expect(fail({ ...teams, BOTFRAMEWORK_OPENID_METADATA_URL: 'http://login.botframework.com/v1/.well-known/openidconfiguration' })).toContain('BOTFRAMEWORK_OPENID_METADATA_URL: must be an https:// URL');
    expect(fail({ ...teams, BOTFRAMEWORK_LOGIN_URL: 'https://login.microsoftonline.com/botframework.com' })).toContain('BOTFRAMEWORK_LOGIN_URL: must be the https:// address of a Microsoft Entra login host');
    expect(fail({ MICROSOFT_APP_ID: 'id', MICROSOFT_APP_TENANT_ID: 't', MICROSOFT_APP_TYPE: 'UserAssignedMSI', BOTFRAMEWORK_LOGIN_URL: 'https://login.example' })).toContain('BOTFRAMEWORK_LOGIN_URL: not used with MICROSOFT_APP_TYPE=UserAssignedMSI');
  });

  it('binds identity to workspaces and tenants: SLACK_ALLOWED_TEAM_IDS, TEAMS_ALLOWED_TENANT_IDS (required for MultiTenant)', () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_ALLOWED_TEAM_IDS: 'T01ABC, E02DEF' }).chat.slack?.allowedTeamIds).toEqual(['T01ABC', 'E02DEF']);
    expect(fail({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_ALLOWED_TEAM_IDS: 'acme' })).toContain('SLACK_ALLOWED_TEAM_IDS: must list Slack team ids');
    expect(fail({ MICROSOFT_APP_ID: 'id', MICROSOFT_APP_PASSWORD: 'p' })).toContain('TEAMS_ALLOWED_TENANT_IDS: required for MICROSOFT_APP_TYPE=MultiTenant');
    expect(loadConfig({ MICROSOFT_APP_ID: 'id', MICROSOFT_APP_PASSWORD: 'p', TEAMS_ALLOWED_TENANT_IDS: 'AAAA-1,bbbb-2' }).chat.teams?.allowedTenantIds).toEqual(['aaaa-1', 'bbbb-2']);
    // Without authentication (emulators) any tenant unless listed.
    expect(loadConfig({ TEAMS_ALLOW_UNAUTHENTICATED: 'true' }).chat.teams?.allowedTenantIds).toBeUndefined();
  });

  it('listens on HOST (default 0.0.0.0), and only on loopback while Teams authentication is off', () => {
    expect(loadConfig({ HOST: '10.0.0.5' }).chat.host).toBe('10.0.0.5');
    expect(loadConfig({ TEAMS_ALLOW_UNAUTHENTICATED: 'true' }).chat.host).toBe('127.0.0.1');
    expect(loadConfig({ TEAMS_ALLOW_UNAUTHENTICATED: 'true', HOST: '::1' }).chat.host).toBe('::1');
    expect(fail({ TEAMS_ALLOW_UNAUTHENTICATED: 'true', HOST: '0.0.0.0' })).toContain('HOST: with TEAMS_ALLOW_UNAUTHENTICATED=true serve listens on 127.0.0.1 only');
  });
});

describe('logger', () => {
  it('writes JSON and never a configured secret or a token-shaped string', async () => {
    const lines: string[] = [];
    const destination = new Writable({ write: (c: Buffer, _e, done) => (lines.push(c.toString()), done()) });
    const config = loadConfig({ LOG_LEVEL: 'info', SLACK_BOT_TOKEN: 'xoxb-9999-secret-bot', SLACK_SIGNING_SECRET: 'sig-secret-123456', MICROSOFT_APP_ID: 'id', MICROSOFT_APP_PASSWORD: 'teams-password-42', TEAMS_ALLOWED_TENANT_IDS: 'tenant-1' });
    const log = createLogger(config, { destination: destination as never });
    log.info({ headers: { authorization: 'Bearer abc.def.ghi' }, token: 'xoxb-9999-secret-bot' }, 'calling with xoxb-9999-secret-bot and sig-secret-123456');
    log.warn({ err: new Error('failed for teams-password-42 with xapp-1-A0-123') }, 'oops');
    log.debug('not at info level');
    await new Promise((r) => setTimeout(r, 50));
    const text = lines.join('');
    expect(lines).toHaveLength(2);
    for (const secret of ['xoxb-9999-secret-bot', 'sig-secret-123456', 'teams-password-42', 'xapp-1-A0-123', 'abc.def.ghi']) expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
    expect(JSON.parse(lines[0]!).msg).toBe('calling with [redacted] and [redacted]');
  });
});
