/** Scenarios (i) and (j) of issue 12: the rollback caller and staging hours. */
import { describe, expect, it } from 'vitest';
import { expectConclusion, play, recordedDeployments, useStaging } from './helpers.js';

const environment = useStaging();

describe('rollback and staging hours', () => {
  // Workflow fault (reported): deployment-record looks for an earlier deployment whose latest status is
  // success, but GitHub marks earlier successful deployments inactive when a newer one succeeds
  // (auto_inactive), so there is never one to go back to. Remove .fails once it counts them.
  it.fails('(i) the rollback caller puts every target back on what ran at the deployment before the last', async () => {
    const staging = environment.current();
    const [first, second, rollback] = await play(staging, 'rollback');
    expectConclusion(first!, 'success');
    expectConclusion(second!, 'success');
    const afterSecond = recordedDeployments(staging)[0];
    expectConclusion(rollback!, 'success');
    const state = await staging.state();
    expect(state.services.api).toMatchObject({ taskDefinition: staging.seeded.taskDefinitions.api, version: staging.repo.initialSha });
    expect(state.function.version).toBe(staging.seeded.functionVersion);
    // The rollback is recorded as a deployment of what runs now, so the next push compares with it.
    const latest = recordedDeployments(staging)[0];
    expect(latest?.id).not.toBe(afterSecond?.id);
    expect(latest?.state).toBe('success');
  });

  it('(j) staging hours: down at night records no deployment, a push while down stays down, up in the morning', async () => {
    const staging = environment.current();
    const [down, push, up] = await play(staging, 'staging-hours');
    expectConclusion(down!, 'success');
    expectConclusion(push!, 'success');
    expectConclusion(up!, 'success');
    const pushed = staging.repo.head();
    const state = await staging.state();
    expect(state.services.api).toMatchObject({ desiredCount: 2, version: pushed });
    expect(state.services.worker).toMatchObject({ desiredCount: 1 });
    expect((await fetch(`${staging.app.url}/healthz`)).status).toBe(200);
    // Only the push is a deployment; scaling records none.
    expect(recordedDeployments(staging).map((deployment) => deployment.sha)).toEqual([pushed]);
  });
});
