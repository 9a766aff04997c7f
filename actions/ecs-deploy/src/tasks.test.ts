import type { Service } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { describeStoppedTask, toStoppedTask } from './names.js';
import { runTaskContainer, runTaskRequest } from './tasks.js';

const definition = {
  family: 'web',
  networkMode: 'awsvpc' as const,
  containerDefinitions: [
    { name: 'init', image: 'i:1', essential: false },
    { name: 'app', image: 'a:1' },
  ],
};
const base = { cluster: 'c', taskDefinitionArn: 'arn:td/web:2', definition, command: ['migrate'], container: undefined, network: undefined };

describe('runTaskContainer', () => {
  it('picks the named container, else the first essential one', () => {
    expect(runTaskContainer(definition, undefined).name).toBe('app');
    expect(runTaskContainer(definition, 'init').name).toBe('init');
    expect(() => runTaskContainer(definition, 'nope')).toThrow(/input "run-task-container" names container "nope".*its containers are: init, app/);
  });
});

describe('runTaskRequest', () => {
  const network = { subnets: ['subnet-1'], securityGroups: ['sg-1'] };
  it('takes launch type, platform and network from the service', () => {
    const service: Service = { launchType: 'FARGATE', platformVersion: '1.4.0', networkConfiguration: { awsvpcConfiguration: network } };
    expect(runTaskRequest({ ...base, service }, 'app')).toEqual({
      cluster: 'c',
      taskDefinition: 'arn:td/web:2',
      count: 1,
      startedBy: 'deploy-suite/ecs-deploy',
      overrides: { containerOverrides: [{ name: 'app', command: ['migrate'] }] },
      launchType: 'FARGATE',
      platformVersion: '1.4.0',
      networkConfiguration: { awsvpcConfiguration: network },
    });
  });
  it('prefers the capacity provider strategy and a given network', () => {
    const service: Service = { launchType: 'FARGATE', capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }], networkConfiguration: { awsvpcConfiguration: network } };
    const request = runTaskRequest({ ...base, service, network: { subnets: ['subnet-2'] } }, 'app');
    expect(request.launchType).toBeUndefined();
    expect(request.capacityProviderStrategy).toEqual([{ capacityProvider: 'FARGATE_SPOT', weight: 1 }]);
    expect(request.networkConfiguration).toEqual({ awsvpcConfiguration: { subnets: ['subnet-2'] } });
  });
  it('asks for a network when awsvpc has none', () => {
    expect(() => runTaskRequest({ ...base, service: { launchType: 'EC2' } }, 'app')).toThrow(/set input "run-task-network"/);
  });
});

describe('describeStoppedTask', () => {
  it('gives the stop code, reason and each exit code on one line', () => {
    const task = toStoppedTask({
      taskArn: 'arn:aws:ecs:us-east-1:1:task/c/abc123',
      taskDefinitionArn: 'arn:aws:ecs:us-east-1:1:task-definition/web:2',
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
      containers: [{ name: 'app', exitCode: 137, reason: 'OutOfMemoryError' }, { name: 'proxy' }],
    });
    expect(describeStoppedTask(task)).toBe('task abc123 (web:2) EssentialContainerExited: Essential container in task exited; app exit 137 (OutOfMemoryError), proxy exit none');
  });
});
