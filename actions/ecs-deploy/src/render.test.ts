import type { TaskDefinition } from '@aws-sdk/client-ecs';
import { ConfigurationError } from '@deploy-suite/kit';
import { describe, expect, it } from 'vitest';
import { imageChanges, renderTaskDefinition, sameTaskDefinition, toRegistrable } from './render.js';

const registered: TaskDefinition = {
  taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:7',
  family: 'web',
  revision: 7,
  status: 'ACTIVE',
  requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.docker-remote-api.1.18' }],
  compatibilities: ['EC2', 'FARGATE'],
  registeredAt: new Date('2026-01-01T00:00:00Z'),
  registeredBy: 'arn:aws:iam::123456789012:role/deployer',
  networkMode: 'awsvpc',
  cpu: '256',
  memory: '512',
  volumes: [],
  placementConstraints: [],
  containerDefinitions: [
    {
      name: 'app',
      image: 'app:1',
      cpu: 0,
      essential: true,
      portMappings: [],
      environment: [
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
      ],
      secrets: [{ name: 'TOKEN', valueFrom: 'arn:token' }],
      mountPoints: [],
      volumesFrom: [],
    },
    { name: 'proxy', image: 'envoy:1', essential: true },
  ],
};

const none = { images: new Map<string, string>(), environment: [], secrets: [] };

describe('toRegistrable', () => {
  it('strips every read-only field and nulls, keeping the rest', () => {
    const withNulls = { ...registered, ipcMode: null, deregisteredAt: new Date() } as unknown as TaskDefinition;
    const result = toRegistrable(withNulls) as Record<string, unknown>;
    for (const field of ['taskDefinitionArn', 'revision', 'status', 'requiresAttributes', 'compatibilities', 'registeredAt', 'registeredBy', 'deregisteredAt', 'ipcMode']) {
      expect(result).not.toHaveProperty(field);
    }
    expect(result).toMatchObject({ family: 'web', cpu: '256', networkMode: 'awsvpc' });
  });
});

describe('renderTaskDefinition', () => {
  it('swaps images and merges variables and secrets, keeping the others in place', () => {
    const rendered = renderTaskDefinition(registered, {
      images: new Map([['proxy', 'envoy:2']]),
      environment: [
        { container: 'app', name: 'B', value: 'two' },
        { container: 'app', name: 'C', value: '3' },
        { container: 'app', name: 'TOKEN', value: 'plain now' },
      ],
      secrets: [{ container: 'proxy', name: 'CERT', value: 'arn:cert' }],
    });
    const [app, proxy] = rendered.containerDefinitions ?? [];
    expect(app?.image).toBe('app:1');
    expect(proxy?.image).toBe('envoy:2');
    expect(app?.environment).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: 'two' },
      { name: 'C', value: '3' },
      { name: 'TOKEN', value: 'plain now' },
    ]);
    // A name is a variable or a secret, not both.
    expect(app?.secrets).toEqual([]);
    expect(proxy?.secrets).toEqual([{ name: 'CERT', valueFrom: 'arn:cert' }]);
    // The input definition is not modified.
    expect(registered.containerDefinitions?.[1]?.image).toBe('envoy:1');
  });

  it.each([
    [{ ...none, images: new Map([['api', 'x:1']]) }, /input "containers" names container "api", .*its containers are: app, proxy/],
    [{ ...none, environment: [{ container: 'ap', name: 'A', value: '1' }] }, /input "environment" names container "ap"/],
    [{ ...none, environment: [{ container: undefined, name: 'A', value: '1' }] }, /"A" must be written container\.A because the task definition has 2 containers/],
    [
      { ...none, environment: [{ container: 'app', name: 'X', value: '1' }], secrets: [{ container: 'app', name: 'X', value: 'arn' }] },
      /"X" of container "app" is given in both "environment" and "secrets"/,
    ],
  ])('rejects %#', (changes, message) => {
    expect(() => renderTaskDefinition(registered, changes)).toThrow(ConfigurationError);
    expect(() => renderTaskDefinition(registered, changes)).toThrow(message);
  });

  it('NAME=value applies to the only container', () => {
    const single: TaskDefinition = { family: 'one', containerDefinitions: [{ name: 'app', image: 'a:1' }] };
    const rendered = renderTaskDefinition(single, { ...none, environment: [{ container: undefined, name: 'A', value: '1' }] });
    expect(rendered.containerDefinitions?.[0]?.environment).toEqual([{ name: 'A', value: '1' }]);
  });
});

describe('sameTaskDefinition', () => {
  const fromFile = {
    family: 'web',
    networkMode: 'awsvpc' as const,
    cpu: '256',
    memory: '512',
    containerDefinitions: [
      { name: 'app', image: 'app:1', environment: [{ name: 'B', value: '2' }, { name: 'A', value: '1' }], secrets: [{ name: 'TOKEN', valueFrom: 'arn:token' }] },
      { name: 'proxy', image: 'envoy:1' },
    ],
  };

  it('ignores what ECS fills in and the order of variables', () => {
    expect(sameTaskDefinition(fromFile, registered)).toBe(true);
  });

  it.each([
    ['an image', (copy: typeof fromFile) => (copy.containerDefinitions[1]!.image = 'envoy:2')],
    ['a variable', (copy: typeof fromFile) => (copy.containerDefinitions[0]!.environment![0]!.value = '3')],
    ['the memory', (copy: typeof fromFile) => (copy.memory = '1024')],
    ['a non-default container cpu', (copy: typeof fromFile) => Object.assign(copy.containerDefinitions[1]!, { cpu: 128 })],
  ])('sees a change of %s', (_what, change) => {
    const copy = structuredClone(fromFile);
    change(copy);
    expect(sameTaskDefinition(copy, registered)).toBe(false);
  });
});

describe('imageChanges', () => {
  it('lists containers before and after, removed ones last', () => {
    expect(imageChanges(registered, { containerDefinitions: [{ name: 'app', image: 'app:2' }, { name: 'worker', image: 'w:1' }] })).toEqual([
      { container: 'app', before: 'app:1', after: 'app:2' },
      { container: 'worker', before: undefined, after: 'w:1' },
      { container: 'proxy', before: 'envoy:1', after: undefined },
    ]);
  });
});
