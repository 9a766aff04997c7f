import { RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { awsEnvironment, freePort, runAction, serverError, throttleJson, type FaultProxy, type ProxiedRequest } from '../../src/index.js';
import { EcsSimulator, FAST, REGION, createService, createStoppedTasks, simulatedEcs } from './fixture.js';

/** The first call of every operation is throttled and the second gets a 500: the SDK's retries must carry each one. */
function faultEveryOperation(proxy: FaultProxy): void {
  const seen = new Map<string, number>();
  proxy.addRule({
    match: (request: ProxiedRequest) => {
      const count = (seen.get(request.operation) ?? 0) + 1;
      seen.set(request.operation, count);
      return count === 1;
    },
    fault: throttleJson(),
  });
  proxy.addRule({ match: (request: ProxiedRequest) => seen.get(request.operation) === 2, fault: serverError(500) });
}

function faultedOperations(proxy: FaultProxy): { all: string[]; faulted: string[] } {
  const all = [...new Set(proxy.log.map((entry) => entry.operation))].sort();
  const faulted = [...new Set(proxy.log.filter((entry) => entry.fault === 'respond').map((entry) => entry.operation))].sort();
  return { all, faulted };
}

describe.concurrent('ecs-deploy: faults it survives', () => {
  it('throttling and a 5xx on every call of a full deploy (run-task, register, update, watch, clean up)', async () => {
    const fixture = await createService('faults');
    // An unused revision 2, for keep-revisions to deregister once the service runs 3 (1 stays: the rollback target).
    const unused = await fixture.ecs.send(new RegisterTaskDefinitionCommand({ family: fixture.family, containerDefinitions: [{ name: 'app', image: 'unused:1', memory: 128 }] }));
    const simulator = new EcsSimulator(fixture.service, [{ kind: 'complete', afterPolls: 2 }], { oneOffTask: { stopsAfterPolls: 2, exitCode: 0 } });
    const { proxy, env } = await simulatedEcs(simulator, faultEveryOperation);
    try {
      const result = await runAction('ecs-deploy', {
        inputs: { cluster: fixture.cluster, service: fixture.service, containers: 'app=registry.example/app:2', 'run-task': 'migrate', 'keep-revisions': 1, ...FAST },
        env,
      });
      expect(result.errors).toEqual([]);
      expect(result.warnings).toEqual([]);
      expect(result.exitCode).toBe(0);
      expect(result.log).toContain(`Deregistered ${fixture.family}:${unused.taskDefinition?.revision}`);
      const { all, faulted } = faultedOperations(proxy);
      expect(all).toEqual(
        expect.arrayContaining(['DescribeServices', 'DescribeTaskDefinition', 'RegisterTaskDefinition', 'RunTask', 'DescribeTasks', 'UpdateService', 'ListTaskDefinitions', 'DeregisterTaskDefinition']),
      );
      expect(faulted).toEqual(all);
    } finally {
      await proxy.close();
    }
  });

  it('throttling and a 5xx on every call of a failed deploy and its rollback', async () => {
    const fixture = await createService('faultrb');
    const simulator = new EcsSimulator(fixture.service, [{ kind: 'fail', afterPolls: 1 }, { kind: 'complete', afterPolls: 1 }], {
      stoppedTaskDetails: { stopCode: 'EssentialContainerExited', exitCode: 1, reason: 'boom' },
    });
    await createStoppedTasks(fixture, EcsSimulator.deploymentId(1), 1, 'Essential container in task exited');
    const { proxy, env } = await simulatedEcs(simulator, faultEveryOperation);
    try {
      const result = await runAction('ecs-deploy', { inputs: { cluster: fixture.cluster, service: fixture.service, containers: 'app=registry.example/app:bad', ...FAST }, env });
      expect(result.exitCode).toBe(1);
      expect(result.errors[0]).toMatch(/deployment ecs-svc\/sim-1 failed: .*app exit 1 \(boom\).*Rolled back to .*-web:1/);
      expect(result.outputs['rolled-back']).toBe('true');
      const { all, faulted } = faultedOperations(proxy);
      expect(all).toEqual(expect.arrayContaining(['ListTasks', 'DescribeTasks', 'UpdateService']));
      expect(faulted).toEqual(all);
    } finally {
      await proxy.close();
    }
  });

  it('throttling and a 5xx on every call of scaling to 0 and back', async () => {
    const fixture = await createService('faultscale');
    const simulator = new EcsSimulator(fixture.service, []);
    const { proxy, env } = await simulatedEcs(simulator, faultEveryOperation);
    try {
      const down = await runAction('ecs-deploy', { inputs: { cluster: fixture.cluster, service: fixture.service, 'desired-count': 0, ...FAST }, env });
      expect(down.errors).toEqual([]);
      const up = await runAction('ecs-deploy', { inputs: { cluster: fixture.cluster, service: fixture.service, 'desired-count': 'restore', ...FAST }, env });
      expect(up.errors).toEqual([]);
      expect(up.warnings).toEqual([]);
      expect(up.outputs['desired-count']).toBe('2');
      const { all, faulted } = faultedOperations(proxy);
      expect(all).toEqual(expect.arrayContaining(['TagResource', 'UntagResource', 'UpdateService']));
      expect(faulted).toEqual(all);
    } finally {
      await proxy.close();
    }
  });

  it('a poll that outlasts the SDK retries is a warning, not a failed deployment', async () => {
    const fixture = await createService('outage');
    const simulator = new EcsSimulator(fixture.service, [{ kind: 'complete', afterPolls: 1 }]);
    let describeCalls = 0;
    const { proxy, env } = await simulatedEcs(simulator, (faults) =>
      // The read before the update passes; then every attempt of one poll (6 with the SDK's retries) gets a 503.
      faults.addRule({ match: (request) => request.operation === 'DescribeServices' && ++describeCalls > 1, fault: serverError(503), times: 6 }),
    );
    try {
      const result = await runAction('ecs-deploy', { inputs: { cluster: fixture.cluster, service: fixture.service, containers: 'app=registry.example/app:2', ...FAST }, env });
      expect(result.errors).toEqual([]);
      expect(result.exitCode).toBe(0);
      expect(result.warnings).toHaveLength(1);
      expect(result.warnings[0]).toMatch(/DescribeServices failed \(.*HTTP 503.*\).*; polling again/);
    } finally {
      await proxy.close();
    }
  });

  it('ECS unreachable: one clear error naming the call, no stack', async () => {
    const port = await freePort();
    const result = await runAction('ecs-deploy', {
      inputs: { cluster: 'any', service: 'web', ...FAST },
      env: awsEnvironment(`http://127.0.0.1:${port}`, REGION),
    });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/^ecs-deploy: DescribeServices failed.*ECONNREFUSED/);
    expect(result.log).not.toMatch(/\n\s+at /);
  });
});
