/** Scenario (e) of issue 12: manual deploys. */
import { describe, expect, it } from 'vitest';
import { expectConclusion, play, recordedDeployments, useStaging } from './helpers.js';

const environment = useStaging();

describe('manual runs', () => {
  it('(e) workflow_dispatch: full, backend-only with force-rebuild, frontend-only skipping tests, and a version', async () => {
    const staging = environment.current();
    const healthChecks = (): number => staging.app.server.requests.filter((request) => request.url.endsWith('/healthz')).length;
    const [full, backend, frontend, version] = await play(staging, 'manual');
    const head = staging.repo.head();
    expectConclusion(full!, 'success');
    expectConclusion(backend!, 'success');
    expectConclusion(frontend!, 'success');
    expectConclusion(version!, 'success');
    const state = await staging.state();
    // The last run deployed v1.0.0 (the first commit) everywhere.
    expect(state.services.api.version).toBe(staging.repo.initialSha);
    expect(state.services.worker.version).toBe(staging.repo.initialSha);
    expect(await (await fetch(`${staging.app.url}/`)).text()).toContain(`Built from ${staging.repo.initialSha}`);
    expect(recordedDeployments(staging).map((deployment) => deployment.sha)).toEqual([staging.repo.initialSha, head, head, head]);
    // backend-only with force-rebuild started new ECS deployments although the images were the same.
    const apiRollouts = staging.ecs.history.filter((rollout) => rollout.service === 'api');
    expect(apiRollouts.length).toBeGreaterThanOrEqual(3);
    expect(healthChecks()).toBeGreaterThan(0);
  });
});
