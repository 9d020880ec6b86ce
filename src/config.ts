import { z } from 'zod';
import { resolve } from 'node:path';
import { CostbridgeError } from './domain/costbridge-error.js';

const logLevels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

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
  return Object.freeze({
    databaseUrl: e.DATABASE_URL,
    testDatabaseUrl: e.TEST_DATABASE_URL ?? e.DATABASE_URL,
    dataDir: resolve(cwd, e.COSTBRIDGE_DATA_DIR),
    timezone: e.COSTBRIDGE_TIMEZONE,
    logLevel: e.LOG_LEVEL,
    defaultActor: e.COSTBRIDGE_USER ?? (e.USER ? `cli:${e.USER}` : 'cli'),
  });
}
