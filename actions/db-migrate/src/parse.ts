/**
 * Pure parsers for this action's own input forms. Each throws a
 * ConfigurationError naming the input; none ever repeats a database URL,
 * since it holds a password.
 */
import { ConfigurationError } from '@deploy-suite/kit';

/** Where a database URL points, for messages: never the password. */
export interface ConnectionTarget {
  /** The URL as given (holds the password: pass it to the driver only). */
  url: string;
  host: string;
  port: number;
  database: string;
  user: string;
  /** libpq's sslmode, when the URL sets one. */
  sslMode?: string;
}

const URL_FORM = 'a PostgreSQL URL such as postgres://user:password@host:5432/database';

export function parseDatabaseUrl(name: string, raw: string): ConnectionTarget {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigurationError(`input "${name}" must be ${URL_FORM}; the value given is not a URL`);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new ConfigurationError(`input "${name}" must be ${URL_FORM}; got a URL with scheme "${parsed.protocol.replace(/:$/, '')}"`);
  }
  // libpq lets ?host= and ?port= override the authority (e.g. a Unix socket directory).
  const host = parsed.searchParams.get('host') ?? decodeURIComponent(parsed.hostname.replace(/^\[(.+)\]$/, '$1'));
  if (host === '') throw new ConfigurationError(`input "${name}" must be ${URL_FORM}; the URL has no host`);
  const portText = parsed.searchParams.get('port') ?? (parsed.port || '5432');
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new ConfigurationError(`input "${name}" must be ${URL_FORM}; the port "${portText}" is not a port number`);
  }
  const user = parsed.searchParams.get('user') ?? safeDecode(parsed.username);
  const database = parsed.searchParams.get('dbname') ?? (safeDecode(parsed.pathname.replace(/^\//, '')) || user);
  if (user === '') throw new ConfigurationError(`input "${name}" must be ${URL_FORM}; the URL names no user`);
  const sslMode = parseSslMode(name, parsed.searchParams);
  return { url: raw, host, port, database, user, ...(sslMode ? { sslMode } : {}) };
}

/**
 * libpq's sslmode values, the ones pg_dump (PGSSLMODE) accepts. pg takes any
 * other value as full verification (so a typo connected with a surprise and
 * pg_dump failed late on "invalid sslmode value"), and its own `no-verify`
 * is no libpq value: both are refused before connecting.
 */
export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;

function parseSslMode(name: string, query: URLSearchParams): string | undefined {
  if (!query.has('sslmode')) return undefined;
  const given = query.getAll('sslmode');
  const value = given[0] as string;
  if (given.length === 1 && (SSL_MODES as readonly string[]).includes(value)) return value;
  // The mode alone is quoted, never the URL, and only when it looks like a mode (it could be anything pasted).
  const got = given.length > 1 ? 'it sets sslmode more than once' : /^[A-Za-z-]{1,20}$/.test(value) ? `got "${value}"` : 'got another value';
  throw new ConfigurationError(`input "${name}" has an unknown sslmode: it must be one of ${SSL_MODES.map((mode) => `"${mode}"`).join(', ')}; ${got}`);
}

/** `host:port/database` for logs and errors. */
export function describeTarget(target: ConnectionTarget): string {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return `${host}:${target.port}/${target.database}`;
}

/** A migration version: digits, compared as a number (leading zeros do not matter). */
export function parseVersion(name: string, raw: string): bigint {
  const text = raw.trim().replace(/^V/i, '');
  if (!/^\d{1,18}$/.test(text)) throw new ConfigurationError(`input "${name}" must be a migration version (digits, e.g. 42 or 20240131120000), got "${raw}"`);
  return BigInt(text);
}

export interface TableName {
  schema?: string;
  table: string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** `table` or `schema.table`, plain identifiers only (they are quoted when used). */
export function parseTableName(name: string, raw: string): TableName {
  const parts = raw.split('.');
  if (parts.length > 2 || !parts.every((part) => IDENTIFIER.test(part))) {
    throw new ConfigurationError(`input "${name}" must be a table name or schema.table of letters, digits and underscores, got "${raw}"`);
  }
  return parts.length === 2 ? { schema: parts[0] as string, table: parts[1] as string } : { table: parts[0] as string };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The password the driver sends, as pg reads it: a `?password=` query value
 * wins over the URL's own, which is percent-decoded (a stray `%` kept as is).
 * Empty when the URL has none.
 */
export function urlPassword(target: ConnectionTarget): string {
  const parsed = new URL(target.url);
  return parsed.searchParams.get('password') || safeDecode(parsed.password);
}

/** The password of the URL as written and decoded: what must never reach a summary. */
export function passwordForms(target: ConnectionTarget): string[] {
  const raw = new URL(target.url).password;
  return [...new Set([raw, safeDecode(raw), urlPassword(target)])].filter((form) => form !== '');
}

/** Replaces each secret in text with ***. The runner masks logs, but not step summaries. */
export function redact(text: string, secrets: readonly string[]): string {
  return secrets.reduce((result, secret) => result.split(secret).join('***'), text);
}
