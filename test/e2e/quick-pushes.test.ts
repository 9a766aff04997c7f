/** Scenario (d) of issue 12 (in its own file: it runs beside the others). */
import { describe, expect, it } from 'vitest';
import { expectConclusion, play, recordedDeployments, useStaging } from './helpers.js';

const environment = useStaging();

describe('pushes to develop, continued', () => {
  it('(d) three quick pushes: the middle run is cancelled, the third deploys everything since the last success', async () => {
    const staging = environment.current();
    const [first, middle, third] = await play(staging, 'quick-pushes');
    expectConclusion(first!, 'success');
    expectConclusion(middle!, 'cancelled');
    expectConclusion(third!, 'success');
    const [, apiSha, workerSha, webSha] = staging.repo.git('rev-list', '--reverse', 'HEAD').split('\n');
    const state = await staging.state();
    // The worker change rode on the cancelled run: the third run deployed it, nothing lost.
    expect(state.services.worker.version).toBe(webSha);
    expect([apiSha, webSha]).toContain(state.services.api.version);
    expect(await (await fetch(`${staging.app.url}/`)).text()).toContain(`Built from ${webSha}`);
    // GitHub marks the older success inactive when the newer one succeeds (auto_inactive).
    expect(recordedDeployments(staging).map((deployment) => [deployment.sha, deployment.state])).toEqual([
      [webSha, 'success'],
      [apiSha, 'inactive'],
    ]);
    expect(recordedDeployments(staging).map((deployment) => deployment.sha)).not.toContain(workerSha);
  });
});
