import { DescribeServicesCommand, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { runAction } from '../../src/index.js';
import { APP_CONTAINER, EcsSimulator, FAST, SIDECAR_CONTAINER, createService, simulatedEcs, type OneOffTaskBehaviour } from './fixture.js';

async function deployWithTask(label: string, oneOffTask: OneOffTaskBehaviour, inputs: Record<string, string> = {}) {
  const fixture = await createService(label, { containers: [APP_CONTAINER, SIDECAR_CONTAINER] });
  const simulator = new EcsSimulator(fixture.service, [{ kind: 'complete', afterPolls: 1 }], { oneOffTask });
  const { proxy, env } = await simulatedEcs(simulator);
  try {
    const result = await runAction('ecs-deploy', {
      inputs: { cluster: fixture.cluster, service: fixture.service, containers: 'app=registry.example/app:2.0.0', 'run-task': 'npm run migrate -- --to "2024 schema"', ...FAST, ...inputs },
      env,
    });
    const service = (await fixture.ecs.send(new DescribeServicesCommand({ cluster: fixture.cluster, services: [fixture.service] }))).services?.[0];
    const revisions = (await fixture.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: fixture.family, status: 'ACTIVE' }))).taskDefinitionArns ?? [];
    return { fixture, simulator, result, service, revisions };
  } finally {
    await proxy.close();
  }
}

describe.concurrent('ecs-deploy: run-task', () => {
  it('run-task-only runs the task from the new revision and leaves the service on its revision', async () => {
    const { fixture, simulator, result, service } = await deployWithTask('migrate-only', { stopsAfterPolls: 1, exitCode: 0 }, { 'run-task-only': 'true' });
    expect(result.errors).toEqual([]);
    expect(result.outputs['run-task-exit-code']).toBe('0');
    expect(simulator.count('RunTask')).toBe(1);
    expect(simulator.count('UpdateService')).toBe(0);
    expect(service?.taskDefinition).toBe(fixture.firstArn);
    expect(result.outputs['previous-task-definition-arn']).toBe(fixture.firstArn);
    expect(result.log).toContain('run-task-only');
  });

  it('runs the one-off task from the new revision with the service network, waits for exit 0, then updates the service', async () => {
    const { fixture, simulator, result, service } = await deployWithTask('migrate-ok', { stopsAfterPolls: 3, exitCode: 0 });
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.outputs['run-task-exit-code']).toBe('0');
    const runTask = simulator.requests.find((request) => request.operation === 'RunTask');
    expect(runTask?.body).toMatchObject({
      cluster: fixture.cluster,
      taskDefinition: result.outputs['task-definition-arn'],
      launchType: 'FARGATE',
      startedBy: 'deploy-suite/ecs-deploy',
      networkConfiguration: { awsvpcConfiguration: { subnets: [fixture.subnet], securityGroups: [fixture.securityGroup], assignPublicIp: 'DISABLED' } },
      overrides: { containerOverrides: [{ name: 'app', command: ['npm', 'run', 'migrate', '--', '--to', '2024 schema'] }] },
    });
    expect(result.log).toMatch(/Running \["npm","run","migrate","--","--to","2024 schema"\] in container app of .*-web:2/);
    expect(result.log).toMatch(/Task [0-9a-f-]+: PROVISIONING/);
    expect(result.log).toMatch(/Task [0-9a-f-]+: STOPPED/);
    expect(service?.taskDefinition).toBe(result.outputs['task-definition-arn']);
    // The task ran before the update.
    const order = simulator.requests.map((request) => request.operation).filter((operation) => operation !== 'DescribeServices');
    expect(order.indexOf('DescribeTasks')).toBeLessThan(order.indexOf('UpdateService'));
    expect(result.summary).toContain('One-off task');
  });

  it('fails with the exit code and stop reason, leaves the service alone and deregisters the revision it registered', async () => {
    const { fixture, result, service, revisions, simulator } = await deployWithTask('migrate-fail', {
      stopsAfterPolls: 2,
      exitCode: 3,
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
    });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(
      /^ecs-deploy: one-off task [0-9a-f-]+ \(container app\) exited with code 3 \(EssentialContainerExited: Essential container in task exited\); the service was not updated; revision .*-web:2 was deregistered$/,
    );
    expect(result.outputs['run-task-exit-code']).toBe('3');
    expect(result.outputs.registered).toBe('false');
    expect(simulator.count('UpdateService')).toBe(0);
    expect(service?.taskDefinition).toBe(fixture.firstArn);
    expect(revisions).toEqual([fixture.firstArn]);
  });

  it('a task that stops without an exit code (image not pulled) fails with its stop reason', async () => {
    const { result } = await deployWithTask('migrate-pull', {
      stopsAfterPolls: 1,
      exitCode: undefined,
      stopCode: 'TaskFailedToStart',
      stoppedReason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s)',
    });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain('stopped without an exit code (TaskFailedToStart: CannotPullContainerError');
    expect(result.outputs['run-task-exit-code']).toBe('');
  });

  it('a task that does not stop in time is left running and named; the service is not updated', async () => {
    const { result, simulator } = await deployWithTask('migrate-slow', { stopsAfterPolls: Infinity, exitCode: 0 }, { timeout: '1s', 'run-task-container': 'proxy' });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toMatch(/one-off task [0-9a-f-]+ did not stop within 1\.0s \(last status RUNNING\); it was left running and the service was not updated/);
    expect(result.log).toContain('in container proxy');
    expect(simulator.count('UpdateService')).toBe(0);
  });

  it('an explicit network replaces the service one (moto rejects an unknown subnet: the request carried it)', async () => {
    const { result, simulator } = await deployWithTask('migrate-net', { stopsAfterPolls: 1, exitCode: 0 }, { 'run-task-network': '{"subnets": ["subnet-doesnotexist"], "assignPublicIp": "ENABLED"}' });
    expect(simulator.requests.find((request) => request.operation === 'RunTask')?.body.networkConfiguration).toEqual({
      awsvpcConfiguration: { subnets: ['subnet-doesnotexist'], assignPublicIp: 'ENABLED' },
    });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toMatch(/RunTask failed/);
    expect(result.errors[0]).toContain('the service was not updated; revision');
  });
});
