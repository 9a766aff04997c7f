/** Scenario (d) of issue 12 and (m), runs that queue in the environment's group (in their own file: they run beside the others). */
import { describe, expect, it } from 'vitest';
import { expectConclusion, play, recordedDeployments, useStaging } from './helpers.js';

const environment = useStaging();

describe('pushes to develop, continued', () => {
  it('(d) three quick pushes: queued in the environment\'s group, each deploys its change in turn, nothing cancelled, nothing lost', async () => {
    const staging = environment.current();
    const [first, middle, third] = await play(staging, 'quick-pushes');
    expectConclusion(first!, 'success');
    expectConclusion(middle!, 'success');
    expectConclusion(third!, 'success');
    const [, apiSha, workerSha, webSha] = staging.repo.git('rev-list', '--reverse', 'HEAD').split('\n');
    const state = await staging.state();
    // Each run deployed what changed since the run before it.
    expect(state.services.api.version).toBe(apiSha);
    expect(state.services.worker.version).toBe(workerSha);
    expect(await (await fetch(`${staging.app.url}/`)).text()).toContain(`Built from ${webSha}`);
    // GitHub marks the older successes inactive when a newer one succeeds (auto_inactive).
    expect(recordedDeployments(staging).map((deployment) => [deployment.sha, deployment.state])).toEqual([
      [webSha, 'success'],
      [workerSha, 'inactive'],
      [apiSha, 'inactive'],
    ]);
  });

  it('(m) a push waiting behind a deploy is not cancelled by the scheduled scale-up that arrives after it, nor the scale-up by it', async () => {
    const staging = environment.current();
    const [first, second, scale] = await play(staging, 'push-and-scale');
    expectConclusion(first!, 'success');
    expectConclusion(second!, 'success');
    expectConclusion(scale!, 'success');
    const [, apiSha, workerSha] = staging.repo.git('rev-list', '--reverse', 'HEAD').split('\n');
    const state = await staging.state();
    // The second push's change was deployed by its own run, not left for some later push.
    expect(state.services.worker.version).toBe(workerSha);
    expect(state.services.api.version).toBe(apiSha);
    expect(recordedDeployments(staging).map((deployment) => deployment.sha)).toEqual([workerSha, apiSha]);
  });
});
