import { DescribeServicesCommand, ECSClient, RegisterTaskDefinitionCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { waitUntil } from '@deploy-suite/kit';
import { describe, expect, it } from 'vitest';
import { runAction, type StepResult } from '../../src/index.js';
import { APP_CONTAINER, EcsSimulator, FAST, REGION, createService, createStoppedTasks, simulatedEcs, type Behaviour } from './fixture.js';

async function deployWith(label: string, behaviours: Behaviour[], inputs: Record<string, string> = {}, options: ConstructorParameters<typeof EcsSimulator>[2] = {}) {
  const fixture = await createService(label);
  const simulator = new EcsSimulator(fixture.service, behaviours, options);
  const { proxy, env } = await simulatedEcs(simulator);
  try {
    if (options.stoppedTaskDetails) await createStoppedTasks(fixture, EcsSimulator.deploymentId(1), 2, 'Essential container in task exited');
    const result = await runAction('ecs-deploy', {
      inputs: { cluster: fixture.cluster, service: fixture.service, containers: 'app=registry.example/app:broken', ...FAST, ...inputs },
      env,
    });
    const service = (await fixture.ecs.send(new DescribeServicesCommand({ cluster: fixture.cluster, services: [fixture.service] }))).services?.[0];
    return { fixture, simulator, result, service };
  } finally {
    await proxy.close();
  }
}

/**
 * Waits until the simulated ECS has acted on the action's UpdateService. Its arrival is not enough: under load
 * moto can answer a later UpdateService first, and the simulator starts deployments in the order of the answers.
 * An action that ended first, or no update within 20 s, fails the test at once, saying why.
 */
async function untilUpdated(simulator: EcsSimulator, running: Promise<StepResult>): Promise<void> {
  let ended = false;
  void running.finally(() => (ended = true));
  await waitUntil(
    async () => {
      if (simulator.answered('UpdateService') > 0) return { done: true, value: undefined };
      if (ended) throw new Error(`ecs-deploy ended before its UpdateService: ${(await running).errors.join('; ') || 'no error'}`);
      return { done: false, status: `${simulator.count('UpdateService')} UpdateService received, none answered` };
    },
    { description: "ecs-deploy's UpdateService", timeoutMs: 20_000, initialDelayMs: 50, maxDelayMs: 50, factor: 1, jitter: 0 },
  );
}

const updates = (simulator: EcsSimulator) => simulator.requests.filter((request) => request.operation === 'UpdateService').map((request) => request.body);

describe.concurrent('ecs-deploy: failed roll-outs and rollback', () => {
  it('rolloutState FAILED: lists the stopped tasks, rolls back to the previous revision, and fails saying both', async () => {
    const { fixture, simulator, result, service } = await deployWith(
      'failed',
      [{ kind: 'fail', afterPolls: 2 }, { kind: 'complete', afterPolls: 2 }],
      {},
      { stoppedTaskDetails: { stopCode: 'EssentialContainerExited', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' } },
    );
    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    const error = result.errors[0] as string;
    expect(error).toMatch(/^ecs-deploy: deployment ecs-svc\/sim-1 failed: ECS deployment circuit breaker: tasks failed to start/);
    expect(error).toContain('EssentialContainerExited');
    expect(error).toContain('exit 137 (OutOfMemoryError: Container killed due to memory usage)');
    expect(error).toMatch(/Rolled back to .*-web:1: the service is stable on it again/);
    expect(error).not.toMatch(/\n|\s{4}at /);
    expect(result.outputs).toMatchObject({ 'rolled-back': 'true', 'deployment-id': 'ecs-svc/sim-1', 'previous-task-definition-arn': fixture.firstArn });
    expect(updates(simulator).at(-1)).toMatchObject({ taskDefinition: fixture.firstArn });
    expect(service?.taskDefinition).toBe(fixture.firstArn);
    expect(result.log).toMatch(/task [0-9a-f-]+ \(.*-web:1\) EssentialContainerExited: Essential container in task exited; app exit 137/);
    expect(result.summary).toContain('Stopped tasks');
    expect(result.summary).toContain('OutOfMemoryError');
    expect(result.summary).toContain('rolled back');
    expect(result.summary).toMatch(/Afterwards.*Rolled back to .*-web:1/s);
    expect(result.summary).toContain('deployment failed: tasks failed to start');
    if (process.env.SHOW_LOG) console.log(result.log, result.summary);
  });

  it('a circuit-breaker rollback fails the step, and the rollback ECS started is watched to stability', async () => {
    const { simulator, result } = await deployWith('breaker', [{ kind: 'circuit-breaker', afterPolls: 2 }, { kind: 'complete', afterPolls: 2 }]);
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toMatch(/deployment ecs-svc\/sim-1 failed: ECS deployment circuit breaker/);
    expect(result.errors[0]).toMatch(/The ECS circuit breaker rolled back to .*-web:1: the service is stable on it again/);
    expect(result.outputs['rolled-back']).toBe('true');
    // ECS rolled back by itself: the action does not start a second rollback.
    expect(updates(simulator)).toHaveLength(1);
    expect(result.log).toContain('rolling back to deployment ecs-svc/sim-rollback-1');
  });

  it('our deployment no longer PRIMARY (another deployment took over) is a failure too', async () => {
    const fixture = await createService('replaced');
    // The other deployment is on a revision of its own: on the previous one (:1) it would be a rollback, not a take-over.
    const registered = await fixture.ecs.send(new RegisterTaskDefinitionCommand({ family: fixture.family, containerDefinitions: [{ ...APP_CONTAINER, image: 'registry.example/app:theirs' }] }));
    const theirs = `${fixture.family}:${registered.taskDefinition?.revision}`;
    const simulator = new EcsSimulator(fixture.service, [{ kind: 'stuck' }, { kind: 'complete', afterPolls: 1 }]);
    const { proxy, env } = await simulatedEcs(simulator);
    try {
      const running = runAction('ecs-deploy', {
        inputs: { cluster: fixture.cluster, service: fixture.service, containers: 'app=registry.example/app:mine', rollback: 'never', ...FAST },
        env,
      });
      // Someone else deploys while we watch: their UpdateService goes through the same simulated ECS, after ours.
      const other = new ECSClient({ endpoint: proxy.url, region: REGION, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
      await untilUpdated(simulator, running);
      await other.send(new UpdateServiceCommand({ cluster: fixture.cluster, service: fixture.service, taskDefinition: registered.taskDefinition?.taskDefinitionArn, forceNewDeployment: true }));
      const result = await running;
      expect(result.exitCode).toBe(1);
      expect(result.errors[0]).toContain(`deployment ecs-svc/sim-1 is no longer PRIMARY: deployment ecs-svc/sim-2 on ${theirs} replaced it (another deployment started?)`);
      expect(result.errors[0]).toContain('rollback: never');
      expect(result.outputs).toMatchObject({ 'deployment-id': 'ecs-svc/sim-1', 'rolled-back': 'false' });
    } finally {
      await proxy.close();
    }
  });

  it('a timeout rolls back; the error says how long it waited and where it stood', async () => {
    const { fixture, simulator, result } = await deployWith('timeout', [{ kind: 'stuck' }, { kind: 'complete', afterPolls: 1 }], { timeout: '1500ms' });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toMatch(/the roll-out of .*-web:2 did not finish within 1\.5s \(last status: IN_PROGRESS, 0\/2 running, 2 pending, 1 older deployment\(s\) draining\)/);
    expect(result.errors[0]).toMatch(/Rolled back to .*-web:1/);
    expect(result.outputs['rolled-back']).toBe('true');
    expect(updates(simulator).at(-1)).toMatchObject({ taskDefinition: fixture.firstArn });
    expect(result.log).toContain('was unable to place a task');
  });

  it('a rollback puts the desired count back too, and the output says so', async () => {
    const { simulator, result, fixture, service } = await deployWith('rbcount', [{ kind: 'fail', afterPolls: 1 }, { kind: 'complete', afterPolls: 1 }], { 'desired-count': '3' });
    expect(result.exitCode).toBe(1);
    expect(updates(simulator)[0]).toMatchObject({ desiredCount: 3 });
    expect(updates(simulator).at(-1)).toMatchObject({ taskDefinition: fixture.firstArn, desiredCount: 2 });
    expect(service?.desiredCount).toBe(2);
    expect(result.outputs).toMatchObject({ 'rolled-back': 'true', 'desired-count': '2' });
  });

  it('rollback: never leaves the failed deployment in place and still fails', async () => {
    const { simulator, result, fixture, service } = await deployWith('never', [{ kind: 'fail', afterPolls: 1 }], { rollback: 'never' });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toMatch(/failed: ECS deployment circuit breaker: tasks failed to start.*The service was left as it is \(rollback: never\)/);
    expect(result.outputs['rolled-back']).toBe('false');
    expect(updates(simulator)).toHaveLength(1);
    expect(service?.taskDefinition).not.toBe(fixture.firstArn);
  });

  it('a rollback that fails too is reported as such', async () => {
    const { result } = await deployWith('rbfail', [{ kind: 'fail', afterPolls: 1 }, { kind: 'fail', afterPolls: 1 }]);
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toMatch(/Rolling back to .*-web:1 failed too: deployment ecs-svc\/sim-2 failed/);
    expect(result.outputs['rolled-back']).toBe('false');
  });

  it('a service without rollout state succeeds when running equals desired', async () => {
    const { result, simulator } = await deployWith('norollout', [{ kind: 'no-rollout-state', afterPolls: 2 }]);
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    // It waited: the service read, a poll with 0/2 running, then the poll with 2/2.
    expect(simulator.count('DescribeServices')).toBe(3);
    expect(result.log).toMatch(/-web:2 is stable after/);
    expect(result.outputs).toMatchObject({ 'rolled-back': 'false', 'task-definition-arn': expect.stringMatching(/-web:2$/), 'deployment-id': 'ecs-svc/sim-1' });
    expect(result.summary).toContain('Deployed');
  });
});
