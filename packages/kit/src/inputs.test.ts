import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ConfigurationError } from './errors.js';
import {
  getBoolean,
  getChoice,
  getDuration,
  getInteger,
  getKeyValues,
  getList,
  getOptionalDuration,
  getOptionalInteger,
  getOptionalString,
  getRequiredString,
  getStructured,
} from './inputs.js';

// Inputs arrive as INPUT_* variables, exactly as the runner sets them
// (process.env is restored after each test by test/src/restore-env.ts).
beforeEach(() => {
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_') || key === 'GITHUB_WORKSPACE') delete process.env[key];
});

function setInput(name: string, value: string): void {
  process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
}

describe('strings', () => {
  test.each([
    ['a value', 'cluster', 'staging', 'staging'],
    ['surrounding whitespace trimmed', 'cluster', '  staging \n', 'staging'],
    ['a name with spaces and dashes', 'task definition', 'web', 'web'],
  ])('getRequiredString: %s', (_case, name, raw, expected) => {
    setInput(name, raw);
    expect(getRequiredString(name)).toBe(expected);
  });

  test.each([
    ['unset', undefined],
    ['empty', ''],
    ['whitespace only', '   '],
  ])('getRequiredString: %s is an error naming the input', (_case, raw) => {
    if (raw !== undefined) setInput('cluster', raw);
    expect(() => getRequiredString('cluster')).toThrow(new ConfigurationError('input "cluster" is required and was not given'));
  });

  test.each([
    ['unset', undefined, undefined],
    ['empty', '', undefined],
    ['given', ' web ', 'web'],
  ])('getOptionalString: %s', (_case, raw, expected) => {
    if (raw !== undefined) setInput('service', raw);
    expect(getOptionalString('service')).toBe(expected);
  });
});

// Each reader against the raw value as the runner hands it over (action.yml defaults already applied).
test.each([
  { reader: 'getBoolean', read: () => getBoolean('wait'), raw: ' true ', expected: true },
  { reader: 'getBoolean', read: () => getBoolean('wait'), raw: 'FALSE', expected: false },
  { reader: 'getInteger', read: () => getInteger('wait', { min: 1, max: 5 }), raw: '5', expected: 5 },
  { reader: 'getOptionalInteger', read: () => getOptionalInteger('wait', { min: 1 }), raw: '', expected: undefined },
  { reader: 'getOptionalInteger', read: () => getOptionalInteger('wait', { min: 1 }), raw: '3', expected: 3 },
  { reader: 'getDuration', read: () => getDuration('wait'), raw: '1h30m', expected: 5_400_000 },
  { reader: 'getOptionalDuration', read: () => getOptionalDuration('wait'), raw: '', expected: undefined },
  { reader: 'getOptionalDuration', read: () => getOptionalDuration('wait'), raw: '90s', expected: 90_000 },
  { reader: 'getChoice', read: () => getChoice('wait', ['some', 'every']), raw: 'every', expected: 'every' },
  { reader: 'getList', read: () => getList('wait'), raw: 'a, "b,c"\nd', expected: ['a', 'b,c', 'd'] },
  { reader: 'getList', read: () => getList('wait'), raw: '', expected: [] },
  { reader: 'getKeyValues', read: () => Object.fromEntries(getKeyValues('wait')), raw: 'A=1\nB=x=y', expected: { A: '1', B: 'x=y' } },
])('$reader reads $raw', ({ read, raw, expected }) => {
  setInput('wait', raw);
  expect(read()).toEqual(expected);
});

