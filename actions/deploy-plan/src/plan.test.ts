import { describe, expect, test } from 'vitest';
import { parseEnvironmentConfig } from './parse-config.js';
import { STAGING } from './fixtures.test-data.js';
import { plan, scopeOf, smokeChecks } from './plan.js';

const config = parseEnvironmentConfig(STAGING, 'staging.yml');
const names = (entries: { name: string }[]): string[] => entries.map((entry) => entry.name);

describe('scopeOf', () => {
  test('maps every target with a when to its filters', () => {
    expect(scopeOf(config)).toEqual({
      'images.api': ['api', 'shared'],
      'images.worker': ['worker', 'shared'],
      'services.worker': ['migrations'],
      'functions.events': ['events', 'shared'],
      site: ['web'],
      database: ['migrations'],
    });
  });
});

describe('plan', () => {
  test('a changed image rebuilds it and redeploys the services that run it, nothing else', () => {
    const result = plan(config, { detected: ['images.api'], deploymentType: 'auto' });
    expect(names(result.images)).toEqual(['api']);
    expect(names(result.services)).toEqual(['api']);
    expect(result.functions).toEqual([]);
    expect(result.site).toBeUndefined();
    expect([result.backend, result.frontend]).toEqual([true, false]);
    expect(result.targets).toEqual(['images.api', 'services.api']);
  });

  test('a service selected by its own filter still needs its image', () => {
    const result = plan(config, { detected: ['services.worker', 'database'], deploymentType: 'auto' });
    expect(names(result.images)).toEqual(['worker']);
    expect(names(result.services)).toEqual(['worker']);
    expect(result.database?.migrations).toBe('db/migrations');
  });

  test.each([
    ['full', ['api', 'worker'], ['events'], true, true],
    ['backend-only', ['api', 'worker'], ['events'], true, false],
    ['frontend-only', [], [], false, true],
  ] as const)('deployment type %s ignores detection', (type, services, functions, database, site) => {
    const result = plan(config, { detected: [], deploymentType: type });
    expect(names(result.services)).toEqual(services);
    expect(names(result.functions)).toEqual(functions);
    expect(result.database !== undefined).toBe(database);
    expect(result.site !== undefined).toBe(site);
  });

  test('nothing detected is nothing to deploy', () => {
    const result = plan(config, { detected: [], deploymentType: 'auto' });
    expect(result.targets).toEqual([]);
    expect([result.backend, result.frontend]).toEqual([false, false]);
  });

  test('built images render containers by URI', () => {
    const built = { api: { uri: 'registry/api@sha256:aa' } };
    expect(plan(config, { detected: ['images.api'], deploymentType: 'auto', built }).services[0]?.containers).toBe('api=registry/api@sha256:aa');
    expect(() => plan(config, { detected: ['images.worker'], deploymentType: 'auto', built })).toThrow(/no built image "worker"/);
  });

  test('an unknown target is an input error', () => {
    expect(() => plan(config, { detected: ['services.nope'], deploymentType: 'auto' })).toThrow(/unknown target\(s\) services\.nope/);
  });

  test('image entries carry the Dockerfile default and build args as lines', () => {
    const [api] = plan(config, { detected: ['images.api'], deploymentType: 'auto' }).images;
    expect(api).toMatchObject({ dockerfile: 'services/api/Dockerfile', 'build-args': 'APP=api\nWORKERS=2', repository: 'api' });
  });
});

test('smoke checks get the version', () => {
  expect(smokeChecks(config, 'abc123')).toEqual([{ url: 'https://staging.example.com/healthz', 'expect-json': '$.version=abc123' }]);
});

describe('lambda-publish entries', () => {
  test('point at the downloaded build and carry only lambda-publish keys', () => {
    const result = plan(config, { detected: ['functions.events'], deploymentType: 'auto', artifacts: '.deploy-artifacts/' });
    expect(result.lambdaFunctions).toEqual([{ 'function-name': 'staging-events', alias: 'live', 'zip-directory': '.deploy-artifacts/function-events' }]);
  });

  test('an image function gets its image by digest', () => {
    const withImage = parseEnvironmentConfig(STAGING.replace('    zip-directory: functions/events\n', '    image: worker\n'), 'staging.yml');
    const result = plan(withImage, { detected: ['functions.events'], deploymentType: 'auto', built: { worker: { uri: 'r/worker@sha256:bb' } } });
    expect(result.lambdaFunctions[0]).toEqual({ 'function-name': 'staging-events', alias: 'live', 'image-uri': 'r/worker@sha256:bb' });
    expect(names(result.images)).toEqual(['worker']);
  });
});

test('a database migrated through a service task renders that service and builds its image', () => {
  const viaTask = parseEnvironmentConfig(STAGING.replace('  backup: true\n', '  backup: true\n  run-task: { service: api, command: npm run migrate }\n'), 'staging.yml');
  const result = plan(viaTask, { detected: ['database'], deploymentType: 'auto', built: { api: { uri: 'r/api@sha256:cc' } } });
  expect(result.runTask).toMatchObject({ name: 'api', cluster: 'staging', containers: 'api=r/api@sha256:cc' });
  expect(names(result.images)).toEqual(['api']);
  expect(result.services).toEqual([]);
  // The pipeline plans again with these targets after the images are pushed: the service must not join then.
  expect(result.targets).toEqual(['database']);
  const again = plan(viaTask, { detected: result.targets, deploymentType: 'auto', built: { api: { uri: 'r/api@sha256:cc' } } });
  expect([again.services, names(again.images), again.runTask?.containers]).toEqual([[], ['api'], 'api=r/api@sha256:cc']);
});

test('a smoke check tied to a target runs only when that target is deployed', () => {
  const withTargets = parseEnvironmentConfig(
    STAGING.replace("    - url: https://staging.example.com/healthz\n", "    - url: https://staging.example.com/healthz\n      target: services.api\n"),
    'staging.yml',
  );
  expect(smokeChecks(withTargets, 'v1', ['services.api'])).toHaveLength(1);
  expect(smokeChecks(withTargets, 'v1', ['site'])).toEqual([]);
  expect(() => parseEnvironmentConfig(STAGING.replace("    - url: https://staging.example.com/healthz\n", "    - url: https://staging.example.com/healthz\n      target: services.nope\n"), 'staging.yml')).toThrow(/smoke\.checks\.0\.target: names no target "services\.nope"/);
});
