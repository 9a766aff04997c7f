import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { runAction } from '../../src/index.js';
import { APP_CONTAINER, EcsSimulator, FAST, SIDECAR_CONTAINER, createService, simulatedEcs } from './fixture.js';

const SHA = 'c0ffee0000000000000000000000000000000001';

async function describeRevision(fixture: Awaited<ReturnType<typeof createService>>, arn: string) {
  return fixture.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn, include: ['TAGS'] }));
}

describe.concurrent('ecs-deploy: render, register, update, watch', () => {
  it('puts the service back on a registered revision given by ARN, registering nothing (a rollback to a recorded deployment)', async () => {
    const fixture = await createService('by-arn');
    const simulator = new EcsSimulator(fixture.service, [{ kind: 'complete', afterPolls: 1 }, { kind: 'complete', afterPolls: 1 }]);
    const { proxy, env } = await simulatedEcs(simulator);
    try {
      const forward = await runAction('ecs-deploy', { inputs: { cluster: fixture.cluster, service: fixture.service, containers: 'app=registry.example/app:2.0.0', ...FAST }, env });
      expect(forward.outputs['task-definition-arn']).toBe(fixture.firstArn.replace(/:1$/, ':2'));
      const back = await runAction('ecs-deploy', { inputs: { cluster: fixture.cluster, service: fixture.service, 'task-definition': fixture.firstArn, ...FAST }, env });
      expect(back.errors).toEqual([]);
      expect(back.outputs).toMatchObject({ 'task-definition-arn': fixture.firstArn, 'previous-task-definition-arn': forward.outputs['task-definition-arn'], registered: 'false' });
      const revisions = await fixture.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: fixture.family, status: 'ACTIVE' }));
      expect(revisions.taskDefinitionArns).toHaveLength(2);
      const service = (await fixture.ecs.send(new DescribeServicesCommand({ cluster: fixture.cluster, services: [fixture.service] }))).services?.[0];
      expect(service?.taskDefinition).toBe(fixture.firstArn);
      const mixed = await runAction('ecs-deploy', { inputs: { cluster: fixture.cluster, service: fixture.service, 'task-definition': fixture.firstArn, containers: 'app=x:1', ...FAST }, env });
      expect(mixed.errors[0]).toMatch(/input "task-definition" names a registered revision .* drop "containers"/);
    } finally {
      await proxy.close();
    }
  });

  it('registers a revision with the new image, tagged with the commit, and follows the roll-out to COMPLETED', async () => {
    const fixture = await createService('happy');
    const simulator = new EcsSimulator(fixture.service, [{ kind: 'complete', afterPolls: 3 }]);
    const { proxy, env } = await simulatedEcs(simulator);
    try {
      const result = await runAction('ecs-deploy', {
        inputs: { cluster: fixture.cluster, service: fixture.service, containers: 'app=registry.example/app:2.0.0', ...FAST },
        env,
        sha: SHA,
      });
      expect(result.errors).toEqual([]);
      expect(result.exitCode).toBe(0);
      const arn = result.outputs['task-definition-arn'] as string;
      expect(arn).toBe(fixture.firstArn.replace(/:1$/, ':2'));
      expect(result.outputs).toMatchObject({
        'previous-task-definition-arn': fixture.firstArn,
        'deployment-id': EcsSimulator.deploymentId(1),
        'rolled-back': 'false',
        registered: 'true',
        'desired-count': '2',
      });
      const revision = await describeRevision(fixture, arn);
      expect(revision.taskDefinition?.containerDefinitions?.[0]?.image).toBe('registry.example/app:2.0.0');
      // Everything else came across from the service's revision.
      expect(revision.taskDefinition?.containerDefinitions?.[0]?.environment).toEqual(APP_CONTAINER.environment);
      expect(revision.taskDefinition?.cpu).toBe('256');
      expect(revision.tags).toContainEqual({ key: 'deploy-suite:commit-sha', value: SHA });
      const service = (await fixture.ecs.send(new DescribeServicesCommand({ cluster: fixture.cluster, services: [fixture.service] }))).services?.[0];
      expect(service?.taskDefinition).toBe(arn);
      // Each event printed once, and the one from before the run not at all.
      expect(result.log.match(/has started 2 tasks/g)).toHaveLength(1);
      expect(result.log.match(/deployment completed/g)).toHaveLength(1);
      expect(result.log.match(/has reached a steady state/g)).toHaveLength(1);
      // Three polls to COMPLETED, then the step ends: no waiter backing off.
      expect(simulator.count('DescribeServices')).toBe(1 + 3);
      expect(result.summary).toContain('Deployed');
      expect(result.summary).toContain('registry.example/app:1.0.0');
      expect(result.summary).toContain('registry.example/app:2.0.0');
      expect(result.summary).toContain('deployment completed');
      expect(result.summary).toContain('Roll-out took');
    } finally {
      await proxy.close();
    }
  });

  it('does not register again when a re-run renders the same definition, and says so', async () => {
    const fixture = await createService('rerun');
    const simulator = new EcsSimulator(fixture.service, [{ kind: 'complete', afterPolls: 1 }]);
    const { proxy, env } = await simulatedEcs(simulator);
    try {
      const inputs = { cluster: fixture.cluster, service: fixture.service, containers: 'app=registry.example/app:2.0.0', environment: 'LOG_LEVEL=debug', ...FAST };
      const first = await runAction('ecs-deploy', { inputs, env });
      expect(first.exitCode).toBe(0);
      const second = await runAction('ecs-deploy', { inputs, env });
      expect(second.errors).toEqual([]);
      expect(second.exitCode).toBe(0);
      expect(second.log).toMatch(/The rendered definition equals the service's .*:2: no new revision registered/);
      expect(second.outputs).toMatchObject({
        'task-definition-arn': first.outputs['task-definition-arn'],
        'previous-task-definition-arn': first.outputs['task-definition-arn'],
        registered: 'false',
      });
      expect(simulator.count('UpdateService')).toBe(1);
      const revisions = await fixture.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: fixture.family }));
      expect(revisions.taskDefinitionArns).toHaveLength(2);
      expect(second.summary).toContain('Already up to date');

      // Forced: a new revision and a new deployment although nothing changed.
      const forced = await runAction('ecs-deploy', { inputs: { ...inputs, 'force-new-deployment': true, wait: false }, env });
      expect(forced.exitCode).toBe(0);
      expect(forced.outputs.registered).toBe('true');
      expect(forced.outputs['task-definition-arn']).toMatch(/:3$/);
      expect(simulator.requests.filter((request) => request.operation === 'UpdateService').at(-1)?.body).toMatchObject({ forceNewDeployment: true });
    } finally {
      await proxy.close();
    }
  });

  it('swaps the images of several containers at once and shows each before and after', async () => {
    const fixture = await createService('multi', { containers: [APP_CONTAINER, SIDECAR_CONTAINER] });
    const simulator = new EcsSimulator(fixture.service, [{ kind: 'complete', afterPolls: 1 }]);
    const { proxy, env } = await simulatedEcs(simulator);
    try {
      const result = await runAction('ecs-deploy', {
        inputs: { cluster: fixture.cluster, service: fixture.service, containers: 'app=registry.example/app:3.1.0\nproxy = registry.example/envoy:1.31\n', ...FAST },
        env,
      });
      expect(result.errors).toEqual([]);
      const revision = await describeRevision(fixture, result.outputs['task-definition-arn'] as string);
      expect(revision.taskDefinition?.containerDefinitions?.map((container) => [container.name, container.image])).toEqual([
        ['app', 'registry.example/app:3.1.0'],
        ['proxy', 'registry.example/envoy:1.31'],
      ]);
      expect(result.summary).toMatch(/proxy.*registry\.example\/envoy:1\.30.*registry\.example\/envoy:1\.31/s);
      expect(result.log).toContain('proxy: registry.example/envoy:1.30 -> registry.example/envoy:1.31');
    } finally {
      await proxy.close();
    }
  });

  it('merges environment variables and secrets into what the containers have', async () => {
    const fixture = await createService('merge', { containers: [APP_CONTAINER, SIDECAR_CONTAINER] });
    const simulator = new EcsSimulator(fixture.service, [{ kind: 'complete', afterPolls: 1 }]);
    const { proxy, env } = await simulatedEcs(simulator);
    try {
      const result = await runAction('ecs-deploy', {
        inputs: {
          cluster: fixture.cluster,
          service: fixture.service,
          environment: 'app.LOG_LEVEL=debug\napp.FEATURE_X=on\nproxy.ADMIN_PORT=9901',
          secrets: 'app.API_KEY=arn:aws:secretsmanager:us-east-1:123456789012:secret:api-key\napp.DB_PASSWORD=arn:aws:ssm:us-east-1:123456789012:parameter/db-password-v2',
          ...FAST,
        },
        env,
      });
      expect(result.errors).toEqual([]);
      const containers = (await describeRevision(fixture, result.outputs['task-definition-arn'] as string)).taskDefinition?.containerDefinitions ?? [];
      const app = containers.find((container) => container.name === 'app');
      expect(app?.environment).toEqual([
        { name: 'LOG_LEVEL', value: 'debug' },
        { name: 'KEEP_ME', value: 'kept' },
        { name: 'FEATURE_X', value: 'on' },
      ]);
      expect(app?.secrets).toEqual([
        { name: 'DB_PASSWORD', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/db-password-v2' },
        { name: 'API_KEY', valueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:api-key' },
      ]);
      expect(containers.find((container) => container.name === 'proxy')?.environment).toEqual([{ name: 'ADMIN_PORT', value: '9901' }]);
    } finally {
      await proxy.close();
    }
  });

  it('starts from a task definition file (describe-task-definition output, nulls and read-only fields included)', async () => {
    const fixture = await createService('file');
    const simulator = new EcsSimulator(fixture.service, [{ kind: 'complete', afterPolls: 1 }]);
    const { proxy, env } = await simulatedEcs(simulator);
    const workspace = mkdtempSync(path.join(tmpdir(), 'ecs-deploy-ws-'));
    const described = await describeRevision(fixture, fixture.firstArn);
    const definition = JSON.parse(JSON.stringify(described.taskDefinition)) as Record<string, unknown>;
    definition.ipcMode = null;
    definition.registeredBy = 'arn:aws:iam::123456789012:user/someone';
    (definition.containerDefinitions as Record<string, unknown>[])[0]!.memory = 384;
    writeFileSync(path.join(workspace, 'taskdef.json'), JSON.stringify({ taskDefinition: definition, tags: [{ key: 'team', value: 'web' }] }, null, 2));
    try {
      const result = await runAction('ecs-deploy', {
        inputs: { cluster: fixture.cluster, service: fixture.service, 'task-definition': 'taskdef.json', containers: 'app=registry.example/app:4.0.0', ...FAST },
        env,
        workspace,
        sha: SHA,
      });
      expect(result.errors).toEqual([]);
      const revision = await describeRevision(fixture, result.outputs['task-definition-arn'] as string);
      expect(revision.taskDefinition?.containerDefinitions?.[0]).toMatchObject({ memory: 384, image: 'registry.example/app:4.0.0' });
      expect(revision.tags).toEqual(expect.arrayContaining([{ key: 'team', value: 'web' }, { key: 'deploy-suite:commit-sha', value: SHA }]));
      const request = simulator.requests.find((entry) => entry.operation === 'UpdateService');
      expect(request?.body.taskDefinition).toBe(result.outputs['task-definition-arn']);
    } finally {
      await proxy.close();
    }
  });

  it('keep-revisions deregisters the oldest ACTIVE revisions of the family only, never the previous one', async () => {
    const fixture = await createService('prune');
    const simulator = new EcsSimulator(fixture.service, [
      { kind: 'complete', afterPolls: 1 },
      { kind: 'complete', afterPolls: 1 },
      { kind: 'complete', afterPolls: 1 },
    ]);
    const { proxy, env } = await simulatedEcs(simulator);
    try {
      for (const version of ['2', '3']) {
        const step = await runAction('ecs-deploy', { inputs: { cluster: fixture.cluster, service: fixture.service, containers: `app=registry.example/app:${version}`, ...FAST }, env });
        expect(step.exitCode).toBe(0);
      }
      const result = await runAction('ecs-deploy', {
        inputs: { cluster: fixture.cluster, service: fixture.service, containers: 'app=registry.example/app:4', 'keep-revisions': 1, ...FAST },
        env,
      });
      expect(result.errors).toEqual([]);
      const active = await fixture.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: fixture.family, status: 'ACTIVE' }));
      // Revision 4 is in use, 3 is the rollback target; 1 and 2 go.
      expect(active.taskDefinitionArns?.map((arn) => arn.split(':').pop()).sort()).toEqual(['3', '4']);
      expect(result.log).toMatch(/Deregistered .*:1/);
      expect(result.log).toMatch(/Deregistered .*:2/);
      expect(result.summary).toContain('Deregistered');
    } finally {
      await proxy.close();
    }
  });

  it('with wait: false, ends once the service is updated', async () => {
    const fixture = await createService('nowait');
    const simulator = new EcsSimulator(fixture.service, [{ kind: 'stuck' }]);
    const { proxy, env } = await simulatedEcs(simulator);
    try {
      const result = await runAction('ecs-deploy', {
        inputs: { cluster: fixture.cluster, service: fixture.service, containers: 'app=registry.example/app:9', wait: false, ...FAST },
        env,
      });
      expect(result.exitCode).toBe(0);
      expect(result.outputs['deployment-id']).toBe(EcsSimulator.deploymentId(1));
      // Only the read before the update: no watching.
      expect(simulator.count('DescribeServices')).toBe(1);
      expect(result.summary).toContain('not waited for');
    } finally {
      await proxy.close();
    }
  });
});
