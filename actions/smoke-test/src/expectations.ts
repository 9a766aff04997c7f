/**
 * What a check expects of a response, parsed from the user's text (parsers
 * throw ConfigurationError via the `invalid` callback the caller passes, which
 * knows where in the input the value came from), and the evaluation of one
 * response against them: a list of unmet expectations, each a sentence that
 * says what was expected and what came.
 */
import { isDeepStrictEqual } from 'node:util';
import { query, type JsonValue } from 'jsonpath-rfc9535';
import parseJsonPath from 'jsonpath-rfc9535/parser';
import { formatDuration } from '@deploy-suite/kit';
import { BODY_EXCERPT_CHARS } from './constants.js';

/** Builds the error for a bad value; the caller prefixes where it was found. */
export type Invalid = (detail: string) => Error;

/** `substring` matches anywhere in the text; `/regex/flags` is a regular expression. */
export type TextExpectation = { kind: 'substring'; text: string } | { kind: 'pattern'; pattern: RegExp };

export interface StatusRange {
  min: number;
  max: number;
}

export interface JsonExpectation {
  /** An RFC 9535 JSONPath, e.g. `$.version`. */
  path: string;
  /** `/regex/` matches the value's text; otherwise the text, or the JSON literal it spells, equals the value. */
  expected: TextExpectation | { kind: 'equals'; text: string; literal?: unknown };
}

export interface HeaderExpectation {
  /** Lower case. */
  name: string;
  expected: TextExpectation;
}

export const ANY_2XX: readonly StatusRange[] = [{ min: 200, max: 299 }];

const REGEX_FORM = /^\/(.+)\/([a-z]*)$/s;

export function parseTextExpectation(raw: string, invalid: Invalid): TextExpectation {
  const match = REGEX_FORM.exec(raw);
  if (!match) return { kind: 'substring', text: raw };
  const [, source, flags] = match as unknown as [string, string, string];
  try {
    // `g` and `y` make `test` stateful between calls; a check tests many responses.
    return { kind: 'pattern', pattern: new RegExp(source, flags.replace(/[gy]/g, '')) };
  } catch (error) {
    throw invalid(`"${raw}" is not a valid regular expression: ${(error as Error).message}`);
  }
}

export function describeText(expectation: TextExpectation): string {
  return expectation.kind === 'pattern' ? `matching ${String(expectation.pattern)}` : `containing ${JSON.stringify(expectation.text)}`;
}

function matchesText(expectation: TextExpectation, text: string): boolean {
  return expectation.kind === 'pattern' ? expectation.pattern.test(text) : text.includes(expectation.text);
}

const STATUS_FORM = 'status codes or ranges such as 200, "2xx", "200-204" or "200, 301"';

/** `200`, `"2xx"`, `"200-299"`, `"200, 204"`, or a list of these. */
export function parseStatusExpectation(raw: unknown, invalid: Invalid): StatusRange[] {
  const parts: string[] = [];
  const items = Array.isArray(raw) ? raw : [raw];
  for (const item of items) {
    if (typeof item !== 'number' && typeof item !== 'string') throw invalid(`must be ${STATUS_FORM}, got ${JSON.stringify(item)}`);
    parts.push(...String(item).split(','));
  }
  const ranges: StatusRange[] = [];
  for (const part of parts.map((text) => text.trim())) {
    let range: StatusRange | undefined;
    const exact = /^(\d{3})$/.exec(part);
    const family = /^([1-5])xx$/i.exec(part);
    const span = /^(\d{3})\s*-\s*(\d{3})$/.exec(part);
    if (exact) range = { min: Number(exact[1]), max: Number(exact[1]) };
    else if (family) range = { min: Number(family[1]) * 100, max: Number(family[1]) * 100 + 99 };
    else if (span) range = { min: Number(span[1]), max: Number(span[2]) };
    if (!range || range.min < 100 || range.max > 599 || range.min > range.max) throw invalid(`must be ${STATUS_FORM}, got ${JSON.stringify(part)}`);
    ranges.push(range);
  }
  if (ranges.length === 0) throw invalid(`must be ${STATUS_FORM}, got nothing`);
  return ranges;
}

export function describeStatus(ranges: readonly StatusRange[]): string {
  return ranges
    .map(({ min, max }) => (min === max ? String(min) : min % 100 === 0 && max === min + 99 ? `${min / 100}xx` : `${min}-${max}`))
    .join(', ');
}

export function statusMatches(ranges: readonly StatusRange[], status: number): boolean {
  return ranges.some(({ min, max }) => status >= min && status <= max);
}

/** Index of the `=` that ends the path: the first outside brackets and quotes (filters contain `==`). */
function pathEnd(text: string): number {
  let depth = 0;
  let quote: string | undefined;
  for (let index = 0; index < text.length; index++) {
    const character = text[index];
    if (quote) {
      if (character === '\\') index++;
      else if (character === quote) quote = undefined;
    } else if (character === '"' || character === "'") quote = character;
    else if (character === '[' || character === '(') depth++;
    else if (character === ']' || character === ')') depth--;
    else if (character === '=' && depth === 0) return index;
  }
  return -1;
}

