/**
 * Secrets must be registered with the runner before anything could print them:
 * the runner then replaces them with *** in every later log line.
 */
import * as core from '@actions/core';

/** Registers a secret, and each of its lines, since the runner masks line by line. */
export function maskSecret(value: string | undefined): void {
  if (value === undefined || value.trim() === '') return;
  core.setSecret(value);
  const lines = value.split(/\r?\n/).map((line) => line.trim());
  if (lines.length > 1) for (const line of lines) if (line.length >= 4) core.setSecret(line);
}

const SENSITIVE_QUERY_KEYS = /^(?:token|access_token|auth|key|api_key|apikey|sig|signature|password|secret|x-amz-signature|x-amz-credential|x-amz-security-token)$/i;

interface QueryPair {
  /** The pair exactly as written in the URL. */
  raw: string;
  /** The key as written, and decoded. */
  rawKey: string;
  key: string;
  /** The value as written, still percent-encoded. */
  rawValue: string;
}

/**
 * The query's pairs as written. URLSearchParams only gives decoded values, but
 * a printed URL shows the encoded form (a presigned URL's `X-Amz-Credential`
 * holds `%2F`), so both forms must be masked.
 */
function queryPairs(search: string): QueryPair[] {
  return search
    .replace(/^\?/, '')
    .split('&')
    .filter((raw) => raw !== '')
    .map((raw) => {
      const equals = raw.indexOf('=');
      const rawKey = equals < 0 ? raw : raw.slice(0, equals);
      return { raw, rawKey, key: decodeFormComponent(rawKey), rawValue: equals < 0 ? '' : raw.slice(equals + 1) };
    });
}

/**
 * Registers the parts of a URL that are credentials: its password and
 * sensitive query values, each raw and percent-decoded, and, when
 * `wholeUrlIsSecret` (e.g. a Slack webhook whose path is the secret), the URL
 * and its path.
 */
export function maskUrl(url: string | undefined, options: { wholeUrlIsSecret?: boolean } = {}): void {
  if (!url) return;
  const parsed = parseUrl(url);
  if (!parsed) {
    maskSecret(url);
    return;
  }
  // A Set: the raw and decoded forms are often the same, and one ::add-mask:: each is enough.
  const secrets = new Set<string>();
  if (parsed.password) secrets.add(parsed.password).add(safeDecode(parsed.password));
  for (const pair of queryPairs(parsed.search)) {
    if (SENSITIVE_QUERY_KEYS.test(pair.key)) secrets.add(pair.rawValue).add(decodeFormComponent(pair.rawValue));
  }
  if (options.wholeUrlIsSecret) {
    secrets.add(url).add(parsed.href);
    if (parsed.pathname.length > 1) secrets.add(parsed.pathname);
  }
  for (const secret of secrets) maskSecret(secret);
}

/** A URL safe to print: the password and sensitive query values replaced by ***; the rest as written. */
export function redactUrl(url: string): string {
  const parsed = parseUrl(url);
  if (!parsed) return '***';
  if (parsed.password) parsed.password = '***';
  const isSecretPair = (pair: QueryPair): boolean => pair.rawValue !== '' && SENSITIVE_QUERY_KEYS.test(pair.key);
  const pairs = queryPairs(parsed.search);
  // Only the secret values change: the other pairs stay byte for byte as written.
  if (pairs.some(isSecretPair)) parsed.search = pairs.map((pair) => (isSecretPair(pair) ? `${pair.rawKey}=***` : pair.raw)).join('&');
  return parsed.toString().replace(/%2A%2A%2A/g, '***');
}

/**
 * A URL with a host, else undefined. `user:pass@db` without a scheme parses as
 * scheme `user:` with an opaque path, so its password would pass as plain text.
 */
function parseUrl(text: string): URL | undefined {
  try {
    const parsed = new URL(text);
    return parsed.host === '' && text.includes('@') ? undefined : parsed;
  } catch {
    return undefined;
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Decodes a query component as URLSearchParams does (`+` is a space). */
function decodeFormComponent(text: string): string {
  return safeDecode(text.replace(/\+/g, ' '));
}
