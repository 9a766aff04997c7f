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
    // The full deploy rolled out both services and published the Lambda function in one run...
    const legs = Object.entries(full!.jobs).filter(([job]) => job.startsWith('deploy/deploy-services ('));
    expect(legs.map(([, job]) => job.result)).toEqual(['success', 'success']);
    expect(full!.jobs['deploy/deploy-functions']?.result).toBe('success');
    // ...and its deployment records what each of them runs, for a later rollback.
    const recorded = recordedDeployments(staging).reduce((oldest, deployment) => (deployment.id < oldest.id ? deployment : oldest));
    const payload = (typeof recorded.payload === 'string' ? JSON.parse(recorded.payload) : recorded.payload) as { state: { services: Record<string, unknown>; functions: Record<string, unknown> } };
    expect(Object.keys(payload.state.services).sort()).toEqual(['api', 'worker']);
    expect(Object.keys(payload.state.functions)).toEqual(['staging-events']);
  });
});
