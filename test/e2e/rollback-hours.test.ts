/** Scenarios (i) and (j) of issue 12: the rollback caller and staging hours. */
import { describe, expect, it } from 'vitest';
import { SERVICES_ROLE_ARN } from '../src/staging/index.js';
import { dispatchEvent, runPipeline, scheduleEvent } from '../src/staging/pipeline.js';
import { expectConclusion, play, ranJobs, recordedDeployments, slackTexts, useStaging } from './helpers.js';

const environment = useStaging();

describe('rollback and staging hours', () => {
  it('(i) the rollback caller puts every target back on what ran at the deployment before the last', async () => {
    const staging = environment.current();
    const [first, second, rollback] = await play(staging, 'rollback');
    expectConclusion(first!, 'success');
    expectConclusion(second!, 'success');
    expectConclusion(rollback!, 'success');
    const state = await staging.state();
    expect(state.services.api).toMatchObject({ taskDefinition: staging.seeded.taskDefinitions.api, version: staging.repo.initialSha });
    expect(state.function.version).toBe(staging.seeded.functionVersion);
    // The rollback is recorded as a deployment of the commit it went back to, so the next push compares with it.
    const deployments = recordedDeployments(staging);
    expect(deployments).toHaveLength(3);
    const newest = deployments.reduce((newer, deployment) => (deployment.id > newer.id ? deployment : newer));
    expect(newest.state).toBe('success');
    // The first deploy and the rollback to it name the same commit.
    expect(deployments.filter((deployment) => deployment.sha === newest.sha)).toHaveLength(2);
  });

  it('a malformed aws-roles fails the rollback with one error naming the input, before any job assumes a role', async () => {
    const staging = environment.current();
    const requests = staging.moto.proxy.log.length;
    const inputs = { deployment: '' };
    // YAML, not JSON: the jobs read it with fromJSON, which would fail each of them obscurely.
    const vars = { DEPLOY_ROLES: 'services: arn:aws:iam::123456789012:role/deploy-services' };
    const run = { ...(await runPipeline(staging, { workflow: 'rollback-staging.yml', event: dispatchEvent(staging, inputs), inputs, vars })), label: 'rollback' };
    expectConclusion(run, 'failure');
    expect(run.log).toContain('input "aws-roles" is not JSON (the workflow reads it with fromJSON)');
    // The caller's job and the one that reads the deployment, stopped at its first step; no job that assumes a role.
    expect(ranJobs(run)).toEqual(['rollback', 'rollback/recall']);
    expect(run.log.match(/::error::/g)).toHaveLength(1);
    expect(staging.moto.proxy.log.length).toBe(requests);
    expect(recordedDeployments(staging)).toEqual([]);
  });

  it('(j) staging hours: down at night records no deployment, a push while down stays down, up in the morning', async () => {
    const staging = environment.current();
    const [down, push, up] = await play(staging, 'staging-hours');
    expectConclusion(down!, 'success');
    expectConclusion(push!, 'success');
    expectConclusion(up!, 'success');
    const pushed = staging.repo.head();
    // While down, the push rolled the new API out at 0 tasks: it stayed down, nothing to smoke-test, and Slack says so.
    expect(push!.after?.services.api).toMatchObject({ desiredCount: 0, version: pushed });
    expect(push!.after?.services.worker.desiredCount).toBe(0);
    expect(push!.jobs['deploy/verify']?.result).toBe('skipped');
    expect(push!.log).toContain('Every service deployed is scaled to 0 (out of hours)');
    expect(slackTexts(staging).join('\n')).toMatch(/`service\.api` scaled-down/);
    const state = await staging.state();
    expect(state.services.api).toMatchObject({ desiredCount: 2, version: pushed });
    expect(state.services.worker).toMatchObject({ desiredCount: 1 });
    expect((await fetch(`${staging.app.url}/healthz`)).status).toBe(200);
    // Scaling assumed the services role of aws-roles (DEPLOY_ROLES), as the deploy's services jobs do.
    for (const scale of [down, up]) {
      const assumed = [...scale!.log.matchAll(/\(role (\S+) stands in as the local keys\)/g)].map((match) => match[1]);
      expect(assumed.length).toBeGreaterThan(0);
      expect(assumed.filter((role) => role !== SERVICES_ROLE_ARN)).toEqual([]);
    }
    // Only the push is a deployment; scaling records none.
    expect(recordedDeployments(staging).map((deployment) => deployment.sha)).toEqual([pushed]);
  });

  it('scale.yml reads a description kept outside .github/ (its `config` input)', async () => {
    const staging = environment.current();
    const description = staging.repo.git('show', 'HEAD:.github/deploy/staging.yml');
    const caller = staging.repo
      .git('show', 'HEAD:.github/workflows/staging-hours.yml')
      .replace('      environment: staging\n', '      environment: staging\n      config: deploy/staging.yml\n');
    expect(caller).toContain('config: deploy/staging.yml');
    staging.repo.commit({ '.github/deploy/staging.yml': null, 'deploy/staging.yml': description, '.github/workflows/staging-hours.yml': caller }, 'The description moves to deploy/');
    const down = await runPipeline(staging, { workflow: 'staging-hours.yml', event: scheduleEvent(staging, '0 19 * * 1-5', 'develop') });
    expectConclusion({ ...down, label: 'scale down' }, 'success');
    const state = await staging.state();
    expect(state.services.api.desiredCount).toBe(0);
    expect(state.services.worker.desiredCount).toBe(0);
  });
});
