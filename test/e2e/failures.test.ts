/** Scenarios (f)-(h) of issue 12: what goes wrong, and what the pipeline leaves behind. */
import { describe, expect, it } from 'vitest';
import { pushEvent, runPipeline } from '../src/staging/pipeline.js';
import { CHANGES } from '../src/staging/scenarios.js';
import { expectConclusion, play, recordedDeployments, slackTexts, useStaging } from './helpers.js';

const environment = useStaging();
const ROLLED_BACK = /roll(ed)?[ -]?back/i;

describe('failures', () => {
  it('(f) a failing ECS roll-out is rolled back and Slack says so', async () => {
    const staging = environment.current();
    const [run] = await play(staging, 'rollout-failure');
    expectConclusion(run!, 'failure');
    expect(staging.ecs.history).toEqual(expect.arrayContaining([expect.objectContaining({ service: 'api', outcome: 'failed' })]));
    const state = await staging.state();
    // Back on the task definition it ran before this run, answering the first version.
    expect(state.services.api).toMatchObject({ taskDefinition: staging.seeded.taskDefinitions.api, version: staging.repo.initialSha, desiredCount: 2 });
    expect(recordedDeployments(staging).filter((deployment) => deployment.state === 'success')).toEqual([]);
    const messages = staging.slack.channelMessages('deploys');
    expect(messages).toHaveLength(1);
    expect(slackTexts(staging)[0]).toMatch(ROLLED_BACK);
    expect(slackTexts(staging)[0]).not.toMatch(/api\W+(deployed|success)/i);
  });

  it('(g) a failing smoke test after a good roll-out rolls every target back', async () => {
    const staging = environment.current();
    const [run] = await play(staging, 'smoke-failure');
    expectConclusion(run!, 'failure');
    const pushed = staging.repo.head();
    // The roll-out itself completed before the smoke test failed...
    expect(staging.ecs.history).toEqual(expect.arrayContaining([expect.objectContaining({ service: 'api', outcome: 'completed' })]));
    const state = await staging.state();
    // ...and both targets are back where they were.
    expect(state.services.api.taskDefinition).toBe(staging.seeded.taskDefinitions.api);
    expect(state.services.api.version).toBe(staging.repo.initialSha);
    expect(state.function).toMatchObject({ version: staging.seeded.functionVersion, appVersion: staging.repo.initialSha });
    expect(recordedDeployments(staging).filter((deployment) => deployment.sha === pushed && deployment.state === 'success')).toEqual([]);
    // Per target, where it ended: both put back by the rollback jobs.
    const text = slackTexts(staging).join('\n');
    expect(text).toMatch(/`service\.api` rolled-back/);
    expect(text).toMatch(/`function\.staging-events` rolled-back/);
    expect(text).not.toMatch(/`(service\.api|function\.staging-events)` success/);
    expect(text).not.toMatch(/backend=success/);
  });

  it("(l) an image that does not build: no migration, no roll-out, no function, no site, staging as it was", async () => {
    const staging = environment.current();
    const [run] = await play(staging, 'build-failure');
    expectConclusion(run!, 'failure');
    expect(Object.entries(run!.jobs).filter(([job, { result }]) => job.startsWith('deploy/build (') && result === 'failure')).toHaveLength(1);
    // The builds all run before anything changes: a failed one stops every deploy job.
    for (const job of ['deploy/migrate', 'deploy/deploy-functions', 'deploy/deploy-site']) expect(run!.jobs[job]?.result, job).toBe('skipped');
    const columns = staging.postgres.psql('staging', "select column_name from information_schema.columns where table_name = 'orders' order by ordinal_position").split('\n');
    expect(columns).not.toContain('status');
    const state = await staging.state();
    expect(state.services.api).toMatchObject({ taskDefinition: staging.seeded.taskDefinitions.api, version: staging.repo.initialSha });
    expect(state.function).toMatchObject({ version: staging.seeded.functionVersion, appVersion: staging.repo.initialSha });
    expect(await (await fetch(`${staging.app.url}/`)).text()).not.toContain(staging.repo.head());
    expect(recordedDeployments(staging).filter((deployment) => deployment.state === 'success')).toEqual([]);
  });

  it("(n) a plan that fails after reading the description (GitHub's API down for detect-changes) deploys nothing and still tells Slack", async () => {
    const staging = environment.current();
    const [run] = await play(staging, 'plan-failure');
    expectConclusion(run!, 'failure');
    expect(run!.jobs['deploy/plan']?.steps.find((step) => step.outcome === 'failure')?.name).toMatch(/Detect what changed/);
    expect(run!.jobs['deploy/plan']?.steps.find((step) => step.name === 'Read the environment description')?.outcome).toBe('success');
    expect(Object.entries(run!.jobs).filter(([job, { result }]) => job.includes('/') && job !== 'deploy/plan' && job !== 'deploy/notify' && result !== 'skipped')).toEqual([]);
    expect(run!.jobs['deploy/notify']?.result).toBe('success');
    const messages = staging.slack.channelMessages('deploys');
    expect(messages).toHaveLength(1);
    expect(slackTexts(staging)[0]).toMatch(/fail/i);
    expect(recordedDeployments(staging)).toEqual([]);
  });

  it('a run cancelled while it deploys tells Slack it was cancelled, not that it failed', async () => {
    const staging = environment.current();
    const before = staging.repo.head();
    const after = staging.repo.commit(CHANGES.web, 'web v2, cancelled while the site builds');
    const controller = new AbortController();
    const run = await runPipeline(staging, {
      workflow: 'deploy-staging.yml',
      event: pushEvent(staging, before, after),
      signal: controller.signal,
      onProgress: (event) => {
        if (event.type === 'job-started' && event.job === 'deploy/build-site') controller.abort();
      },
    });
    expect(run.conclusion).toBe('cancelled');
    expect(run.jobs['deploy/build-site']?.result).toBe('cancelled');
    expect(run.jobs['deploy/notify']?.result).toBe('success');
    const messages = staging.slack.channelMessages('deploys');
    expect(messages).toHaveLength(1);
    expect(slackTexts(staging)[0]).toMatch(/was cancelled/);
    expect(slackTexts(staging)[0]).not.toMatch(/fail/i);
  });

  it('(h) a failing migration deploys nothing and leaves the database as it was', async () => {
    const staging = environment.current();
    const [baseline, bad] = await play(staging, 'bad-migration');
    expectConclusion(baseline!, 'success');
    const columnsBefore = ['id', 'account_id', 'total_cents', 'status'];
    expectConclusion(bad!, 'failure');
    const columns = staging.postgres.psql('staging', "select column_name from information_schema.columns where table_name = 'orders' order by ordinal_position").split('\n');
    expect(columns).toEqual(columnsBefore);
    const state = await staging.state();
    expect(state.services.api).toMatchObject({ taskDefinition: staging.seeded.taskDefinitions.api, version: staging.repo.initialSha });
    expect(recordedDeployments(staging).map((deployment) => [deployment.sha, deployment.state])).not.toContainEqual([staging.repo.head(), 'success']);
    expect(slackTexts(staging).join('\n')).toMatch(/migrat/i);
  });
});