const JSON_FORM = '"<JSONPath>=<value>", e.g. "$.version=1.4.2" or "$.status=/^ok$/"';

/** `$.version=abc123`: an RFC 9535 JSONPath, `=`, and the value (text, a JSON literal, or `/regex/`). */
export function parseJsonExpectation(raw: string, invalid: Invalid): JsonExpectation {
  const equals = pathEnd(raw);
  if (equals <= 0) throw invalid(`must be ${JSON_FORM}, got ${JSON.stringify(raw)}`);
  const path = raw.slice(0, equals).trim();
  const value = raw.slice(equals + 1).trim();
  try {
    parseJsonPath(path);
  } catch (error) {
    const column = (error as { location?: { start?: { column?: number } } }).location?.start?.column;
    const where = column ? ` (at column ${column})` : '';
    throw invalid(`${JSON.stringify(path)} is not a valid JSONPath${where}; expected ${JSON_FORM} with an RFC 9535 path such as $.version or $.build["sha"]`);
  }
  if (REGEX_FORM.test(value)) return { path, expected: parseTextExpectation(value, invalid) };
  let literal: unknown;
  try {
    literal = JSON.parse(value);
  } catch {
    literal = undefined;
  }
  return { path, expected: { kind: 'equals', text: value, ...(literal !== undefined ? { literal } : {}) } };
}

function jsonText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function jsonValueMatches(expected: JsonExpectation['expected'], actual: unknown): boolean {
  if (expected.kind !== 'equals') return matchesText(expected, jsonText(actual));
  return (typeof actual === 'string' && actual === expected.text) || ('literal' in expected && isDeepStrictEqual(actual, expected.literal));
}

export function describeJsonExpected(expected: JsonExpectation['expected']): string {
  return expected.kind === 'equals' ? `= ${expected.text}` : describeText(expected);
}

/** What an attempt saw, as far as expectations care. */
export interface ObservedResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  latencyMs: number;
  /** The response was a redirect that was not followed because the limit was reached. */
  redirectLimitReached?: boolean;
}

export interface Expectations {
  status: readonly StatusRange[];
  body: readonly TextExpectation[];
  json: readonly JsonExpectation[];
  headers: readonly HeaderExpectation[];
  maxLatencyMs?: number;
}

export function excerpt(text: string, limit = BODY_EXCERPT_CHARS): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > limit ? `${flat.slice(0, limit)}… (${text.length} chars)` : flat;
}

function headerValue(headers: ObservedResponse['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Every expectation the response does not meet, in words; empty when it passes. */
export function unmetExpectations(expectations: Expectations, response: ObservedResponse): string[] {
  const unmet: string[] = [];
  if (!statusMatches(expectations.status, response.status)) {
    const redirect = response.redirectLimitReached ? ' (a redirect, and the max-redirects limit was reached)' : '';
    unmet.push(`status ${response.status}${redirect}, expected ${describeStatus(expectations.status)}`);
  }
  for (const expectation of expectations.body) {
    if (!matchesText(expectation, response.body)) unmet.push(`body ${describeText(expectation)} not found`);
  }
  if (expectations.json.length > 0) {
    let document: JsonValue | undefined;
    try {
      document = JSON.parse(response.body) as JsonValue;
    } catch {
      unmet.push(`body is not JSON, expected ${expectations.json.map((expectation) => `${expectation.path} ${describeJsonExpected(expectation.expected)}`).join(' and ')}`);
    }
    if (document !== undefined) {
      for (const expectation of expectations.json) {
        const values = query(document, expectation.path);
        if (values.length === 0) unmet.push(`${expectation.path} not found in the JSON body, expected ${describeJsonExpected(expectation.expected)}`);
        else {
          const wrong = values.find((value) => !jsonValueMatches(expectation.expected, value));
          if (wrong !== undefined) unmet.push(`${expectation.path} is ${excerpt(JSON.stringify(wrong), 80)}, expected ${describeJsonExpected(expectation.expected)}`);
        }
      }
    }
  }
  for (const { name, expected } of expectations.headers) {
    const value = headerValue(response.headers, name);
    if (value === undefined) unmet.push(`header ${name} missing, expected one ${describeText(expected)}`);
    else if (!matchesText(expected, value)) unmet.push(`header ${name} is ${JSON.stringify(excerpt(value, 80))}, expected ${describeText(expected)}`);
  }
  if (expectations.maxLatencyMs !== undefined && response.latencyMs > expectations.maxLatencyMs) {
    unmet.push(`latency ${formatDuration(response.latencyMs)} over max-latency ${formatDuration(expectations.maxLatencyMs)}`);
  }
  return unmet;
}
