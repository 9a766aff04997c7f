import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { beforeAll, describe, expect, it } from 'vitest';
import { awsEnvironment, runAction, services, startFaultProxy } from '../../src/index.js';
import { APP_CONTAINER, FAST, REGION, SIDECAR_CONTAINER, createService, type ServiceFixture } from './fixture.js';

const workspace = mkdtempSync(path.join(tmpdir(), 'ecs-deploy-inputs-'));
writeFileSync(path.join(workspace, 'not-json.json'), '{ "family": "web", containerDefinitions: [] ');
writeFileSync(path.join(workspace, 'not-taskdef.json'), JSON.stringify({ name: 'web', image: 'nginx' }));
writeFileSync(path.join(workspace, 'no-image.json'), JSON.stringify({ family: 'web', containerDefinitions: [{ name: 'app' }] }));
mkdirSync(path.join(workspace, 'taskdefs'));
writeFileSync(path.join(workspace, 'two.json'), JSON.stringify({ family: 'web', containerDefinitions: [APP_CONTAINER, SIDECAR_CONTAINER] }));

let fixture: ServiceFixture;

beforeAll(async () => {
  fixture = await createService('inputs', { containers: [APP_CONTAINER, SIDECAR_CONTAINER] });
});

// Each case: inputs beyond cluster/service, and the one error expected. None may reach AWS.
const cases: [string, Record<string, string>, string | RegExp][] = [
  ['missing cluster', { cluster: '' }, 'ecs-deploy: input "cluster" is required and was not given'],
  ['missing service', { service: '' }, 'ecs-deploy: input "service" is required and was not given'],
  ['a file that is not JSON', { 'task-definition': 'not-json.json' }, /^ecs-deploy: input "task-definition": not-json\.json is not valid JSON: /],
  ['a file that is not a task definition', { 'task-definition': 'not-taskdef.json' }, /^ecs-deploy: input "task-definition": not-taskdef\.json must hold a task definition: .*; "family" is missing$/],
  ['a container without an image', { 'task-definition': 'no-image.json' }, /containerDefinitions\[0\] has no "name" or "image"$/],
  ['a file that does not exist', { 'task-definition': 'nope.json' }, 'ecs-deploy: input "task-definition" must be the path of a task definition JSON file; no file "nope.json"'],
  ['a directory', { 'task-definition': 'taskdefs' }, 'ecs-deploy: input "task-definition" must be the path of a task definition JSON file; no file "taskdefs"'],
  [
    'an unknown container in a file',
    { 'task-definition': 'two.json', containers: 'api=registry.example/api:1' },
    'ecs-deploy: input "containers" names container "api", which task definition family "web" does not have; its containers are: app, proxy',
  ],
  ['NAME=value with two containers', { 'task-definition': 'two.json', environment: 'LOG_LEVEL=debug' }, /input "environment": "LOG_LEVEL" must be written container\.LOG_LEVEL because the task definition has 2 containers \(app, proxy\)/],
  ['a malformed containers line', { containers: 'app=registry.example/app:1\nregistry.example/api:2' }, 'ecs-deploy: input "containers" line 2 must be key=value, got "registry.example/api:2"'],
  ['a container with no image', { containers: 'app=' }, /input "containers": container "app" needs an image reference/],
  ['a negative desired count', { 'desired-count': '-1' }, 'ecs-deploy: input "desired-count" must be a whole number of tasks (0 or more) or "restore", got "-1"'],
  ['a non-numeric desired count', { 'desired-count': 'three' }, 'ecs-deploy: input "desired-count" must be a whole number of tasks (0 or more) or "restore", got "three"'],
  ['a malformed secrets line, never echoed', { secrets: 'app.DB_PASSWORD: hunter2' }, 'ecs-deploy: input "secrets" line 1 must be key=value; the line is not shown, as its value may be a secret'],
  ['a zero timeout', { timeout: '0' }, 'ecs-deploy: input "timeout" must be a duration above zero, such as 90s, 10m or 1h, got "0"'],
  ['a timeout without a unit', { timeout: '15' }, /^ecs-deploy: input "timeout" must be a duration such as 500ms, 90s, 10m, 1h or 1h30m, got "15"$/],
  ['an unknown rollback mode', { rollback: 'always' }, 'ecs-deploy: input "rollback" must be one of "on-failure", "never", got "always"'],
  ['keep-revisions of 0', { 'keep-revisions': '0' }, 'ecs-deploy: input "keep-revisions" must be an integer of at least 1, got "0"'],
  ['a secret without a reference', { secrets: 'app.API_KEY=' }, /input "secrets": "app\.API_KEY" needs a value/],
  ['a run-task network without run-task', { 'run-task-network': '{"subnets": ["subnet-1"]}' }, /inputs "run-task-container" and "run-task-network" need "run-task"/],
  ['a run-task network without subnets', { 'run-task': 'migrate', 'run-task-network': '{"securityGroups": ["sg-1"]}' }, /input "run-task-network" must be .*"subnets" is missing or empty$/],
  ['a run-task command that is not a list of strings', { 'run-task': '["migrate", 3]' }, /input "run-task" must be a command line/],
  ['a bad wait value', { wait: 'yes' }, 'ecs-deploy: input "wait" must be "true" or "false", got "yes"'],
];