describe('bad values name the input and the accepted form', () => {
  test.each([
    ['boolean yes', () => getBoolean('wait'), 'yes', 'input "wait" must be "true" or "false", got "yes"'],
    ['required boolean missing', () => getBoolean('wait'), '', 'input "wait" is required and was not given'],
    ['integer out of range', () => getInteger('wait', { min: 1, max: 10 }), '11', 'input "wait" must be an integer from 1 to 10, got "11"'],
    ['integer 1.5', () => getInteger('wait'), '1.5', 'input "wait" must be an integer, got "1.5"'],
    ['integer abc', () => getOptionalInteger('wait', { min: 0 }), 'abc', 'input "wait" must be an integer of at least 0, got "abc"'],
    ['duration 10', () => getDuration('wait'), '10', 'input "wait" must be a duration such as 500ms, 90s, 10m, 1h or 1h30m, got "10"'],
    ['duration -5s', () => getOptionalDuration('wait'), '-5s', 'input "wait" must be a duration such as 500ms, 90s, 10m, 1h or 1h30m, got "-5s"'],
    ['duration 5x', () => getDuration('wait'), '5x', 'input "wait" must be a duration such as 500ms, 90s, 10m, 1h or 1h30m, got "5x"'],
    ['choice not in the set', () => getChoice('wait', ['some', 'every']), 'all', 'input "wait" must be one of "some", "every", got "all"'],
    ['key=value missing =', () => getKeyValues('wait'), 'A=1\nB', 'input "wait" line 2 must be key=value, got "B"'],
    ['key=value duplicate key', () => getKeyValues('wait'), 'A=1\nA=2', 'input "wait" line 2: key "A" is given twice'],
  ])('%s', (_case, read, raw, message) => {
    setInput('wait', raw);
    expect(read).toThrow(new ConfigurationError(message));
  });
});

describe('getStructured', () => {
  let workspace: string;
  beforeEach(() => {
    workspace = mkdtempSync(path.join(tmpdir(), 'kit-inputs-'));
    mkdirSync(path.join(workspace, '.github'));
    writeFileSync(path.join(workspace, '.github', 'filters.yml'), 'backend:\n  - services/**\n');
    writeFileSync(path.join(workspace, '.github', 'broken.yml'), 'backend:\n  - a\n frontend: b\n');
    process.env.GITHUB_WORKSPACE = workspace;
  });
  afterEach(() => rmSync(workspace, { recursive: true, force: true }));

  test.each([
    ['inline YAML', 'backend:\n  - services/**', { value: { backend: ['services/**'] } }],
    ['inline JSON', '{"backend": ["services/**"]}', { value: { backend: ['services/**'] } }],
    ['a one-line inline mapping', 'backend: services/**', { value: { backend: 'services/**' } }],
    ['a path relative to the workspace', '.github/filters.yml', { value: { backend: ['services/**'] }, file: '.github/filters.yml' }],
    ['a path with surrounding whitespace', '  .github/filters.yml  ', { value: { backend: ['services/**'] }, file: '.github/filters.yml' }],
  ])('reads %s', (_case, raw, expected) => {
    setInput('filters', raw);
    const result = getStructured('filters');
    expect(result?.value).toEqual(expected.value);
    expect(result?.file).toBe('file' in expected ? path.join(workspace, expected.file as string) : undefined);
  });

  test('an absent input is undefined', () => {
    expect(getStructured('filters')).toBeUndefined();
  });

  test('a path resolves against the base directory given', () => {
    setInput('filters', 'filters.yml');
    expect(getStructured('filters', path.join(workspace, '.github'))?.value).toEqual({ backend: ['services/**'] });
  });

  test.each([
    ['a path that does not exist', '.github/missing.yml', /^input "filters" must be inline YAML\/JSON or the path of a file holding it; no file "\.github\/missing\.yml" in /],
    ['a directory', '.github', /^input "filters" must be inline YAML\/JSON or the path of a file holding it; no file "\.github" in /],
    ['a file with a syntax error', '.github/broken.yml', /^input "filters" is not valid YAML\/JSON \(file \.github\/broken\.yml at line 3, column 2\): bad indentation of a mapping entry$/],
    ['inline YAML with a syntax error', 'backend: [a\nfrontend: b', /^input "filters" is not valid YAML\/JSON \(inline value at line 2, column 1\): /],
    ['a path that climbs out of the workspace', '../filters.yml', /^input "filters" must be a path inside the workspace \(.*\), got "\.\.\/filters\.yml", which is outside it$/],
    ['an absolute path outside the workspace', '/etc/hostname', /^input "filters" must be a path inside the workspace \(.*\), got "\/etc\/hostname", which is outside it$/],
  ])('rejects %s', (_case, raw, message) => {
    setInput('filters', raw);
    expect(() => getStructured('filters')).toThrow(ConfigurationError);
    expect(() => getStructured('filters')).toThrow(message);
  });
});
