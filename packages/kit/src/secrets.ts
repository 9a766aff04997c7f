/**
 * Secrets must be registered with the runner before anything could print them:
 * the runner then replaces them with *** in every later log line. The runner
 * matches exact text, so each secret is registered in every form it may be
 * printed in (JSON-, HTML- and URL-encoded), and kept here too: outputs are not
 * masked by the runner, so what an action writes to outputs, reports and
 * summaries goes through `redactSecrets`.
 */
import { Buffer } from 'node:buffer';
import * as core from '@actions/core';

/** Every form registered so far (each also sent to the runner once). */
const registered = new Set<string>();
/** The same, longest first, rebuilt when a form is added: a longer form must be replaced before a shorter one inside it. */
let byLength: string[] = [];

function register(form: string): void {
  if (form.trim() === '' || registered.has(form)) return;
  registered.add(form);
  byLength = [...registered].sort((a, b) => b.length - a.length);
  core.setSecret(form);
}

const JSON_HTML_UNSAFE: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026' };

/**
 * The forms a value takes when a program prints it: raw, inside a JSON string
 * (as JSON.stringify writes it, as Go writes it with < > & escaped too, as PHP
 * writes it with / escaped), HTML-escaped (quotes left alone, or as named,
 * decimal and hex entities: Go, Python, PHP), percent-encoded (and with + for spaces, as forms
 * are). Each distinct form once.
 */
export function secretForms(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  const html = value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const percent = encodeURIComponent(value);
  return [
    ...new Set([
      value,
      json,
      json.replace(/[<>&]/g, (character) => JSON_HTML_UNSAFE[character] as string),
      json.replace(/\//g, '\\/'),
      // Text content escapes only & < >; some escapers leave ' alone in attributes too.
      html,
      html.replace(/"/g, '&quot;'),
      html.replace(/"/g, '&quot;').replace(/'/g, '&#39;'),
      html.replace(/"/g, '&#34;').replace(/'/g, '&#39;'),
      html.replace(/"/g, '&quot;').replace(/'/g, '&#x27;'),
      html.replace(/"/g, '&quot;').replace(/'/g, '&#039;'),
      html.replace(/"/g, '&quot;').replace(/'/g, '&apos;'),
      percent,
      percent.replace(/%20/g, '+'),
    ]),
  ];
}

/** Registers a secret in every form it may be printed in, and each of its lines, since the runner masks line by line. */
export function maskSecret(value: string | undefined): void {
  if (value === undefined || value.trim() === '') return;
  for (const form of secretForms(value)) register(form);
  const lines = value.split(/\r?\n/).map((line) => line.trim());
  if (lines.length > 1) for (const line of lines) if (line.length >= 4) register(line);
}

/** Environment values this long or longer are registered as secrets; shorter ones (`on`, `debug`) would blank common words. */
export const ENVIRONMENT_MASK_MIN_LENGTH = 8;

/** Masks an environment variable's value that may be a credential: any value of ENVIRONMENT_MASK_MIN_LENGTH characters or more. */
export function maskEnvironmentValue(value: string | undefined): void {
  if (value !== undefined && value.trim().length >= ENVIRONMENT_MASK_MIN_LENGTH) maskSecret(value);
}

/**
 * Registers a credential sent as an HTTP header value: the whole value and,
 * for `<scheme> <credentials>`, the credentials alone; a Basic value also as
 * its decoded `user:password` and the password.
 */
export function maskHeaderValue(value: string | undefined): void {
  if (value === undefined || value.trim() === '') return;
  maskSecret(value);
  const match = /^\s*([A-Za-z][\w.+-]*)\s+(\S.*?)\s*$/.exec(value);
  if (!match) return;
  const [, scheme, credentials] = match as unknown as [string, string, string];
  maskSecret(credentials);
  if (scheme.toLowerCase() === 'basic' && /^[A-Za-z0-9+/]+={0,2}$/.test(credentials)) {
    const decoded = Buffer.from(credentials, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon >= 0) {
      maskSecret(decoded);
      maskSecret(decoded.slice(colon + 1));
    }
  }
}

/**
 * Standard headers that describe the content or the client and never carry a
 * credential: their values are left readable (masking `application/json` would
 * blank it everywhere in the log). Every other header is the user's choice and
 * may be a credential whatever its name (`X-Tenant`, a routing secret).
 */
const DESCRIPTIVE_HEADERS = new Set([
  'accept',
  'accept-charset',
  'accept-encoding',
  'accept-language',
  'cache-control',
  'connection',
  'content-encoding',
  'content-language',
  'content-length',
  'content-type',
  'pragma',
  'user-agent',
]);

/**
 * Shorter header values are no credential, and a mask on `1` or `yes` would
 * blank that text everywhere in the job's log.
 */
const MIN_GIVEN_HEADER_SECRET = 4;

/**
 * Registers the values of headers a user gave (a smoke check's `headers`)
 * before any request: every value but those of DESCRIPTIVE_HEADERS and the
 * very short ones, each as `maskHeaderValue` does (schemes, Basic decoded).
 * Returns the values masked.
 */
export function maskGivenHeaders(headers: Readonly<Record<string, string>>): string[] {
  const masked = Object.entries(headers)
    .filter(([name, value]) => !DESCRIPTIVE_HEADERS.has(name.toLowerCase()) && value.trim().length >= MIN_GIVEN_HEADER_SECRET)
    .map(([, value]) => value);
  for (const value of masked) maskHeaderValue(value);
  return masked;
}

/** The `Authorization` value for Basic credentials, registered as a secret (with the password) before it is returned. */
export function basicAuthorization(username: string, password: string): string {
  const credentials = Buffer.from(`${username}:${password}`).toString('base64');
  maskSecret(password);
  maskSecret(credentials);
  return `Basic ${credentials}`;
}

/**
 * Text with every registered secret, in every form, replaced by ***: for what
 * the runner does not mask (outputs, files, reports) and for text a server sent
 * back, which may echo a credential in a form of its own choosing.
 */
export function redactSecrets(text: string): string {
  let result = text;
  for (const form of byLength) if (result.includes(form)) result = result.split(form).join('***');
  return result;
}

/** Strings inside objects and arrays redacted one by one, so the JSON stays well-formed. */
export function redactSecretsDeep<T>(value: T): T {
  if (byLength.length === 0) return value;
  return JSON.parse(JSON.stringify(value), (_key, item: unknown) => (typeof item === 'string' ? redactSecrets(item) : item)) as T;
}

/** Sets a step output with every registered secret redacted: the runner masks the log, never outputs. */
export function setSafeOutput(name: string, value: string): void {
  core.setOutput(name, redactSecrets(value));
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
  if (parsed.password) {
    secrets.add(parsed.password).add(safeDecode(parsed.password));
    // What a client derives from the user info (curl, undici, smoke-test): `Authorization: Basic base64(user:password)`.
    secrets.add(Buffer.from(`${safeDecode(parsed.username)}:${safeDecode(parsed.password)}`).toString('base64'));
  }
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
