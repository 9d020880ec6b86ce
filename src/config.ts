import { z } from 'zod';
import { resolve } from 'node:path';
import { createHmac } from 'node:crypto';
import { CostbridgeError } from './domain/costbridge-error.js';
import { parseSharedField } from './domain/shared-fields.js';

const logLevels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

const decimalSetting = (fallback: string) =>
  z
    .string()
    .trim()
    .default(fallback)
    .refine((v) => /^\d+(\.\d+)?$/.test(v), 'must be a non-negative decimal such as 100 or 0.05');
const wholeNumber = (fallback: number, max: number) =>
  z.coerce.number().int().min(0).max(max).default(fallback);
const list = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((v) => v.split(',').map((x) => x.trim()).filter(Boolean));

/** An optional credential: blank counts as absent, so `FOO=` in an env file switches a platform off. */
const optionalSecret = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined));

/** The public cloud's Microsoft Entra login host: BOTFRAMEWORK_LOGIN_URL's default, where botbuilder's own credentials know their way. */
export const publicBotFrameworkLoginUrl = 'https://login.microsoftonline.com';

const schema = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  TEST_DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  COSTBRIDGE_DATA_DIR: z.string().trim().min(1).default('.costbridge'),
  COSTBRIDGE_TIMEZONE: z
    .string()
    .trim()
    .default('UTC')
    .refine(isIanaZone, 'must be an IANA time zone such as UTC or Europe/Paris'),
  COSTBRIDGE_USER: z.string().trim().min(1).optional(),
  LOG_LEVEL: z.enum(logLevels).default('info'),
  COSTBRIDGE_REQUIRED_FIELDS: list('cost-center,owner').refine(
    (fields) => fields.length > 0 && fields.every((f) => parseSharedField(f) !== undefined),
    'must list shared fields: cost-center, application, legal-entity, environment, project, owner',
  ),
  COSTBRIDGE_UNATTRIBUTED_MIN_AMOUNT: decimalSetting('100'),
  COSTBRIDGE_UNATTRIBUTED_MIN_SHARE: decimalSetting('0.01'),
  COSTBRIDGE_GOVERNED_CATEGORIES: list(''),
  COSTBRIDGE_OWNER_FROM_MASTER_DATA: z
    .enum(['true', 'false', '1', '0', ''])
    .default('true')
    .transform((v) => v !== 'false' && v !== '0'),
  COSTBRIDGE_CLEARING_ACCOUNT: z.string().trim().min(1).default('IT-CLEARING'),
  COSTBRIDGE_DEFAULT_GL_ACCOUNT: z.string().trim().min(1).default('IT-CLOUD'),
  COSTBRIDGE_SHARED_POOLS_FILE: z.string().trim().min(1).optional(),
  COSTBRIDGE_UNATTRIBUTED_COST_CENTER: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined)),
  COSTBRIDGE_MATERIALITY_AMOUNT: decimalSetting('1000'),
  COSTBRIDGE_MATERIALITY_SHARE: decimalSetting('0.05'),
  COSTBRIDGE_FORECAST_WINDOW_DAYS: wholeNumber(7, 90),
  COSTBRIDGE_HANDOFF_BUSINESS_DAYS: wholeNumber(3, 20),
  COSTBRIDGE_CATCHUP_HOURS: z.coerce.number().int().min(1).max(720).default(24),
  PORT: wholeNumber(3000, 65535),
  HOST: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || /^[A-Za-z0-9.:%-]+$/.test(v), 'must be an interface address such as 0.0.0.0, 127.0.0.1 or ::'),
  SLACK_ALLOWED_TEAM_IDS: z
    .string()
    .optional()
    .transform((v) => (v === undefined ? undefined : v.split(',').map((x) => x.trim()).filter(Boolean)))
    .refine((v) => v === undefined || v.every((t) => /^[TE][A-Z0-9]{2,}$/.test(t)), 'must list Slack team ids such as T0123ABCD (comma-separated)'),
  TEAMS_ALLOWED_TENANT_IDS: z
    .string()
    .optional()
    .transform((v) => (v === undefined ? undefined : v.split(',').map((x) => x.trim().toLowerCase()).filter(Boolean))),
  SLACK_BOT_TOKEN: optionalSecret.pipe(z.string().regex(/^xoxb-/, 'must be a bot token starting with xoxb-').optional()),
  SLACK_SIGNING_SECRET: optionalSecret,
  SLACK_APP_TOKEN: optionalSecret.pipe(z.string().regex(/^xapp-/, 'must be an app-level token starting with xapp-').optional()),
  SLACK_API_URL: z
    .string()
    .trim()
    .default('https://slack.com/api/')
    .refine((v) => /^https?:\/\/[^\s/]+/.test(v), 'must be an http(s) URL such as https://slack.com/api/')
    .transform((v) => (v.endsWith('/') ? v : `${v}/`)),
  MICROSOFT_APP_ID: optionalSecret,
  MICROSOFT_APP_PASSWORD: optionalSecret,
  MICROSOFT_APP_TENANT_ID: optionalSecret,
  MICROSOFT_APP_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
  BOTFRAMEWORK_OPENID_METADATA_URL: z
    .string()
    .trim()
    .default('https://login.botframework.com/v1/.well-known/openidconfiguration')
    .transform((v) => v || 'https://login.botframework.com/v1/.well-known/openidconfiguration')
    .refine((v) => /^https:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(v), 'must be an https:// URL such as https://login.botframework.com/v1/.well-known/openidconfiguration'),
  BOTFRAMEWORK_LOGIN_URL: z
    .string()
    .trim()
    .default(publicBotFrameworkLoginUrl)
    .transform((v) => v || publicBotFrameworkLoginUrl)
    .refine((v) => /^https:\/\/[^\s/?#]+\/?$/.test(v), 'must be the https:// address of a Microsoft Entra login host such as https://login.microsoftonline.com')
    .transform((v) => v.replace(/\/+$/, '')),
  TEAMS_ALLOW_UNAUTHENTICATED: z
    .enum(['true', 'false', '1', '0', ''])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  PUBLIC_URL: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v.replace(/\/+$/, '') : undefined))
    .refine(
      (v) => v === undefined || /^https:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(v) || /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/[^\s?#]*)?$/.test(v),
      'must be the https:// address the platforms reach serve at, such as https://costbridge.example.com (http only for 127.0.0.1 / localhost)',
    ),
  CHART_URL_SECRET: optionalSecret.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  USER: z.string().optional(),
});

function isIanaZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Validated, frozen runtime configuration; the only view of the environment the rest of the code gets. */
export interface Config {
  readonly databaseUrl: string | undefined;
  readonly testDatabaseUrl: string | undefined;
  readonly dataDir: string;
  readonly timezone: string;
  readonly logLevel: (typeof logLevels)[number];
  /** Who a CLI action is attributed to in the audit log when no `--as` is given. */
  readonly defaultActor: string;
  /** `COSTBRIDGE_USER` when set: a name given on purpose, so it must be a known person. */
  readonly namedActor?: string;
  /** Attribution: which shared fields a line must have, noise thresholds, governed categories, chargeback accounts. */
  readonly attribution: {
    /** Shared-field flags (`cost-center`, `owner` ...) a line must resolve to count as attributed. */
    readonly requiredFields: readonly string[];
    /** Unattributed items below this amount AND this share of the period total are kept but not alerted. */
    readonly minAmount: string;
    readonly minShare: string;
    /** ServiceCategory values governed like "AI and Machine Learning" (contract required). */
    readonly governedCategories: readonly string[];
    /** A line with a known cost center and no owner takes the cost center's owner from master data (source `master-data`). */
    readonly ownerFromMasterData: boolean;
    readonly clearingAccount: string;
    readonly defaultGlAccount: string;
    /** Optional YAML/JSON file of shared-cost pools. */
    readonly sharedPoolsFile: string | undefined;
    /** The cost center the GL books unattributed spend to: its budget and forecast are compared with its own spend plus the unattributed spend (checked against master data where used). */
    readonly unattributedCostCenter: string | null;
  };
  /** Variance: materiality thresholds and the run-rate forecast and handoff settings. */
  readonly variance: {
    /** A variance needs an explanation when |variance| >= amount AND |variance| >= share x comparison. */
    readonly materialityAmount: string;
    readonly materialityShare: string;
    readonly forecastWindowDays: number;
    readonly handoffBusinessDays: number;
  };
  /** The review cadence: how far back a missed occurrence is still caught up on start (hours). */
  readonly review: {
    readonly catchupHours: number;
  };
  /** The chat server (`costbridge serve`): its port and each platform's credentials; a platform without them is off. */
  readonly chat: ChatConfig;
}

