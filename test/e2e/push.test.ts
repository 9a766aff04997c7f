/** Scenarios (a)-(d) of issue 12, pushes to develop, and (k): a migration from inside the VPC. */
import { describe, expect, it } from 'vitest';
import { DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { SERVICES_ROLE_ARN } from '../src/staging/index.js';
import { expectConclusion, listTags, play, ranJobs, recordedDeployments, slackTexts, useStaging } from './helpers.js';

const environment = useStaging();

describe('pushes to develop', () => {
  it('(a) a push changing the API only builds and rolls out the API, and nothing else', async () => {
    const staging = environment.current();
    const initial = staging.repo.initialSha;
    const [run] = await play(staging, 'api-only');
    expectConclusion(run!, 'success');
    const pushed = staging.repo.head();
    const state = await staging.state();
    expect(state.services.api).toMatchObject({ version: pushed, desiredCount: 2 });
    expect(state.services.worker).toMatchObject({ version: initial, taskDefinition: staging.seeded.taskDefinitions.worker });
    expect(state.function.version).toBe(staging.seeded.functionVersion);
    expect(state.site).toEqual([]);
    expect(state.tables).toEqual([]);
    expect(await listTags(staging.registry, 'api')).toContain(pushed);
    expect(await listTags(staging.registry, 'worker')).not.toContain(pushed);
    expect(recordedDeployments(staging)).toMatchObject([{ sha: pushed, state: 'success' }]);
    // The services job assumed its own role (aws-roles); the image jobs the fallback aws-role-arn.
    const assumed = [...run!.log.matchAll(/\(role (\S+) stands in as the local keys\)/g)].map((match) => match[1]);
    expect(assumed.filter((role) => role === SERVICES_ROLE_ARN)).toHaveLength(1);
    expect(assumed.filter((role) => role === staging.seeded.deployRoleArn).length).toBeGreaterThanOrEqual(2);
    // One message that follows the deployment: posted, then updated in place.
    const messages = staging.slack.channelMessages('deploys');
    expect(messages).toHaveLength(1);
    expect(messages[0]!.updates).toBeGreaterThan(0);
    expect(slackTexts(staging)[0]).toMatch(/api/);
    expect(slackTexts(staging)[0]).not.toMatch(/worker/);
  });

  it('(b) a push changing only the web app publishes the site and touches no service', async () => {
    const staging = environment.current();
    const [run] = await play(staging, 'web-only');
    expectConclusion(run!, 'success');
    const pushed = staging.repo.head();
    const state = await staging.state();
    expect(state.site).toEqual(expect.arrayContaining(['index.html', 'version.json']));
    const page = await (await fetch(`${staging.app.url}/`)).text();
    expect(page).toContain(`Built from ${pushed}`);
    expect(state.services.api.taskDefinition).toBe(staging.seeded.taskDefinitions.api);
    expect(state.services.worker.taskDefinition).toBe(staging.seeded.taskDefinitions.worker);
    expect(state.function.version).toBe(staging.seeded.functionVersion);
    expect(await listTags(staging.registry, 'api')).not.toContain(pushed);
    expect(recordedDeployments(staging)).toMatchObject([{ sha: pushed, state: 'success' }]);
    expect(staging.slack.channelMessages('deploys')).toHaveLength(1);
  });

  it('(c) a push changing nothing deployable runs no deploy job and posts no message', async () => {
    const staging = environment.current();
    const [run] = await play(staging, 'nothing');
    expectConclusion(run!, 'success');
    const state = await staging.state();
    expect(state.services.api.taskDefinition).toBe(staging.seeded.taskDefinitions.api);
    expect(state.services.worker.taskDefinition).toBe(staging.seeded.taskDefinitions.worker);
    expect([state.site, state.tables]).toEqual([[], []]);
    expect(staging.slack.messages).toEqual([]);
    expect(staging.slack.webhookMessages).toEqual([]);
    expect(recordedDeployments(staging)).toEqual([]);
    // Only the plan ran inside the called workflow.
    expect(ranJobs(run!).filter((id) => id.includes('/'))).toEqual(['deploy/plan']);
  });

  it('(k) a database reachable only from the VPC migrates through an ECS one-off task of the api service', async () => {
    const staging = environment.current();
    const [run] = await play(staging, 'vpc-migration');
    expectConclusion(run!, 'success');
    const pushed = staging.repo.head();
    // The workflow's own DATABASE_URL reaches nothing: the migration ran as a task, from the image of this commit.
    expect(run!.jobs['deploy/migrate']?.result).toBe('skipped');
    const migrate = run!.jobs['deploy/migrate-in-vpc']!;
    expect(migrate.steps.find((step) => step.name === 'Migrate from inside the VPC')?.outcome).toBe('success');
    expect(staging.ecs.tasks).toHaveLength(1);
    const [task] = staging.ecs.tasks;
    expect(task).toMatchObject({ container: 'api', command: ['sh', 'db/migrate.sh'], outcome: { exitCode: 0 } });
    expect(task!.outcome?.output).toContain('applying 0003_add_order_status');
    const image = (await staging.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: task!.taskDefinition }))).taskDefinition?.containerDefinitions?.[0]?.image;
    expect(image).toMatch(new RegExp(`^${staging.registry.host}/api@sha256:`));
    const state = await staging.state();
    expect(state.tables).toEqual(['accounts', 'orders', 'schema_migrations']);
    const columns = staging.postgres.psql('staging', "select column_name from information_schema.columns where table_name = 'orders' order by ordinal_position").split('\n');
    expect(columns).toContain('status');
    // The migration ran before the roll-out, which did not happen: no service changed in this push.
    expect(state.services.api.taskDefinition).toBe(staging.seeded.taskDefinitions.api);
    expect(recordedDeployments(staging)).toMatchObject([{ sha: pushed, state: 'success' }]);
    expect(slackTexts(staging)[0]).toMatch(/migrat/i);
  });
});
