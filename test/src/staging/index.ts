/**
 * A local staging environment on 127.0.0.1, for the local runner, `pnpm demo`
 * and the end-to-end scenarios: its own moto_server (behind a fault proxy that
 * plays ECS roll-outs), a fresh PostgreSQL with the staging database, a
 * docker-registry holding the images the services run, the fake GitHub API,
 * the fake Slack, the staging app whose /healthz answers the version ECS runs,
 * and the sample repository on `develop`. `runnerOptions()` is what
 * runWorkflow needs; `state()` is what is deployed; `reset()` puts it all
 * back as it was after start, for the next scenario.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetAliasCommand, GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { REPO_ROOT } from '../harness.js';
import { startFaultProxy, type FaultProxy } from '../services/fault-proxy.js';
import { startFakeGitHub, type FakeGitHub, type Permissions } from '../services/github.js';
import { awsEnvironment, resetMoto, startMoto, type MotoServer } from '../services/moto.js';
import { postgresClient, startPostgres, type PostgresClient, type PostgresServer } from '../services/postgres.js';
import { startFakeSlack, type FakeSlack } from '../services/slack.js';
import { startStagingApp, REVISION_LABEL, type StagingApp } from './app.js';
import { EcsRollouts } from './ecs.js';
import { oneOffTaskRunner } from './tasks.js';
import { startRegistry, type LocalRegistry } from '../services/registry.js';
import { layerOf, pushImage } from './images.js';
import { createSampleRepo, type SampleRepo } from './sample-repo.js';
import { startSlackInterception, type SlackInterception } from './slack-proxy.js';
import { awsClients, NAMES, REGION, seedInfrastructure, seedWorkloads, zipOf, type AwsClients, type SeededResources, type StagingNames } from './seed.js';

export { NAMES, REGION } from './seed.js';
export type { SampleRepo } from './sample-repo.js';
export type { StagingApp, AppFault, RunningVersion } from './app.js';
export type { EcsRollouts, TaskRecord } from './ecs.js';

export const DATABASE = 'staging';
/** The role the services jobs assume through the callers' `aws-roles` (the local keys stand in for it). */
export const SERVICES_ROLE_ARN = 'arn:aws:iam::123456789012:role/staging-deploy-services';

export interface LocalStagingOptions {
  /** github.repository of the sample; default acme/monorepo. */
  repositoryName?: string;
  /** The suite checkout (its workflows/ are copied into the sample); default this one. */
  suiteRoot?: string;
  /** Where the sample repository and scratch files go; default a new temp folder (removed by stop()). */
  workDir?: string;
}

/** What runWorkflow (packages/local-runner) takes from the environment. */
export interface StagingRunnerOptions {
  suiteRoot: string;
  repository: string;
  repositoryName: string;
  vars: Record<string, string>;
  secrets: Record<string, string>;
  env: Record<string, string>;
  aws: Record<string, string>;
  github: { apiUrl: string; mintToken(permissions: Permissions): string };
}

export interface DeployedState {
  /** version: the running image's revision label; undefined when the image cannot be pulled. */
  services: Record<keyof StagingNames['services'], { version: string | undefined; desiredCount: number; taskDefinition: string; image: string }>;
  function: { alias: string; version: string; appVersion: string | undefined };
  /** Keys in the site bucket. */
  site: string[];
  /** Tables of the staging database's public schema. */
  tables: string[];
}

