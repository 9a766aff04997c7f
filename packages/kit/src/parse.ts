/**
 * Pure parsers for action input values. Each takes the input's name (for the
 * error) and its raw text, and throws a ConfigurationError that names the input
 * and the accepted form. Nothing here reads the environment.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { load as loadYaml, YAMLException } from 'js-yaml';
import { ConfigurationError } from './errors.js';

function invalid(name: string, expected: string, got: string): ConfigurationError {
  const shown = got.length > 80 ? `${got.slice(0, 77)}...` : got;
  return new ConfigurationError(`input "${name}" must be ${expected}, got "${shown}"`);
}

const TRUE_VALUES = new Set(['true', 'True', 'TRUE']);
const FALSE_VALUES = new Set(['false', 'False', 'FALSE']);

/** YAML 1.2 core schema booleans, as GitHub's own `getBooleanInput` accepts. */
export function parseBoolean(name: string, raw: string): boolean {
  if (TRUE_VALUES.has(raw)) return true;
  if (FALSE_VALUES.has(raw)) return false;
  throw invalid(name, '"true" or "false"', raw);
}

export interface IntegerRange {
  min?: number;
  max?: number;
}

export function parseInteger(name: string, raw: string, range: IntegerRange = {}): number {
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = range;
  const expected =
    range.min !== undefined && range.max !== undefined
      ? `an integer from ${min} to ${max}`
      : range.min !== undefined
        ? `an integer of at least ${min}`
        : range.max !== undefined
          ? `an integer of at most ${max}`
          : 'an integer';
  if (!/^[+-]?\d+$/.test(raw)) throw invalid(name, expected, raw);
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min || value > max) throw invalid(name, expected, raw);
  return value;
}

const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
const DURATION_PATTERN = /^(?:(\d+(?:\.\d+)?)(ms|s|m|h))+$/;
const DURATION_PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
export const DURATION_FORM = 'a duration such as 500ms, 90s, 10m, 1h or 1h30m';

/** Durations in milliseconds: `500ms`, `90s`, `10m`, `1h`, `1h30m`; `0` alone is allowed. */
export interface DurationOptions {
  /** Refuse zero: for timeouts and intervals, where zero would mean "never wait" or "spin". */
  positive?: boolean;
}

export function parseDuration(name: string, raw: string, options: DurationOptions = {}): number {
  const text = raw.trim();
  let total = 0;
  if (text !== '0') {
    if (!DURATION_PATTERN.test(text)) throw invalid(name, DURATION_FORM, raw);
    for (const [, amount, unit] of text.matchAll(DURATION_PART)) {
      total += Number(amount) * (DURATION_UNITS_MS[unit as string] as number);
    }
  }
  const ms = Math.round(total);
  if (options.positive && ms <= 0) throw invalid(name, `a duration above zero, such as 90s, 10m or 1h`, raw);
  return ms;
}

/** A value from a fixed set; the returned type narrows to that set. */
export function parseChoice<const T extends string>(name: string, raw: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(raw)) return raw as T;
  throw invalid(name, `one of ${choices.map((choice) => `"${choice}"`).join(', ')}`, raw);
}

/**
 * A list given one item per line, or comma-separated on a line; double quotes
 * keep a comma inside an item (`"a,b", c`). A quote inside an unquoted item is
 * literal (`echo "hi"`). Blank items are dropped.
 */
export function parseList(name: string, raw: string): string[] {
  const items: string[] = [];
  for (const line of raw.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    let records: string[][];
    try {
      records = parseCsv(line, { relax_column_count: true, relax_quotes: true, skip_empty_lines: true, trim: true }) as string[][];
    } catch (error) {
      throw new ConfigurationError(
        `input "${name}" must be a list (one item per line or comma-separated, quote items that contain commas): ${(error as Error).message}`,
      );
    }
    for (const record of records) for (const item of record) if (item !== '') items.push(item);
  }
  return items;
}

export interface KeyValueOptions {
  keyPattern?: RegExp;
  keyForm?: string;
  /** The values may be secrets: a malformed line is named by its number only, never shown. */
  sensitive?: boolean;
}

/**
 * `key=value` lines (the first `=` splits; the value may contain more).
 * Comment lines starting with `#` and blank lines are ignored; a repeated key is an error.
 */
export function parseKeyValues(name: string, raw: string, options: KeyValueOptions = {}): Map<string, string> {
  const entries = new Map<string, string>();
  raw.split(/\r?\n/).forEach((line, index) => {
    const text = line.trim();
    if (text === '' || text.startsWith('#')) return;
    const equals = text.indexOf('=');
    const where = `line ${index + 1}`;
    if (equals <= 0) {
      const shown = options.sensitive ? 'the line is not shown, as its value may be a secret' : `got "${text}"`;
      throw new ConfigurationError(`input "${name}" ${where} must be key=value${options.sensitive ? '; ' : ', '}${shown}`);
    }
    const key = text.slice(0, equals).trim();
    const value = text.slice(equals + 1).trim();
    if (options.keyPattern && !options.keyPattern.test(key)) {
      // A malformed key ("NAME: value=…") can hold part of a value: not shown when values are secret.
      const what = options.sensitive ? 'the key' : `key "${key}"`;
      throw new ConfigurationError(`input "${name}" ${where}: ${what} must be ${options.keyForm ?? `of the form ${options.keyPattern}`}`);
    }
    if (entries.has(key)) throw new ConfigurationError(`input "${name}" ${where}: key "${key}" is given twice`);
    entries.set(key, value);
  });
  return entries;
}

/** More nodes than any real configuration has: a document past it is an alias bomb or a mistake. */
const MAX_YAML_NODES = 100_000;

/**
 * Parses YAML (and so JSON) text; a syntax error names the input and the line.
 * js-yaml rather than the larger `yaml` package: it loads in a fraction of the
 * time (every action pays that at start) and is what dorny/paths-filter reads
 * filter files with, merge keys and anchors included.
 */
export function parseYamlText(name: string, text: string, source = 'inline value'): unknown {
  let value: unknown;
  try {
    // An empty document is null, as in YAML's own terms (js-yaml says undefined).
    value = loadYaml(text, { filename: source }) ?? null;
  } catch (error) {
    if (error instanceof YAMLException) {
      const where = error.mark ? ` at line ${error.mark.line + 1}, column ${error.mark.column + 1}` : '';
      throw new ConfigurationError(`input "${name}" is not valid YAML/JSON (${source}${where}): ${error.reason}`);
    }
    throw error;
  }
  // Aliases are shared, not copied, when loaded; code that walks the value would expand them.
  if (countNodes(value, MAX_YAML_NODES) > MAX_YAML_NODES) {
    throw new ConfigurationError(`input "${name}" is not usable YAML (${source}): it expands to more than ${MAX_YAML_NODES} values (aliases nested too deep?)`);
  }
  return value;
}

function countNodes(value: unknown, limit: number): number {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && count <= limit) {
    const node = stack.pop();
    count++;
    if (Array.isArray(node)) stack.push(...node);
    else if (node !== null && typeof node === 'object') stack.push(...Object.values(node));
  }
  return count;
}

/**
 * Decides whether an input holds inline YAML/JSON or names a file: one line
 * without YAML structure (no `:`, no leading `{`, `[` or `-`) is a path.
 */
export function looksLikePath(raw: string): boolean {
  const text = raw.trim();
  return !text.includes('\n') && !/^[{[-]/.test(text) && !/:\s|:$/.test(text);
}
