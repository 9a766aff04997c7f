import { describe, expect, it } from 'vitest';
import { FUNCTION_INPUT_NAMES } from './constants.js';
import { desiredSettings, differences, imageDigest, settingsOf } from './configuration.js';
import { mergeFunctionEntries, parseFunctionSpec, parseFunctionTimeout, parseWeight } from './spec.js';
import { versionsToDelete } from './versions.js';

const STEP = { publish: 'true', alias: 'live', 'skip-unchanged': 'true', 'canary-interval': '5m' };

describe('function specs', () => {
  it.each([
    ['10%', 0.1],
    ['2.5%', 0.025],
    ['99.999%', 0.99999],
  ])('reads the weight %s as %s', (raw, weight) => {
    expect(parseWeight('canary', raw)).toBe(weight);
  });

  it.each(['0%', '100%', '10', 'ten%', '-5%'])('refuses the weight %s', (raw) => {
    expect(() => parseWeight('canary', raw)).toThrow(`input "canary" must be a percentage above 0% and below 100%, such as 10%, got "${raw}"`);
  });

  it.each([
    ['30', 30],
    ['30s', 30],
    ['5m', 300],
    ['15m', 900],
  ])('reads the function timeout %s as %s seconds', (raw, seconds) => {
    expect(parseFunctionTimeout('timeout', raw)).toBe(seconds);
  });

  it.each(['0', '901', '1500ms', '16m'])('refuses the function timeout %s', (raw) => {
    expect(() => parseFunctionTimeout('timeout', raw)).toThrow(/whole seconds from 1 to 900/);
  });

  it('takes a zip with s3-key as the upload key, not a second source', () => {
    const spec = parseFunctionSpec({ ...STEP, 'function-name': 'api', 'zip-directory': 'dist', 's3-bucket': 'b', 's3-key': 'k.zip' });
    expect(spec.source).toEqual({ kind: 'zip-directory', path: 'dist' });
    expect(spec.upload).toEqual({ bucket: 'b', key: 'k.zip' });
  });

  it('needs a bucket for s3-key alone, and an alias for version', () => {
    expect(() => parseFunctionSpec({ ...STEP, 'function-name': 'api', 's3-key': 'k.zip' })).toThrow('input "s3-key" needs "s3-bucket"');
    expect(() => parseFunctionSpec({ ...STEP, alias: undefined, 'function-name': 'api', version: '3' })).toThrow('input "version" points an alias at a version: give "alias"');
  });

  it('merges entries over the step inputs; a code source in an entry replaces the step\'s', () => {
    const merged = mergeFunctionEntries(
      'functions',
      [{ 'function-name': 'a' }, { 'function-name': 'b', 'image-uri': 'r.example/app:1', environment: { MODE: 'b', N: 2 } }],
      { ...STEP, 'zip-directory': 'dist', memory: '256' },
      FUNCTION_INPUT_NAMES,
    );
    expect(merged[0]?.raw).toMatchObject({ 'zip-directory': 'dist', memory: '256' });
    expect(merged[1]?.raw['zip-directory']).toBeUndefined();
    expect(merged[1]?.raw).toMatchObject({ 'image-uri': 'r.example/app:1', environment: 'MODE=b\nN=2', memory: '256' });
    expect(merged[1]?.label).toBe('functions[b]');
  });

  it('names the entry and key of a bad value', () => {
    const [entry] = mergeFunctionEntries('functions', [{ 'function-name': 'orders', 'zip-directory': 'x', canary: '5' }], STEP, FUNCTION_INPUT_NAMES);
    expect(() => parseFunctionSpec(entry?.raw ?? {}, entry?.label)).toThrow('input "functions[orders].canary" must be a percentage');
    expect(() => mergeFunctionEntries('functions', [{ 'function-name': 'a' }, { 'function-name': 'a' }], STEP, FUNCTION_INPUT_NAMES)).toThrow('names function "a" twice');
    expect(() => mergeFunctionEntries('functions', { 'function-name': 'a' }, STEP, FUNCTION_INPUT_NAMES)).toThrow('must be a non-empty YAML list');
  });

  it('never echoes an environment value in an error', () => {
    expect(() => parseFunctionSpec({ ...STEP, 'function-name': 'a', 'zip-file': 'f.zip', environment: 'TOKEN hunter2-secret' })).toThrow(/line 1 must be key=value; the line is not shown/);
    expect(() => parseFunctionSpec({ ...STEP, 'function-name': 'a', 'zip-file': 'f.zip', environment: 'AWS_REGION=eu-west-1' })).toThrow('AWS_REGION is set by Lambda itself');
  });
});

describe('configuration', () => {
  const latest = { Handler: 'index.handler', Runtime: 'nodejs22.x' as const, MemorySize: 128, Timeout: 3, Environment: { Variables: { A: '1', B: '2' } }, Architectures: ['x86_64' as const] };

  it('merges what was given into what the function has, environment key by key', () => {
    const desired = desiredSettings(latest, { environment: new Map([['B', '3']]), memoryMb: 256 });
    expect(desired).toEqual({ handler: 'index.handler', runtime: 'nodejs22.x', memoryMb: 256, timeoutSeconds: 3, environment: { A: '1', B: '3' }, architecture: 'x86_64' });
    expect(differences(desired, settingsOf(latest))).toEqual(['memoryMb', 'environment']);
    expect(differences(desiredSettings(latest, { environment: new Map() }), settingsOf(latest))).toEqual([]);
  });

  it('reads the digest an image URI pins', () => {
    expect(imageDigest(`r.example/app@sha256:${'a'.repeat(64)}`)).toBe(`sha256:${'a'.repeat(64)}`);
    expect(imageDigest('r.example/app:1')).toBeUndefined();
  });
});

describe('keep-versions', () => {
  it('deletes the oldest versions beyond the newest N that no alias serves or routes to, and never one asked to be kept', () => {
    const aliases = [{ FunctionVersion: '2' }, { FunctionVersion: '7', RoutingConfig: { AdditionalVersionWeights: { '3': 0.1 } } }];
    expect(versionsToDelete(['$LATEST', '1', '2', '3', '4', '5', '6', '7', '8'], aliases, 2, ['6'])).toEqual(['1', '4', '5']);
    expect(versionsToDelete(['$LATEST', '1'], [], 1, [])).toEqual([]);
  });
});
