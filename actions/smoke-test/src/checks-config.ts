/**
 * Turns the `urls` and `checks` inputs into typed checks. Pure: every problem
 * is a ConfigurationError that names the input, the check and the key, and
 * never echoes a header value or a URL's credentials.
 */
import { ConfigurationError, DURATION_FORM, parseDuration, redactUrl } from '@deploy-suite/kit';
import { CheckKey, HTTP_METHODS, type HttpMethod } from './constants.js';
import {
  ANY_2XX,
  parseJsonExpectation,
  parseStatusExpectation,
  parseTextExpectation,
  type Expectations,
  type HeaderExpectation,
  type Invalid,
  type JsonExpectation,
  type TextExpectation,
} from './expectations.js';

export interface CheckSpec {
  name: string;
  /** As given: it may hold credentials, so it is only ever used to send requests. */
  url: string;
  /** The URL with credentials replaced by ***, for logs, errors and the report. */
  displayUrl: string;
  method: HttpMethod;
  headers: Record<string, string>;
  body?: string;
  expect: Expectations;
}

const CHECK_KEYS: readonly string[] = Object.values(CheckKey);
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** An absolute http(s) URL, or a ConfigurationError that says how to fix it. */
export function parseHttpUrl(raw: string, invalid: Invalid): URL {
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  // `localhost:8080/health` parses with the scheme "localhost:", so the scheme is checked too.
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    // Without a scheme the URL does not parse, yet its query may hold a token: redact it as if https.
    const shown = url ? redactUrl(raw) : URL.canParse(`https://${raw}`) ? redactUrl(`https://${raw}`).slice('https://'.length) : raw;
    throw invalid(`${JSON.stringify(shown)} is not an absolute http(s) URL; give the scheme, e.g. "https://${shown.replace(/^[a-z][a-z0-9+.-]*:\/*/i, '')}"`);
  }
  return url;
}

function defaultName(method: HttpMethod, displayUrl: string): string {
  return `${method} ${displayUrl}`;
}

/** One check per URL of the `urls` input, each expected to answer 2xx. */
export function checksFromUrls(inputName: string, urls: readonly string[]): CheckSpec[] {
  return urls.map((raw) => {
    parseHttpUrl(raw, (detail) => new ConfigurationError(`input "${inputName}": ${detail}`));
    const displayUrl = redactUrl(raw);
    return { name: defaultName('GET', displayUrl), url: raw, displayUrl, method: 'GET', headers: {}, expect: { status: ANY_2XX, body: [], json: [], headers: [] } };
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function scalarText(value: unknown, invalid: Invalid, what: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw invalid(`${what} must be text, got ${describeType(value)}`);
}

/** A string or a list of strings, as a list. */
function textList(value: unknown, invalid: Invalid, key: string): string[] {
  const items = Array.isArray(value) ? value : [value];
  return items.map((item) => scalarText(item, invalid, `"${key}"`));
}

function mapping(value: unknown, invalid: Invalid, key: string, options: { secretValues?: boolean } = {}): Record<string, unknown> {
  if (!isRecord(value)) {
    // `headers: "Authorization: Bearer …"` (one string, not a mapping) holds the credential itself.
    const got = options.secretValues && typeof value === 'string' ? 'text, not shown as it may hold a credential' : describeType(value);
    throw invalid(`"${key}" must be a mapping of header names to values, got ${got}`);
  }
  return value;
}

function parseHeaders(value: unknown, invalid: Invalid): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, raw] of Object.entries(mapping(value, invalid, CheckKey.Headers, { secretValues: true }))) {
    if (!HEADER_NAME.test(name)) throw invalid(`"${CheckKey.Headers}": ${JSON.stringify(name)} is not a valid header name`);
    // The value is never shown: it may be a credential.
    const text = scalarText(raw, invalid, `the value of header "${name}"`);
    // What undici accepts in a header value; anything else would fail every attempt until the deadline.
    if (/[^\t\x20-\x7e\x80-\xff]/.test(text)) {
      throw invalid(`"${CheckKey.Headers}": the value of "${name}" contains a line break, a control character or a character outside Latin-1, which a header cannot carry`);
    }
    headers[name] = text;
  }
  return headers;
}

function parseHeaderExpectations(value: unknown, invalid: Invalid): HeaderExpectation[] {
  return Object.entries(mapping(value, invalid, CheckKey.ExpectHeader)).map(([name, raw]) => {
    if (!HEADER_NAME.test(name)) throw invalid(`"${CheckKey.ExpectHeader}": ${JSON.stringify(name)} is not a valid header name`);
    const where: Invalid = (detail) => invalid(`"${CheckKey.ExpectHeader}" ${name}: ${detail}`);
    return { name: name.toLowerCase(), expected: parseTextExpectation(scalarText(raw, where, 'the value'), where) };
  });
}

function parseMethod(value: unknown, invalid: Invalid): HttpMethod {
  const text = scalarText(value, invalid, `"${CheckKey.Method}"`).toUpperCase();
  if (!(HTTP_METHODS as readonly string[]).includes(text)) throw invalid(`"${CheckKey.Method}" must be one of ${HTTP_METHODS.join(', ')}, got ${JSON.stringify(value)}`);
  return text as HttpMethod;
}