/** Slack and Teams settings; `slack` / `teams` are undefined when that platform is off. */
export interface ChatConfig {
  readonly port: number;
  /** The interface `serve` listens on (`HOST`; loopback only while Teams authentication is off). */
  readonly host: string;
  readonly slack: SlackConfig | undefined;
  readonly teams: TeamsConfig | undefined;
  /** `PUBLIC_URL`: where the platforms reach `serve` (chart images are linked there); undefined when unset. */
  readonly publicUrl: string | undefined;
  /**
   * The HMAC key chart URLs are signed with: `CHART_URL_SECRET`, else derived from the Slack signing
   * secret or the Teams app password (so rotating that secret also invalidates old chart URLs).
   */
  readonly chartUrlKey: string | undefined;
}

/** Slack credentials; `appToken` set means Socket Mode instead of the HTTP endpoint. */
export interface SlackConfig {
  readonly botToken: string;
  readonly signingSecret: string | undefined;
  readonly appToken: string | undefined;
  /** Base URL of the Slack Web API, ending in `/`. */
  readonly apiUrl: string;
  /** Workspaces whose requests are accepted (`SLACK_ALLOWED_TEAM_IDS`); undefined: the bot token's own team, from auth.test. */
  readonly allowedTeamIds: readonly string[] | undefined;
}

/** Microsoft Teams (Bot Framework) credentials; `allowUnauthenticated` disables JWT checks (local emulators only). */
export interface TeamsConfig {
  readonly appId: string | undefined;
  readonly appPassword: string | undefined;
  readonly tenantId: string | undefined;
  readonly appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  readonly allowUnauthenticated: boolean;
  /**
   * Tenants whose activities are accepted (`TEAMS_ALLOWED_TENANT_IDS`, lower case; the app's own
   * tenant by default for SingleTenant and UserAssignedMSI). Undefined only without authentication
   * (local emulators): any tenant.
   */
  readonly allowedTenantIds: readonly string[] | undefined;
  /**
   * Where the Bot Framework's signing keys are published (`BOTFRAMEWORK_OPENID_METADATA_URL`): incoming
   * activities' tokens are checked against them.
   */
  readonly openIdMetadataUrl: string;
  /** The Microsoft Entra login host the bot gets its own tokens from (`BOTFRAMEWORK_LOGIN_URL`, no trailing slash). */
  readonly loginUrl: string;
}


