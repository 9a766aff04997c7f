/**
 * A RegisterTaskDefinition whose answer is lost after it took effect (a 500 or
 * a reset on the way back) must not leave a duplicate revision: the action
 * finds the revision by its registration tag before registering again.
 */
import { DescribeTaskDefinitionCommand, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { runAction } from '../../src/index.js';
import { EcsSimulator, FAST, createService, simulatedEcs } from './fixture.js';

const LOST = {
  kind: 'rewrite' as const,
  // Moto registered it; the caller hears a 500.
  rewrite: () => ({
    status: 500,
    headers: { 'content-type': 'application/x-amz-json-1.1' },
    body: Buffer.from(JSON.stringify({ __type: 'ServerException', message: 'the answer was lost on the way back' })),
  }),
};

describe.concurrent('ecs-deploy: lost answers', () => {
  it('a RegisterTaskDefinition answer lost after it took effect registers one revision, not two', async () => {
    const fixture = await createService('lostreg');
    const simulator = new EcsSimulator(fixture.service, [{ kind: 'complete', afterPolls: 1 }]);
    const { proxy, env } = await simulatedEcs(simulator, (faults) => faults.addRule({ match: 'RegisterTaskDefinition', fault: LOST, times: 1 }));
    try {
      const result = await runAction('ecs-deploy', {
        inputs: { cluster: fixture.cluster, service: fixture.service, containers: 'app=registry.example/app:2', ...FAST },
        env: { ...env, GITHUB_RUN_ID: '4242', GITHUB_RUN_ATTEMPT: '1' },
      });
      expect(result.exitCode, result.log).toBe(0);
      const listed = await fixture.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: fixture.family, status: 'ACTIVE' }));
      const revisions = (listed.taskDefinitionArns ?? []).filter((arn) => arn.includes(`/${fixture.family}:`));
      // The first revision the service started on, and exactly one new one.
      expect(revisions).toHaveLength(2);
      expect(result.outputs['task-definition-arn']).toBe(revisions.find((arn) => arn !== fixture.firstArn));
      expect(result.log).toMatch(/RegisterTaskDefinition's answer was lost, but \S+:2 carries this registration's tag: using it/);
      const { tags } = await fixture.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: result.outputs['task-definition-arn'], include: ['TAGS'] }));
      expect(tags?.find((tag) => tag.key === 'deploy-suite:registration')?.value).toMatch(/^4242-1-[0-9a-f]{8}$/);
      expect(proxy.log.filter((entry) => entry.operation === 'RegisterTaskDefinition')).toHaveLength(1);
    } finally {
      await proxy.close();
    }
  });
});
