/** Scenario (e) of issue 12: manual deploys. */
import { describe, expect, it } from 'vitest';
import { expectConclusion, play, recordedDeployments, useStaging } from './helpers.js';

const environment = useStaging();

describe('manual runs', () => {
  it('(e) workflow_dispatch: full, backend-only with force-rebuild skipping tests, frontend-only, and a version', async () => {
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
    // Each dispatch input changed what ran. full: every kind of target, smoke-tested.
    const ran = (run: typeof full, prefix: string) => Object.entries(run!.jobs).filter(([job, { result }]) => job.startsWith(prefix) && result !== 'skipped');
    expect(full!.jobs['deploy/deploy-site']?.result).toBe('success');
    expect(full!.jobs['deploy/verify']?.result).toBe('success');
    // backend-only: no site. skip-tests: no smoke test (the full run smoke-tested the same services).
    // force-rebuild: the images of this commit, which the full run pushed, were built again.
    expect(backend!.jobs['deploy/deploy-site']?.result).toBe('skipped');
    expect(ran(backend, 'deploy/deploy-services (')).toHaveLength(2);
    expect(backend!.jobs['deploy/verify']?.result).toBe('skipped');
    expect(ran(backend, 'deploy/build (').map(([, job]) => job.result)).toEqual(['success', 'success']);
    expect(ran(full, 'deploy/build (')).toHaveLength(2);
    // frontend-only: the site and nothing else.
    expect(frontend!.jobs['deploy/deploy-site']?.result).toBe('success');
    expect(ran(frontend, 'deploy/deploy-services (')).toEqual([]);
    expect(ran(frontend, 'deploy/build (')).toEqual([]);
    expect(frontend!.jobs['deploy/deploy-functions']?.result).toBe('skipped');
    // A version that is not the branch head: the images of v1.0.0 (what staging was seeded with) exist, so they were
    // promoted, not built; what runs now is that commit (below).
    expect(ran(version, 'deploy/build (')).toEqual([]);
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
