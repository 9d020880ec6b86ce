import { CostbridgeError } from '../domain/costbridge-error.js';

/** What a failure message may mention about the configured database, with no credentials. */
export interface FailureContext {
  /** DATABASE_URL as configured (its password is scrubbed from every line). */
  readonly databaseUrl?: string | undefined;
}

// user:password@ in any URL-shaped text.
const urlCredentials = /([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]*@/gi;

/** Removes passwords from text: any `scheme://user:password@`, and the configured URL's password wherever it appears. */
export function scrubSecrets(text: string, context: FailureContext = {}): string {
  let out = text.replace(urlCredentials, '$1***@');
  const password = urlPassword(context.databaseUrl);
  if (password && password.length >= 3) out = out.split(password).join('***');
  return out;
}

function urlPassword(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const p = new URL(url).password;
    return p ? decodeURIComponent(p) : undefined;
  } catch {
    return undefined;
  }
}

/** `host:port/database` of DATABASE_URL, for people to read. */
function databaseWhere(url: string | undefined): string {
  if (!url) return 'the database';
  try {
    const u = new URL(url);
    return `PostgreSQL at ${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return 'the database in DATABASE_URL';
  }
}

type SystemError = Error & { code?: string; syscall?: string; path?: string; address?: string; port?: number; dest?: string; hostname?: string };
type PgError = Error & { code?: string; severity?: string; table?: string; column?: string; constraint?: string };

const fileReasons: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'it is a directory, not a file',
  ENOTDIR: 'a part of the path is not a directory',
  EEXIST: 'it already exists',
  ENOSPC: 'no space left on the device',
  EROFS: 'the file system is read-only',
  EMFILE: 'too many open files',
  ELOOP: 'too many symbolic links (or a link where none is allowed)',
  ENAMETOOLONG: 'the name is too long',
};

const fileVerbs: Record<string, string> = {
  open: 'open',
  read: 'read',
  write: 'write',
  stat: 'read',
  lstat: 'read',
  scandir: 'list the directory',
  opendir: 'list the directory',
  mkdir: 'create the directory',
  rename: 'move',
  unlink: 'remove',
  link: 'create',
  copyfile: 'copy',
};

const networkCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET']);

/**
 * A failure as one line a person can act on (and indented detail lines for a CostbridgeError),
 * naming the file, argument or setting involved, never a stack trace and never a password.
 */
export function describeFailure(e: unknown, context: FailureContext = {}): string[] {
  const lines = describe(e, context);
  return lines.map((l) => scrubSecrets(l, context));
}

function describe(e: unknown, context: FailureContext): string[] {
  if (e instanceof CostbridgeError) return [e.message, ...e.details.map((d) => `  ${d}`)];
  if (!(e instanceof Error)) return [`unexpected failure: ${String(e)}`];
  const err = e as SystemError & PgError;
  const code = err.code;

  // PostgreSQL errors carry a five-character SQLSTATE and a severity.
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && err.severity) {
    const where = databaseWhere(context.databaseUrl);
    if (code.startsWith('28') || code === '3D000') {
      return [`${where} refused costbridge: ${err.message} (check the user, password and database name in DATABASE_URL)`];
    }
    if (code === '42501') {
      return [`${where}: ${err.message}; the DATABASE_URL user needs to own the database (or hold CREATE on it) to apply costbridge's migrations`];
    }
    if (code.startsWith('08') || code === '57P01' || code === '57P03') {
      return [`${where} closed the connection: ${err.message} (SQLSTATE ${code})`];
    }
    const detail = [err.table && `table ${err.table}`, err.column && `column ${err.column}`, err.constraint && `constraint ${err.constraint}`].filter(Boolean).join(', ');
    return [`database error ${code}: ${err.message}${detail ? ` (${detail})` : ''}`];
  }

  if (code === 'EADDRINUSE' || (code === 'EACCES' && err.syscall === 'listen')) {
    const what = code === 'EADDRINUSE' ? 'it is already in use' : 'permission denied';
    return [`cannot listen on port ${err.port ?? '?'}: ${what} (set PORT to another port)`];
  }

  if (code && networkCodes.has(code) && (err.syscall === 'connect' || err.syscall === 'getaddrinfo' || err.syscall === 'read' || err.syscall === 'write' || err.address)) {
    const target = err.address ? `${err.address}${err.port ? `:${err.port}` : ''}` : (err.hostname ?? '');
    if (context.databaseUrl) {
      return [`cannot reach ${databaseWhere(context.databaseUrl)} (${code}${target ? ` ${target}` : ''}); check DATABASE_URL and that the server is running`];
    }
    return [`cannot connect to ${target || 'the server'} (${code})`];
  }

  if (code && err.path && (fileReasons[code] || err.syscall)) {
    const verb = fileVerbs[err.syscall ?? ''] ?? 'use';
    const reason = fileReasons[code] ?? `${code}`;
    const dest = err.dest ? ` to ${err.dest}` : '';
    return [`cannot ${verb} ${err.path}${dest}: ${reason}`];
  }

  if (code && fileReasons[code] && !err.path) {
    return [`${fileReasons[code]} (${code}${err.syscall ? `, ${err.syscall}` : ''}): check the files and directories given`];
  }

  // pg reports a refused or broken connection with these plain messages.
  if (/^(Connection terminated|connection timeout|timeout expired)/i.test(err.message)) {
    return [`lost the connection to ${databaseWhere(context.databaseUrl)}: ${err.message}`];
  }

  const name = err.name && err.name !== 'Error' ? `${err.name}: ` : '';
  return [`unexpected failure: ${name}${err.message} (LOG_LEVEL=debug prints where it happened)`];
}

/** The stack of an error, scrubbed, for LOG_LEVEL=debug (and lower). */
export function failureStack(e: unknown, context: FailureContext = {}): string | undefined {
  const stack = e instanceof Error ? e.stack : undefined;
  return stack ? scrubSecrets(stack, context) : undefined;
}
