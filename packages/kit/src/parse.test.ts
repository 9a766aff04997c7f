import { describe, expect, test } from 'vitest';
import { ConfigurationError } from './errors.js';
import { looksLikePath, parseBoolean, parseChoice, parseDuration, parseInteger, parseKeyValues, parseList, parseYamlText } from './parse.js';

/** Runs a parser expected to fail and returns its ConfigurationError (a different error fails the test). */
function configurationErrorOf(parse: () => unknown): ConfigurationError {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError, but the value was accepted');
}

describe('parseBoolean', () => {
  test.each([
    ['true', true],
    ['True', true],
    ['TRUE', true],
    ['false', false],
    ['False', false],
    ['FALSE', false],
  ])('%s is %s', (raw, expected) => {
    expect(parseBoolean('dry-run', raw)).toBe(expected);
  });

  test.each(['yes', 'no', '1', '0', 'on', 'tRuE', ''])('rejects %j, naming the input and the accepted form', (raw) => {
    expect(configurationErrorOf(() => parseBoolean('dry-run', raw)).message).toBe(`input "dry-run" must be "true" or "false", got "${raw}"`);
  });
});

describe('parseInteger', () => {
  test.each([
    ['0', undefined, 0],
    ['42', undefined, 42],
    ['-7', undefined, -7],
    ['+7', undefined, 7],
    ['007', undefined, 7],
    ['1', { min: 1, max: 10 }, 1],
    ['10', { min: 1, max: 10 }, 10],
    [String(Number.MAX_SAFE_INTEGER), undefined, Number.MAX_SAFE_INTEGER],
  ])('%s within %j is %d', (raw, range, expected) => {
    expect(parseInteger('replicas', raw, range)).toBe(expected);
  });

  test.each([
    ['1.5', undefined, 'an integer'],
    ['abc', undefined, 'an integer'],
    ['', undefined, 'an integer'],
    ['1e3', undefined, 'an integer'],
    ['0x10', undefined, 'an integer'],
    ['12abc', undefined, 'an integer'],
    ['99999999999999999999', undefined, 'an integer'],
    ['0', { min: 1, max: 10 }, 'an integer from 1 to 10'],
    ['11', { min: 1, max: 10 }, 'an integer from 1 to 10'],
    ['-1', { min: 0 }, 'an integer of at least 0'],
    ['101', { max: 100 }, 'an integer of at most 100'],
    ['1.5', { min: 1, max: 10 }, 'an integer from 1 to 10'],
  ])('rejects %j within %j as not %s', (raw, range, form) => {
    expect(configurationErrorOf(() => parseInteger('replicas', raw, range)).message).toBe(`input "replicas" must be ${form}, got "${raw}"`);
  });
});

