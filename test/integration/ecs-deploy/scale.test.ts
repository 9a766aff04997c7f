import { DescribeServicesCommand, ListTagsForResourceCommand } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { awsEnvironment, runAction, services } from '../../src/index.js';
import { EcsSimulator, FAST, REGION, createService, simulatedEcs } from './fixture.js';

describe.concurrent('ecs-deploy: scale mode', () => {
  // Changing only the count starts no deployment: ECS starts or stops tasks of the current one.
  it('desired-count 0 saves the count in a service tag; restore brings it back and removes the tag', async () => {
    const fixture = await createService('scale', { desiredCount: 3 });
    const simulator = new EcsSimulator(fixture.service, []);
    const { proxy, env } = await simulatedEcs(simulator);
    try {
      const base = { cluster: fixture.cluster, service: fixture.service, ...FAST };
      const describe = async () => (await fixture.ecs.send(new DescribeServicesCommand({ cluster: fixture.cluster, services: [fixture.service], include: ['TAGS'] }))).services?.[0];

      const down = await runAction('ecs-deploy', { inputs: { ...base, 'desired-count': 0 }, env });
      expect(down.errors).toEqual([]);
      expect(down.outputs).toMatchObject({ 'desired-count': '0', registered: 'false' });
      expect(down.log).toContain('Saved the desired count 3');
      const stopped = await describe();
      expect(stopped?.desiredCount).toBe(0);
      expect(stopped?.tags).toContainEqual({ key: 'deploy-suite:previous-desired-count', value: '3' });
      expect(down.summary).toContain('3 → 0');

      // Scaling to 0 again keeps the saved count.
      const again = await runAction('ecs-deploy', { inputs: { ...base, 'desired-count': 0 }, env });
      expect(again.exitCode).toBe(0);
      expect((await describe())?.tags).toContainEqual({ key: 'deploy-suite:previous-desired-count', value: '3' });

      const up = await runAction('ecs-deploy', { inputs: { ...base, 'desired-count': 'restore' }, env });
      expect(up.errors).toEqual([]);
      expect(up.outputs['desired-count']).toBe('3');
      const restored = await describe();
      expect(restored?.desiredCount).toBe(3);
      const tags = await fixture.ecs.send(new ListTagsForResourceCommand({ resourceArn: restored?.serviceArn }));
      expect(tags.tags ?? []).not.toContainEqual(expect.objectContaining({ key: 'deploy-suite:previous-desired-count' }));
      expect(up.log).toContain('has started 3 tasks.');
      expect(simulator.count('UpdateService')).toBe(2);
    } finally {
      await proxy.close();
    }
  });

  it('restore without a saved count: a running service keeps its count; one at 0 needs restore-count', async () => {
    const running = await createService('restore-up');
    const env = awsEnvironment(services().motoUrl, REGION);
    const kept = await runAction('ecs-deploy', { inputs: { cluster: running.cluster, service: running.service, 'desired-count': 'restore', wait: 'false', ...FAST }, env });
    expect(kept.errors).toEqual([]);
    expect(kept.outputs['desired-count']).toBe('2');

    const stopped = await createService('restore-zero', { desiredCount: 0 });
    const base = { cluster: stopped.cluster, service: stopped.service, 'desired-count': 'restore', wait: 'false', ...FAST };
    const refused = await runAction('ecs-deploy', { inputs: base, env });
    expect(refused.exitCode).toBe(1);
    expect(refused.errors).toEqual([
      'ecs-deploy: input "desired-count" is "restore" but service "web" has no "deploy-suite:previous-desired-count" tag: it was not scaled to 0 by this action; set "restore-count" for the count to start it with',
    ]);
    const describe = async () => (await stopped.ecs.send(new DescribeServicesCommand({ cluster: stopped.cluster, services: [stopped.service] }))).services?.[0];
    expect((await describe())?.desiredCount).toBe(0);
    const started = await runAction('ecs-deploy', { inputs: { ...base, 'restore-count': 2 }, env });
    expect(started.errors).toEqual([]);
    expect((await describe())?.desiredCount).toBe(2);
  });
});
