import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeServicesCommand, ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { runAction } from '../src/harness.js';
import { startLocalStaging, NAMES, type LocalStaging } from '../src/staging/index.js';
import { listTags } from '../src/staging/images.js';

let staging: LocalStaging;
beforeAll(async () => {
  staging = await startLocalStaging();
});
afterAll(() => staging?.stop());

describe('the local staging environment', () => {
  it('starts seeded: the services run the first commit, and /healthz says so', async () => {
    const first = staging.repo.initialSha;
    expect(staging.repo.git('branch', '--show-current')).toBe('develop');
    expect(staging.repo.git('ls-files', '.github')).toContain('.github/workflows/deploy-staging.yml');
    expect(staging.repo.git('show', 'HEAD:.github/deploy/staging.yml')).toContain(`distribution-id: '${staging.seeded.distributionId}'`);
    expect(await listTags(staging.registry, 'api')).toEqual([first]);

    const health = await fetch(`${staging.app.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', service: 'api', version: first });
    expect(await (await fetch(`${staging.app.url}/worker/healthz`)).json()).toMatchObject({ version: first });

    const state = await staging.state();
    expect(state.services.api).toMatchObject({ version: first, desiredCount: 2 });
    expect(state.function).toEqual({ alias: 'live', version: '1', appVersion: first });
    expect(state).toMatchObject({ site: [], tables: [] });
    expect(staging.runnerOptions()).toMatchObject({ repository: staging.repo.directory, repositoryName: 'acme/monorepo', secrets: { STAGING_DATABASE_URL: staging.databaseUrl } });
  });

  it("describes itself in .github/deploy/staging.yml as the suite's schema wants it (deploy-plan reads it)", async () => {
    const plan = await runAction('deploy-plan', {
      workspace: staging.repo.directory,
      sha: staging.repo.initialSha,
      inputs: { environment: 'staging', 'deployment-type': 'full', targets: '[]', version: staging.repo.initialSha },
    });
    expect(plan.errors).toEqual([]);
    expect(JSON.parse(plan.outputs.targets as string)).toEqual(expect.arrayContaining(['images.api', 'images.worker', 'services.api', 'services.worker', 'functions.events', 'site', 'database']));
    expect(JSON.parse(plan.outputs.smoke as string).checks[0]).toMatchObject({ url: `${staging.app.url}/healthz`, 'expect-json': `$.version=${staging.repo.initialSha}` });
  });

  it('answers slack.com and hooks.slack.com with the fake Slack, through the proxy the steps are given', async () => {
    const env = staging.runnerOptions().env;
    const posted = await runAction('slack-notify', {
      env,
      inputs: { token: staging.secrets.SLACK_BOT_TOKEN as string, channel: 'C0DEPLOYS1', status: 'started', environment: 'staging', 'github-token': '', 'fail-on-error': 'true' },
    });
    expect(posted.errors).toEqual([]);
    const hooked = await runAction('slack-notify', { env, inputs: { 'webhook-url': staging.secrets.SLACK_WEBHOOK_URL as string, status: 'success', environment: 'staging', 'github-token': '', 'fail-on-error': 'true' } });
    expect(hooked.errors).toEqual([]);
    expect(staging.secrets.SLACK_WEBHOOK_URL).toMatch(/^https:\/\/hooks\.slack\.com\/services\//);
    expect(staging.slack.channelMessages('deploys')).toHaveLength(1);
    expect(staging.slack.webhookMessages).toHaveLength(1);
    expect(staging.slackProxy.refused).toEqual([]);
  });

  it('plays ECS roll-outs through the proxy, serves the site from the bucket, answers 503 when scaled to zero, and resets', async () => {
    const ecs = new ECSClient({ endpoint: staging.aws.AWS_ENDPOINT_URL, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    try {
      staging.ecs.failNextRollout('api');
      const updated = await ecs.send(new UpdateServiceCommand({ cluster: NAMES.cluster, service: 'api', taskDefinition: staging.seeded.taskDefinitions.worker }));
      expect(updated.service?.deployments?.[0]).toMatchObject({ status: 'PRIMARY', rolloutState: 'IN_PROGRESS', taskDefinition: staging.seeded.taskDefinitions.worker });
      const failed = await ecs.send(new DescribeServicesCommand({ cluster: NAMES.cluster, services: ['api'] }));
      expect(failed.services?.[0]?.deployments?.[0]).toMatchObject({ rolloutState: 'FAILED' });
      await ecs.send(new UpdateServiceCommand({ cluster: NAMES.cluster, service: 'api', taskDefinition: staging.seeded.taskDefinitions.api }));
      const back = await ecs.send(new DescribeServicesCommand({ cluster: NAMES.cluster, services: ['api'] }));
      expect(back.services?.[0]?.deployments).toMatchObject([{ rolloutState: 'COMPLETED', runningCount: 2, taskDefinition: staging.seeded.taskDefinitions.api }]);
      expect(staging.ecs.history.map((rollout) => rollout.outcome)).toEqual(['failed', 'completed']);

      await ecs.send(new UpdateServiceCommand({ cluster: NAMES.cluster, service: 'api', desiredCount: 0 }));
      expect((await fetch(`${staging.app.url}/healthz`)).status).toBe(503);
    } finally {
      ecs.destroy();
    }
    await staging.clients.s3.send(new PutObjectCommand({ Bucket: NAMES.bucket, Key: 'index.html', Body: '<h1>hi</h1>', ContentType: 'text/html' }));
    const page = await fetch(`${staging.app.url}/`);
    expect([page.status, await page.text()]).toEqual([200, '<h1>hi</h1>']);
    staging.app.setFault({ kind: 'version', version: 'wrong' });
    staging.repo.commit({ 'services/api/src/VERSION': 'api 2\n' });
    staging.postgres.psql('staging', 'create table leftover (id int)');

    await staging.reset();
    expect(staging.repo.git('rev-list', '--count', 'HEAD')).toBe('1');
    const state = await staging.state();
    expect(state).toMatchObject({ services: { api: { desiredCount: 2, version: staging.repo.initialSha } }, site: [], tables: [] });
    expect(await (await fetch(`${staging.app.url}/healthz`)).json()).toMatchObject({ version: staging.repo.initialSha });
  });
});
