import { ConfigurationError } from '@deploy-suite/kit';
import { describe, expect, it } from 'vitest';
import { parseCommand, parseContainerVariables, parseDesiredCount, parseImages, parseNetworkConfiguration, parseTaskDefinitionFile } from './parse.js';

describe('parseImages', () => {
  it('reads container=image lines, images with registries, ports, tags and digests', () => {
    expect([...parseImages('containers', 'app = 1234.dkr.ecr.eu-west-1.amazonaws.com/app:1.2\n\n# sidecar\nlog_router=localhost:5000/fluent@sha256:abc')]).toEqual([
      ['app', '1234.dkr.ecr.eu-west-1.amazonaws.com/app:1.2'],
      ['log_router', 'localhost:5000/fluent@sha256:abc'],
    ]);
  });
  it.each(['app', 'app=', 'my app=x:1', 'app=x:1\napp=x:2', 'app=x 1'])('rejects %j', (raw) => {
    expect(() => parseImages('containers', raw)).toThrow(ConfigurationError);
  });
});

describe('parseContainerVariables', () => {
  it('splits the container at the first dot', () => {
    expect(parseContainerVariables('environment', 'app.LOG_LEVEL=debug\nURL=http://x/?a=b\napp.a.b=c\nEMPTY=')).toEqual([
      { container: 'app', name: 'LOG_LEVEL', value: 'debug' },
      { container: undefined, name: 'URL', value: 'http://x/?a=b' },
      { container: 'app', name: 'a.b', value: 'c' },
      { container: undefined, name: 'EMPTY', value: '' },
    ]);
  });
  it('requires a value for secrets', () => {
    expect(() => parseContainerVariables('secrets', 'app.KEY=', { valueRequired: true })).toThrow(/needs a value/);
  });
  it.each(['app.1BAD=x', '=x', 'app.=x'])('rejects %j', (raw) => {
    expect(() => parseContainerVariables('environment', raw)).toThrow(ConfigurationError);
  });
});

describe('parseDesiredCount', () => {
  it.each([
    ['0', 0],
    ['12', 12],
    ['restore', 'restore'],
  ])('%s', (raw, expected) => expect(parseDesiredCount('desired-count', raw)).toBe(expected));
  it.each(['-1', '1.5', 'three', '+2', 'Restore'])('rejects %j', (raw) => {
    expect(() => parseDesiredCount('desired-count', raw)).toThrow(/must be a whole number of tasks \(0 or more\) or "restore"/);
  });
});

describe('parseCommand', () => {
  it.each([
    ['npm run migrate', ['npm', 'run', 'migrate']],
    ['sh -c "rake db:migrate && echo done"', ['sh', '-c', 'rake db:migrate && echo done']],
    ['["bin/migrate", "--to", "latest"]', ['bin/migrate', '--to', 'latest']],
  ])('%s', (raw, expected) => expect(parseCommand('run-task', raw)).toEqual(expected));
  it.each(['[1, 2]', '[]', '["a", ', '   '])('rejects %j', (raw) => {
    expect(() => parseCommand('run-task', raw)).toThrow(ConfigurationError);
  });
});

describe('parseNetworkConfiguration', () => {
  it('reads lists or comma-separated strings and normalises assignPublicIp', () => {
    expect(parseNetworkConfiguration('n', { subnets: 'subnet-a, subnet-b', securityGroups: ['sg-1'], assignPublicIp: true })).toEqual({
      subnets: ['subnet-a', 'subnet-b'],
      securityGroups: ['sg-1'],
      assignPublicIp: 'ENABLED',
    });
  });
  it.each([[['subnet-a']], [{ subnets: [] }], [{ subnets: ['a'], assignPublicIp: 'maybe' }], [{ subnets: ['a'], vpc: 'x' }], [{ subnets: ['a'], securityGroups: 3 }]])(
    'rejects %j',
    (value) => {
      expect(() => parseNetworkConfiguration('n', value)).toThrow(ConfigurationError);
    },
  );
});

describe('parseTaskDefinitionFile', () => {
  it('accepts a definition or describe-task-definition output with tags', () => {
    const definition = { family: 'web', containerDefinitions: [{ name: 'app', image: 'a:1' }] };
    expect(parseTaskDefinitionFile('t', JSON.stringify(definition), 'f.json')).toEqual({ definition, tags: [] });
    expect(parseTaskDefinitionFile('t', JSON.stringify({ taskDefinition: definition, tags: [{ key: 'k', value: 'v' }] }), 'f.json')).toEqual({
      definition,
      tags: [{ key: 'k', value: 'v' }],
    });
  });
  it.each([
    ['{', /is not valid JSON/],
    ['[]', /must hold a task definition/],
    ['{"containerDefinitions": []}', /"family" is missing/],
    ['{"family": "web", "containerDefinitions": []}', /"containerDefinitions" is missing or empty/],
    ['{"family": "web", "containerDefinitions": [{"name": "app"}]}', /containerDefinitions\[0\] has no "name" or "image"/],
    ['{"taskDefinition": {"family": "web", "containerDefinitions": [{"name": "a", "image": "b"}]}, "tags": {"k": "v"}}', /"tags" must be a list/],
  ])('rejects %s', (text, message) => {
    expect(() => parseTaskDefinitionFile('task-definition', text, 'f.json')).toThrow(message);
  });
});