export interface LocalStaging {
  repo: SampleRepo;
  repositoryName: string;
  workDir: string;
  /** The AWS environment of the steps: the fault proxy in front of moto. */
  aws: Record<string, string>;
  vars: Record<string, string>;
  secrets: Record<string, string>;
  env: Record<string, string>;
  github: FakeGitHub;
  slack: FakeSlack;
  /** The proxy that answers slack.com with the fake. */
  slackProxy: SlackInterception;
  app: StagingApp;
  registry: LocalRegistry;
  postgres: PostgresClient;
  databaseUrl: string;
  moto: { url: string; proxy: FaultProxy };
  ecs: EcsRollouts;
  clients: AwsClients;
  seeded: SeededResources;
  runnerOptions(): StagingRunnerOptions;
  /** What runs in staging now. */
  state(): Promise<DeployedState>;
  /** Back to the state right after start (moto reseeded, empty database, no messages, no deployments, the repo at its first commit). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The account and the repository as they are before any deploy: infrastructure first (the
 * description file names the distribution), then the sample repository, then the workloads
 * running images of its first commit.
 */
async function provision(
  clients: AwsClients,
  registry: LocalRegistry,
  repositoryName: string,
  createRepo: (values: Record<string, string>) => SampleRepo,
  values: Record<string, string>,
): Promise<{ repo: SampleRepo; seeded: SeededResources }> {
  const infrastructure = await seedInfrastructure(clients, repositoryName);
  const repo = createRepo({ ...values, DISTRIBUTION_ID: infrastructure.distributionId });
  const revision = repo.initialSha;
  const images = {} as Record<'api' | 'worker', string>;
  for (const service of ['api', 'worker'] as const) {
    const pushed = await pushImage(registry, service, revision, {
      labels: { [REVISION_LABEL]: revision, 'org.opencontainers.image.source': `https://github.com/${repositoryName}` },
      layer: layerOf({ [`app/${service}`]: { content: `${service} ${revision}\n` } }),
    });
    images[service] = pushed.reference;
  }
  const source = (file: string): string => readFileSync(path.join(repo.directory, file), 'utf8');
  const functionZip = zipOf({ 'index.mjs': source('functions/events/index.mjs'), 'package.json': source('functions/events/package.json') });
  const seeded = await seedWorkloads(clients, infrastructure, { images, functionZip, version: revision });
  return { repo, seeded };
}

export async function startLocalStaging(options: LocalStagingOptions = {}): Promise<LocalStaging> {
  const repositoryName = options.repositoryName ?? 'acme/monorepo';
  const ownsWorkDir = !options.workDir;
  const workDir = options.workDir ?? mkdtempSync(path.join(tmpdir(), 'suite-staging-'));
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    await Promise.allSettled(stops.splice(0).reverse().map((stop) => stop()));
    if (ownsWorkDir) rmSync(workDir, { recursive: true, force: true });
  };
  try {
    const started = await Promise.allSettled([startMoto(), startPostgres(), startRegistry(), startFakeSlack()]);
    for (const result of started) {
      if (result.status === 'fulfilled') stops.push(() => ('stop' in result.value ? result.value.stop() : result.value.close()));
    }
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    const [moto, postgresServer, registry, slack] = started.map((result) => (result as PromiseFulfilledResult<unknown>).value) as [MotoServer, PostgresServer, LocalRegistry, FakeSlack];

    const slackProxy = await startSlackInterception(slack, path.join(workDir, 'certificates'));
    stops.push(() => slackProxy.stop());
    const proxy = await startFaultProxy(moto.url);
    stops.push(() => proxy.close());
    const clients = awsClients(moto.url);
    stops.push(async () => clients.destroy());
    const { stop: _stop, ...postgresInfo } = postgresServer;
    const postgres = postgresClient(postgresInfo);
    const databaseUrl = postgres.createDatabase(DATABASE);
    let current: SampleRepo | undefined;
    const runTask = oneOffTaskRunner({ ecs: clients.ecs, registry, repository: () => current?.directory ?? '', databaseUrl, path: [path.dirname(postgres.psqlPath)] });
    const ecs = new EcsRollouts(runTask);
    ecs.install(proxy);

    const app = await startStagingApp({ ecs: clients.ecs, s3: clients.s3, registry, cluster: NAMES.cluster, bucket: NAMES.bucket });
    stops.push(() => app.stop());

    const values: Record<string, string> = { APP_URL: app.url, REGISTRY: registry.host };
    const repoDirectory = path.join(workDir, 'monorepo');
    const createRepo = (filled: Record<string, string>): SampleRepo => createSampleRepo(repoDirectory, { values: filled, suiteRoot: options.suiteRoot });
    const github = await startFakeGitHub({ repository: repositoryName, resolveRef: (ref) => current?.git('rev-parse', '--verify', '--quiet', `${ref}^{commit}`) || undefined });
    stops.push(() => github.stop());
    const provisioned = await provision(clients, registry, repositoryName, createRepo, values);
    current = provisioned.repo;
    const seeded = provisioned.seeded;

    const aws = { ...awsEnvironment(proxy.url, REGION), AWS_DEFAULT_REGION: REGION };
    const vars: Record<string, string> = {
      AWS_REGION: REGION,
      DEPLOY_ROLE_ARN: seeded.deployRoleArn,
      API_IMAGE_REPOSITORY: `${registry.host}/api`,
      WORKER_IMAGE_REPOSITORY: `${registry.host}/worker`,
      IMAGE_REGISTRY: registry.host,
      WEB_BUCKET: NAMES.bucket,
      WEB_DISTRIBUTION_ID: seeded.distributionId,
      STAGING_URL: app.url,
      SLACK_CHANNEL: 'deploys',
      // A role of its own for the services jobs (least privilege); the other groups fall back to DEPLOY_ROLE_ARN.
      DEPLOY_ROLES: JSON.stringify({ services: SERVICES_ROLE_ARN }),
    };
    const secrets: Record<string, string> = {
      STAGING_DATABASE_URL: databaseUrl,
      SLACK_WEBHOOK_URL: slackProxy.webhookUrl,
      SLACK_BOT_TOKEN: slack.token,
    };
    // Slack is reached at slack.com and hooks.slack.com through the interception proxy.
    const env: Record<string, string> = { GITHUB_API_URL: github.url, GITHUB_SERVER_URL: 'https://github.com', ...slackProxy.env };

    const staging: LocalStaging = {
      repo: current,
      repositoryName,
      workDir,
      aws,
      vars,
      secrets,
      env,
      github,
      slack,
      slackProxy,
      app,
      registry,
      postgres,
      databaseUrl,
      moto: { url: moto.url, proxy },
      ecs,
      clients,
      seeded,
      runnerOptions: () => ({
        suiteRoot: options.suiteRoot ?? REPO_ROOT,
        repository: staging.repo.directory,
        repositoryName,
        vars: { ...vars },
        secrets: { ...secrets },
        env: { ...env },
        aws: { ...aws },
        github: { apiUrl: github.url, mintToken: (permissions) => github.mintToken(permissions) },
      }),
      state: () => deployedState(staging),
      async reset() {
        proxy.clearRules();
        ecs.reset();
        ecs.install(proxy);
        proxy.log.splice(0);
        app.setFault(undefined);
        slack.reset();
        github.reset();
        postgres.createDatabase(DATABASE);
        await resetMoto(moto.url);
        const again = await provision(clients, registry, repositoryName, createRepo, values);
        current = again.repo;
        staging.repo = again.repo;
        staging.seeded = again.seeded;
        vars.DEPLOY_ROLE_ARN = again.seeded.deployRoleArn;
        vars.WEB_DISTRIBUTION_ID = again.seeded.distributionId;
      },
      stop: stopAll,
    };
    return staging;
  } catch (error) {
    await stopAll();
    throw error;
  }
}

async function deployedState(staging: LocalStaging): Promise<DeployedState> {
  const { clients } = staging;
  const services = {} as DeployedState['services'];
  for (const name of Object.keys(NAMES.services) as (keyof StagingNames['services'])[]) {
    const running = await staging.app.running(name);
    services[name] = { version: running.version, desiredCount: running.desiredCount, taskDefinition: running.taskDefinition, image: running.image };
  }
  const alias = await clients.lambda.send(new GetAliasCommand({ FunctionName: NAMES.functionName, Name: NAMES.functionAlias }));
  const configuration = await clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: NAMES.functionName, Qualifier: alias.FunctionVersion }));
  const listed = await clients.s3.send(new ListObjectsV2Command({ Bucket: NAMES.bucket }));
  const tables = staging.postgres.psql(DATABASE, "select tablename from pg_tables where schemaname = 'public' order by 1");
  return {
    services,
    function: { alias: NAMES.functionAlias, version: alias.FunctionVersion ?? '', appVersion: configuration.Environment?.Variables?.APP_VERSION },
    site: (listed.Contents ?? []).map((object) => object.Key as string).sort(),
    tables: tables ? tables.split('\n') : [],
  };
}