describe('parseDuration', () => {
  test.each([
    ['0', 0],
    ['500ms', 500],
    ['90s', 90_000],
    ['10m', 600_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['1m30s', 90_000],
    ['1.5s', 1_500],
    ['2h0m5s', 7_205_000],
  ])('%s is %d ms', (raw, expected) => {
    expect(parseDuration('timeout', raw)).toBe(expected);
  });

  test.each(['10', '-5s', '5x', '', 's', '1 h', '1H', '.5s', '1h-30m', 'forever'])('rejects %j with the accepted form', (raw) => {
    expect(configurationErrorOf(() => parseDuration('timeout', raw)).message).toBe(
      `input "timeout" must be a duration such as 500ms, 90s, 10m, 1h or 1h30m, got "${raw}"`,
    );
  });

  test.each(['0', '0s', '0m0s', '0.0001s'])('with positive: true, rejects %j as not above zero', (raw) => {
    expect(configurationErrorOf(() => parseDuration('timeout', raw, { positive: true })).message).toBe(
      `input "timeout" must be a duration above zero, such as 90s, 10m or 1h, got "${raw}"`,
    );
    expect(parseDuration('timeout', '1ms', { positive: true })).toBe(1);
  });

  test('a long bad value is shortened in the message', () => {
    const message = configurationErrorOf(() => parseDuration('timeout', 'x'.repeat(200))).message;
    expect(message).toContain(`got "${'x'.repeat(77)}..."`);
    expect(message.length).toBeLessThan(200);
  });
});

describe('parseChoice', () => {
  const formats = ['none', 'json', 'csv'] as const;

  test.each(formats)('accepts %s', (raw) => {
    expect(parseChoice('list-files', raw, formats)).toBe(raw);
  });

  test.each(['JSON', 'yaml', '', ' json'])('rejects %j, listing every valid value', (raw) => {
    expect(configurationErrorOf(() => parseChoice('list-files', raw, formats)).message).toBe(
      `input "list-files" must be one of "none", "json", "csv", got "${raw}"`,
    );
  });
});

describe('parseList', () => {
  test.each([
    ['one item', 'backend', ['backend']],
    ['comma-separated', 'backend, frontend,shared', ['backend', 'frontend', 'shared']],
    ['one per line', 'backend\nfrontend\r\nshared\n', ['backend', 'frontend', 'shared']],
    ['lines and commas mixed', 'a, b\nc', ['a', 'b', 'c']],
    ['blank lines and empty items dropped', '\n a ,, b ,\n\n', ['a', 'b']],
    ['a quoted item keeps its comma', '"eu-west-1,us-east-1", other', ['eu-west-1,us-east-1', 'other']],
    ['a quoted item after a space', 'first, "second, with comma"', ['first', 'second, with comma']],
    ['doubled quotes inside a quoted item', '"say ""hi""", x', ['say "hi"', 'x']],
    ['a quote inside an unquoted item is literal', 'echo "hi", x', ['echo "hi"', 'x']],
    ['globs and negations untouched', 'src/**/*.ts, !src/**/*.test.ts', ['src/**/*.ts', '!src/**/*.test.ts']],
    ['nothing', '', []],
  ])('%s', (_case, raw, expected) => {
    expect(parseList('paths', raw)).toEqual(expected);
  });

  test('an unterminated quote names the input and the accepted form', () => {
    expect(configurationErrorOf(() => parseList('paths', '"a, b')).message).toMatch(
      /^input "paths" must be a list \(one item per line or comma-separated, quote items that contain commas\): Quote Not Closed/,
    );
  });
});

describe('parseKeyValues', () => {
  test.each([
    ['one pair', 'REGION=eu-west-1', [['REGION', 'eu-west-1']]],
    ['the first = splits', 'DATABASE_URL=postgres://u:p@h/db?sslmode=require', [['DATABASE_URL', 'postgres://u:p@h/db?sslmode=require']]],
    ['spaces around the = trimmed', '  A = 1  \nB=2', [['A', '1'], ['B', '2']]],
    ['an empty value', 'EMPTY=', [['EMPTY', '']]],
    ['comments and blank lines ignored', '# the region\n\nA=1\n  # indented comment\n', [['A', '1']]],
    ['nothing', '', []],
  ])('%s', (_case, raw, expected) => {
    expect([...parseKeyValues('env', raw)]).toEqual(expected);
  });

  test.each([
    ['a line without =', 'A=1\nNOT_A_PAIR', 'input "env" line 2 must be key=value, got "NOT_A_PAIR"'],
    ['a line with no key', '=value', 'input "env" line 1 must be key=value, got "=value"'],
    ['a duplicate key', 'A=1\nB=2\nA=3', 'input "env" line 3: key "A" is given twice'],
    ['a duplicate key after trimming', 'A=1\n A =2', 'input "env" line 2: key "A" is given twice'],
  ])('rejects %s', (_case, raw, message) => {
    expect(configurationErrorOf(() => parseKeyValues('env', raw)).message).toBe(message);
  });

  test('a malformed line or key is not shown when the values may be secrets', () => {
    const options = { sensitive: true, keyPattern: /^[A-Z_]+$/, keyForm: 'a variable name' };
    const line = configurationErrorOf(() => parseKeyValues('env', 'A=1\nDB_PASSWORD: hunter2', options)).message;
    expect(line).toBe('input "env" line 2 must be key=value; the line is not shown, as its value may be a secret');
    const key = configurationErrorOf(() => parseKeyValues('env', 'DB_PASSWORD: hunter2=x', options)).message;
    expect(key).toBe('input "env" line 1: the key must be a variable name');
    expect(line + key).not.toContain('hunter2');
  });

  test.each([
    ['with its form', { keyPattern: /^[A-Z_][A-Z0-9_]*$/, keyForm: 'an environment variable name' }, 'input "env" line 1: key "lower" must be an environment variable name'],
    ['with the pattern when no form is given', { keyPattern: /^[A-Z]+$/ }, 'input "env" line 1: key "lower" must be of the form /^[A-Z]+$/'],
  ])('a key outside the pattern is rejected %s', (_case, options, message) => {
    expect(configurationErrorOf(() => parseKeyValues('env', 'lower=1', options)).message).toBe(message);
  });
});

describe('parseYamlText', () => {
  test.each([
    ['a YAML mapping', 'backend:\n  - services/**\n', { backend: ['services/**'] }],
    ['JSON', '{"backend": ["services/**"]}', { backend: ['services/**'] }],
    ['anchors and merge keys', 'base: &base\n  a: 1\nchild:\n  <<: *base\n  b: 2\n', { base: { a: 1 }, child: { a: 1, b: 2 } }],
    ['an empty document', '', null],
  ])('parses %s', (_case, text, expected) => {
    expect(parseYamlText('filters', text)).toEqual(expected);
  });

  test.each([
    ['an unclosed flow sequence', 'backend: [a, b\nfrontend: c', 'inline value at line 2, column 1', 'missed comma between flow collection entries'],
    ['a duplicate key', 'backend: a\nbackend: b', 'inline value at line 2, column 1', 'duplicated mapping key'],
    ['a tab as indentation', 'backend:\n\t- a', 'inline value at line 2, column 1', 'tab characters must not be used in indentation'],
    ['bad indentation on line 4', 'a: 1\nb:\n  c: 1\n d: 2', 'inline value at line 4, column 2', 'bad indentation of a mapping entry'],
  ])('reports %s with its line', (_case, text, where, reason) => {
    const message = configurationErrorOf(() => parseYamlText('filters', text)).message;
    expect(message).toContain(`input "filters" is not valid YAML/JSON (${where})`);
    expect(message).toContain(reason);
    expect(message).not.toContain('\n');
  });

  test('names the file it was read from', () => {
    expect(configurationErrorOf(() => parseYamlText('filters', 'a: [', 'file .github/filters.yml')).message).toMatch(
      /^input "filters" is not valid YAML\/JSON \(file \.github\/filters\.yml at line \d+, column \d+\): /,
    );
  });

  test('a billion-laughs alias bomb is refused instead of expanding', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let level = 1; level < 8; level++) levels.push(`${String.fromCharCode(97 + level)}: &${String.fromCharCode(97 + level)} [${Array(10).fill(`*${String.fromCharCode(96 + level)}`).join(',')}]`);
    expect(configurationErrorOf(() => parseYamlText('filters', levels.join('\n'))).message).toBe(
      'input "filters" is not usable YAML (inline value): it expands to more than 100000 values (aliases nested too deep?)',
    );
  });
});

describe('looksLikePath', () => {
  test.each([
    ['.github/filters.yml', true],
    ['filters.yaml', true],
    ['  ./config/scope.json  ', true],
    ['/abs/path/to/file.yml', true],
    ['C:\\filters.yml', true],
    ['backend: services/**', false],
    ['backend:', false],
    ['{"backend": ["a"]}', false],
    ['[a, b]', false],
    ['- a', false],
    ['backend:\n  - a', false],
  ])('%j is a path: %s', (raw, expected) => {
    expect(looksLikePath(raw)).toBe(expected);
  });
});