describe.concurrent('ecs-deploy: bad input fails before any AWS call', () => {
  it.each(cases)('%s', async (_name, inputs, expected) => {
    // A proxy of its own per case: any request it sees is a call this case made.
    const proxy = await startFaultProxy(services().motoUrl);
    try {
      const result = await runAction('ecs-deploy', {
        inputs: { cluster: fixture.cluster, service: fixture.service, ...FAST, ...inputs },
        env: awsEnvironment(proxy.url, REGION),
        workspace,
      });
      expect(result.exitCode).toBe(1);
      expect(result.errors).toHaveLength(1);
      if (typeof expected === 'string') expect(result.errors[0]).toBe(expected);
      else expect(result.errors[0]).toMatch(expected);
      expect(result.log).not.toMatch(/\n\s+at /);
      expect(result.log).not.toContain('unexpected error');
      expect(proxy.log.map((entry) => entry.operation)).toEqual([]);
      expect(result.summary).toBe('');
    } finally {
      await proxy.close();
    }
  });
});

describe('ecs-deploy: bad input found against the service', () => {
  it('an unknown container in the service task definition names those that exist, and registers nothing', async () => {
    const result = await runAction('ecs-deploy', {
      inputs: { cluster: fixture.cluster, service: fixture.service, containers: 'ap=registry.example/app:2', ...FAST },
      env: awsEnvironment(services().motoUrl, REGION),
    });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      `ecs-deploy: input "containers" names container "ap", which task definition family "${fixture.family}" does not have; its containers are: app, proxy`,
    ]);
    const revisions = await fixture.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: fixture.family }));
    expect(revisions.taskDefinitionArns).toEqual([fixture.firstArn]);
  });

  it('an unknown run-task-container names those that exist, and registers nothing', async () => {
    const result = await runAction('ecs-deploy', {
      inputs: { cluster: fixture.cluster, service: fixture.service, containers: 'app=registry.example/app:2', 'run-task': 'migrate', 'run-task-container': 'worker', ...FAST },
      env: awsEnvironment(services().motoUrl, REGION),
    });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      `ecs-deploy: input "run-task-container" names container "worker", which task definition family "${fixture.family}" does not have; its containers are: app, proxy`,
    ]);
    // Not registered and deregistered again either: never registered.
    expect(result.log).not.toContain('Register task definition');
    const revisions = await fixture.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: fixture.family, status: 'INACTIVE' }));
    expect(revisions.taskDefinitionArns).toEqual([]);
  });

  it('masks environment values of 8 characters or more before anything could print them, and leaves short ones readable', async () => {
    const token = 'tok-4f9c2e71b0';
    const result = await runAction('ecs-deploy', {
      inputs: { cluster: fixture.cluster, service: fixture.service, containers: 'ap=registry.example/app:2', environment: `app.API_TOKEN=${token}\napp.LOG_LEVEL=debug`, ...FAST },
      env: awsEnvironment(services().motoUrl, REGION),
    });
    expect(result.exitCode).toBe(1);
    expect(result.masks).toContain(token);
    expect(result.masks).not.toContain('debug');
  });

  it('a service that does not exist', async () => {
    const result = await runAction('ecs-deploy', {
      inputs: { cluster: fixture.cluster, service: 'no-such-service', ...FAST },
      env: awsEnvironment(services().motoUrl, REGION),
    });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([`ecs-deploy: service "no-such-service" was not found in cluster "${fixture.cluster}" (MISSING)`]);
  });
});