/** Reads and validates configuration from an environment (default: the process's). */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
  cwd: string = process.cwd(),
): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new CostbridgeError('CONFIG_INVALID', `invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const chat = chatConfig(e);
  return Object.freeze({
    databaseUrl: e.DATABASE_URL,
    testDatabaseUrl: e.TEST_DATABASE_URL ?? e.DATABASE_URL,
    dataDir: resolve(cwd, e.COSTBRIDGE_DATA_DIR),
    timezone: e.COSTBRIDGE_TIMEZONE,
    logLevel: e.LOG_LEVEL,
    defaultActor: e.COSTBRIDGE_USER ?? (e.USER ? `cli:${e.USER}` : 'cli'),
    ...(e.COSTBRIDGE_USER ? { namedActor: e.COSTBRIDGE_USER } : {}),
    attribution: Object.freeze({
      requiredFields: Object.freeze(e.COSTBRIDGE_REQUIRED_FIELDS),
      minAmount: e.COSTBRIDGE_UNATTRIBUTED_MIN_AMOUNT,
      minShare: e.COSTBRIDGE_UNATTRIBUTED_MIN_SHARE,
      governedCategories: Object.freeze(e.COSTBRIDGE_GOVERNED_CATEGORIES),
      ownerFromMasterData: e.COSTBRIDGE_OWNER_FROM_MASTER_DATA,
      clearingAccount: e.COSTBRIDGE_CLEARING_ACCOUNT,
      defaultGlAccount: e.COSTBRIDGE_DEFAULT_GL_ACCOUNT,
      sharedPoolsFile: e.COSTBRIDGE_SHARED_POOLS_FILE ? resolve(cwd, e.COSTBRIDGE_SHARED_POOLS_FILE) : undefined,
      unattributedCostCenter: e.COSTBRIDGE_UNATTRIBUTED_COST_CENTER ?? null,
    }),
    variance: Object.freeze({
      materialityAmount: e.COSTBRIDGE_MATERIALITY_AMOUNT,
      materialityShare: e.COSTBRIDGE_MATERIALITY_SHARE,
      forecastWindowDays: e.COSTBRIDGE_FORECAST_WINDOW_DAYS,
      handoffBusinessDays: e.COSTBRIDGE_HANDOFF_BUSINESS_DAYS,
    }),
    review: Object.freeze({ catchupHours: e.COSTBRIDGE_CATCHUP_HOURS }),
    chat,
  });
}

/** Checks the chat credentials fit together: a half-configured platform is an error, not silently off. */
function chatConfig(e: z.infer<typeof schema>): ChatConfig {
  const problems: string[] = [];
  let slack: SlackConfig | undefined;
  if (e.SLACK_BOT_TOKEN) {
    if (!e.SLACK_SIGNING_SECRET && !e.SLACK_APP_TOKEN) {
      problems.push('SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN (or set SLACK_APP_TOKEN for Socket Mode)');
    }
    slack = Object.freeze({
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: e.SLACK_API_URL,
      allowedTeamIds: e.SLACK_ALLOWED_TEAM_IDS && e.SLACK_ALLOWED_TEAM_IDS.length > 0 ? Object.freeze(e.SLACK_ALLOWED_TEAM_IDS) : undefined,
    });
  } else if (e.SLACK_SIGNING_SECRET || e.SLACK_APP_TOKEN) {
    problems.push('SLACK_BOT_TOKEN: required when SLACK_SIGNING_SECRET or SLACK_APP_TOKEN is set');
  }
  let teams: TeamsConfig | undefined;
  const anyTeamsCredential = e.MICROSOFT_APP_ID || e.MICROSOFT_APP_PASSWORD || e.MICROSOFT_APP_TENANT_ID;
  if (e.TEAMS_ALLOW_UNAUTHENTICATED) {
    if (anyTeamsCredential) {
      problems.push(
        'TEAMS_ALLOW_UNAUTHENTICATED: only for local emulators without credentials; unset it or the MICROSOFT_APP_* settings',
      );
    }
    const tenants = e.TEAMS_ALLOWED_TENANT_IDS && e.TEAMS_ALLOWED_TENANT_IDS.length > 0 ? Object.freeze(e.TEAMS_ALLOWED_TENANT_IDS) : undefined;
    teams = Object.freeze({ appId: undefined, appPassword: undefined, tenantId: undefined, appType: e.MICROSOFT_APP_TYPE, allowUnauthenticated: true, allowedTenantIds: tenants, openIdMetadataUrl: e.BOTFRAMEWORK_OPENID_METADATA_URL, loginUrl: e.BOTFRAMEWORK_LOGIN_URL });
  } else if (anyTeamsCredential) {
    if (!e.MICROSOFT_APP_ID) problems.push('MICROSOFT_APP_ID: required with the other MICROSOFT_APP_* settings');
    if (e.MICROSOFT_APP_TYPE !== 'UserAssignedMSI' && !e.MICROSOFT_APP_PASSWORD) {
      problems.push(`MICROSOFT_APP_PASSWORD: required for MICROSOFT_APP_TYPE=${e.MICROSOFT_APP_TYPE}`);
    }
    if (e.MICROSOFT_APP_TYPE !== 'MultiTenant' && !e.MICROSOFT_APP_TENANT_ID) {
      problems.push(`MICROSOFT_APP_TENANT_ID: required for MICROSOFT_APP_TYPE=${e.MICROSOFT_APP_TYPE}`);
    }
    if (e.MICROSOFT_APP_TYPE === 'UserAssignedMSI' && e.BOTFRAMEWORK_LOGIN_URL !== publicBotFrameworkLoginUrl) {
      problems.push('BOTFRAMEWORK_LOGIN_URL: not used with MICROSOFT_APP_TYPE=UserAssignedMSI (the managed identity gets the tokens); unset it');
    }
    const listed = e.TEAMS_ALLOWED_TENANT_IDS && e.TEAMS_ALLOWED_TENANT_IDS.length > 0 ? e.TEAMS_ALLOWED_TENANT_IDS : undefined;
    const ownTenant = e.MICROSOFT_APP_TENANT_ID?.toLowerCase();
    if (!listed && e.MICROSOFT_APP_TYPE === 'MultiTenant') {
      problems.push('TEAMS_ALLOWED_TENANT_IDS: required for MICROSOFT_APP_TYPE=MultiTenant: list the Microsoft Entra tenant ids whose users may use the bot (comma-separated)');
    }
    teams = Object.freeze({
      appId: e.MICROSOFT_APP_ID,
      appPassword: e.MICROSOFT_APP_PASSWORD,
      tenantId: e.MICROSOFT_APP_TENANT_ID,
      appType: e.MICROSOFT_APP_TYPE,
      allowUnauthenticated: false,
      allowedTenantIds: Object.freeze(listed ?? (ownTenant ? [ownTenant] : [])),
      openIdMetadataUrl: e.BOTFRAMEWORK_OPENID_METADATA_URL,
      loginUrl: e.BOTFRAMEWORK_LOGIN_URL,
    });
  }
  const loopback = (h: string) => h === '127.0.0.1' || h === '::1' || h === 'localhost';
  if (e.TEAMS_ALLOW_UNAUTHENTICATED && e.HOST !== undefined && !loopback(e.HOST)) {
    problems.push(`HOST: with TEAMS_ALLOW_UNAUTHENTICATED=true serve listens on 127.0.0.1 only; got ${e.HOST}`);
  }
  const host = e.HOST ?? (e.TEAMS_ALLOW_UNAUTHENTICATED ? '127.0.0.1' : '0.0.0.0');
  const keySource = e.CHART_URL_SECRET ?? e.SLACK_SIGNING_SECRET ?? e.MICROSOFT_APP_PASSWORD;
  const chartUrlKey = keySource === undefined ? undefined : createHmac('sha256', keySource).update('costbridge chart URLs v1').digest('hex');
  if (e.PUBLIC_URL && !chartUrlKey) problems.push('CHART_URL_SECRET: required with PUBLIC_URL when neither SLACK_SIGNING_SECRET nor MICROSOFT_APP_PASSWORD is set (chart URLs are signed with it)');
  if (problems.length > 0) {
    throw new CostbridgeError('CONFIG_INVALID', `invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
  return Object.freeze({ port: e.PORT, host, slack, teams, publicUrl: e.PUBLIC_URL, chartUrlKey });
}
