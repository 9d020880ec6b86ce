import { pino, type DestinationStream, type Logger } from 'pino';
import type { Config } from './config.js';

export type { Logger } from 'pino';

// Token shapes that must never reach a log line, whatever field or message they hide in.
const secretPatterns = [/xox[abpeor]-[A-Za-z0-9-]+/g, /xapp-[A-Za-z0-9-]+/g, /(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi];

/** Key paths redacted wherever they appear in a logged object (headers, client options). */
const redactPaths = [
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'appPassword',
  'password',
  'authorization',
  '*.token',
  '*.botToken',
  '*.appToken',
  '*.signingSecret',
  '*.appPassword',
  '*.password',
  '*.authorization',
  '*.Authorization',
  'headers.authorization',
  'req.headers.authorization',
  'headers["x-slack-signature"]',
];

/** The configured credentials, for scrubbing from every log line by value. */
export function configuredSecrets(config: Config): string[] {
  const { slack, teams } = config.chat;
  return [slack?.botToken, slack?.signingSecret, slack?.appToken, teams?.appPassword].filter(
    (s): s is string => typeof s === 'string' && s.length >= 6,
  );
}

/**
 * The structured JSON logger: level from `LOG_LEVEL`, credentials redacted by key and scrubbed by
 * value (the configured secrets and anything shaped like a Slack token or a bearer token).
 */
export function createLogger(
  config: Config,
  options: { name?: string; destination?: DestinationStream } = {},
): Logger {
  const secrets = configuredSecrets(config);
  const scrub = (line: string): string => {
    let out = line;
    for (const s of secrets) out = out.split(s).join('[redacted]');
    for (const p of secretPatterns) out = out.replace(p, (_m, prefix?: string) => `${typeof prefix === 'string' ? prefix : ''}[redacted]`);
    return out;
  };
  return pino(
    {
      name: options.name ?? 'costbridge',
      level: config.logLevel,
      redact: { paths: redactPaths, censor: '[redacted]' },
      hooks: { streamWrite: scrub },
    },
    options.destination ?? pino.destination({ dest: 2, sync: false }),
  );
}