function parseLatency(value: unknown, invalid: Invalid): number {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  const text = scalarText(value, invalid, `"${CheckKey.MaxLatency}"`);
  try {
    return parseDuration(CheckKey.MaxLatency, text, { positive: true });
  } catch {
    // Reported below with the check's position.
  }
  throw invalid(`"${CheckKey.MaxLatency}" must be ${DURATION_FORM} (more than 0), got ${JSON.stringify(text)}`);
}

function parseOneCheck(entry: unknown, invalid: Invalid): CheckSpec {
  if (!isRecord(entry)) throw invalid(`must be a mapping with at least "${CheckKey.Url}", got ${describeType(entry)}`);
  const unknown = Object.keys(entry).filter((key) => !CHECK_KEYS.includes(key));
  if (unknown.length > 0) {
    throw invalid(`unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map((key) => JSON.stringify(key)).join(', ')}; valid keys are ${CHECK_KEYS.join(', ')}`);
  }
  if (entry[CheckKey.Url] === undefined || entry[CheckKey.Url] === null) throw invalid(`"${CheckKey.Url}" is required`);
  const url = scalarText(entry[CheckKey.Url], invalid, `"${CheckKey.Url}"`);
  parseHttpUrl(url, (detail) => invalid(`"${CheckKey.Url}": ${detail}`));
  const displayUrl = redactUrl(url);

  let body: string | undefined;
  let headers = entry[CheckKey.Headers] === undefined ? {} : parseHeaders(entry[CheckKey.Headers], invalid);
  const rawBody = entry[CheckKey.Body];
  if (rawBody !== undefined && rawBody !== null) {
    if (typeof rawBody === 'object') {
      // A structured body is sent as JSON, labelled so unless the check says otherwise.
      body = JSON.stringify(rawBody);
      if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) headers = { ...headers, 'content-type': 'application/json' };
    } else body = scalarText(rawBody, invalid, `"${CheckKey.Body}"`);
  }
  // Like `curl -d`, a body without a method is a POST.
  const method = entry[CheckKey.Method] === undefined ? (body === undefined ? 'GET' : 'POST') : parseMethod(entry[CheckKey.Method], invalid);
  if (body !== undefined && (method === 'GET' || method === 'HEAD')) throw invalid(`"${CheckKey.Body}" cannot be sent with ${method}; use POST, PUT, PATCH or DELETE`);

  const has = (key: string): boolean => entry[key] !== undefined && entry[key] !== null;
  const where =
    (key: string): Invalid =>
    (detail) =>
      invalid(`"${key}" ${detail}`);
  const bodyExpectations: TextExpectation[] = has(CheckKey.ExpectBody)
    ? textList(entry[CheckKey.ExpectBody], invalid, CheckKey.ExpectBody).map((text) => parseTextExpectation(text, where(CheckKey.ExpectBody)))
    : [];
  const jsonExpectations: JsonExpectation[] = has(CheckKey.ExpectJson)
    ? textList(entry[CheckKey.ExpectJson], invalid, CheckKey.ExpectJson).map((text) => parseJsonExpectation(text, where(CheckKey.ExpectJson)))
    : [];
  const name = has(CheckKey.Name) ? scalarText(entry[CheckKey.Name], invalid, `"${CheckKey.Name}"`) : defaultName(method, displayUrl);
  return {
    name,
    url,
    displayUrl,
    method,
    headers,
    ...(body !== undefined ? { body } : {}),
    expect: {
      status: has(CheckKey.ExpectStatus) ? parseStatusExpectation(entry[CheckKey.ExpectStatus], where(CheckKey.ExpectStatus)) : ANY_2XX,
      body: bodyExpectations,
      json: jsonExpectations,
      headers: has(CheckKey.ExpectHeader) ? parseHeaderExpectations(entry[CheckKey.ExpectHeader], invalid) : [],
      ...(has(CheckKey.MaxLatency) ? { maxLatencyMs: parseLatency(entry[CheckKey.MaxLatency], invalid) } : {}),
    },
  };
}

/** The `checks` input's parsed YAML/JSON: a list of checks. `source` names the file it came from, if any. */
export function checksFromConfig(inputName: string, value: unknown, source?: string): CheckSpec[] {
  const from = source ? ` (${source})` : '';
  if (!Array.isArray(value)) throw new ConfigurationError(`input "${inputName}"${from} must be a list of checks, each a mapping with at least "${CheckKey.Url}"; got ${describeType(value)}`);
  if (value.length === 0) throw new ConfigurationError(`input "${inputName}"${from} is an empty list; give at least one check`);
  return value.map((entry, index) => {
    const label = isRecord(entry) && typeof entry[CheckKey.Name] === 'string' ? ` (${JSON.stringify(entry[CheckKey.Name])})` : '';
    return parseOneCheck(entry, (detail) => new ConfigurationError(`input "${inputName}"${from}, check ${index + 1}${label}: ${detail}`));
  });
}
