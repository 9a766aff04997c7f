/**
 * docs/iam/*.json are enough for the AWS calls the actions really make: each committed bundle runs as
 * an IAM user that holds exactly one documented policy, against a moto that enforces IAM; and without
 * one statement the matching action fails, so these tests can fail. moto checks resources only for S3,
 * so the documented resource patterns and conditions of the other services are checked against the
 * real ARNs of the resources the actions touched.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonRewrite, runAction, startFaultProxy, startRegistry, type FaultProxy, type LocalRegistry, type StepResult } from '../../src/index.js';
import { EcsSimulator } from '../ecs-deploy/fixture.js';
import { ACCOUNT, REGION, asMotoEvaluates, covers, createAccount, documentedPolicy, stepEnvironment, type Account, type PolicyDocument } from './aws.js';

const FAST = { 'poll-interval': '100ms', timeout: '20s' } as const;

/** The user that holds a policy, and users that hold it without one statement (`<policy>-without-<Sid>`). */
const USERS: Record<string, PolicyDocument> = {};
const REMOVED = { services: 'EcsServices', migrate: 'EcsRunTheMigrationTask', functions: 'LambdaPublishAndAliases', site: 'SyncTheSiteObjects', images: 'EcrRepositories' } as const;
for (const [name, sid] of Object.entries(REMOVED)) {
  const policy = documentedPolicy(name);
  expect(policy.Statement.map((statement) => statement.Sid)).toContain(sid);
  USERS[name] = asMotoEvaluates(policy);
  USERS[`${name}-without-${sid}`] = asMotoEvaluates(policy, sid);
}

function failure(result: StepResult): string {
  expect(result.exitCode, result.log).toBe(1);
  return result.errors.join("\n");
}

function succeeded(result: StepResult): void {
  expect(result.errors, result.log).toEqual([]);
  expect(result.exitCode, result.log).toBe(0);
}

// moto answers a denied JSON-protocol call with an XML body (AWS answers JSON), so the SDK reports a
// SyntaxError with HTTP 403 there: the operation named and the status are what the tests check.
const denied = (operation: string): RegExp => new RegExp(`${operation} failed \\((AccessDenied|SyntaxError), HTTP 403`);

describe('docs/iam: the documented policies against the calls the actions make', () => {
  let account: Account;
  let registry: LocalRegistry;
  let ecr: FaultProxy;

  beforeAll(async () => {
    [account, registry] = await Promise.all([createAccount(USERS), startRegistry({ users: [{ username: 'AWS', password: `${ACCOUNT}-auth-token` }] })]);
    // moto has no registry behind its ECR: its login token points at the local registry instead.
    ecr = await startFaultProxy(account.moto.url, { preserveHost: true });
    ecr.addRule({
      match: 'GetAuthorizationToken',
      fault: jsonRewrite((body) => {
        const data = (body.authorizationData as Record<string, unknown>[])[0] as Record<string, unknown>;
        data.proxyEndpoint = `http://${registry.host}`;
        return body;
      }),
    });
  });
  afterAll(async () => {
    await ecr?.close();
    await registry?.stop();
    await account?.stop();
  });

  const keys = (user: string) => account.users.get(user) as { accessKeyId: string; secretAccessKey: string };

  async function ecsDeploy(user: string, inputs: Record<string, string>, simulator: EcsSimulator): Promise<StepResult> {
    const proxy = await startFaultProxy(account.moto.url, { preserveHost: true });
    simulator.install(proxy);
    try {
      return await runAction('ecs-deploy', { inputs: { cluster: account.cluster, service: account.service, ...FAST, ...inputs }, env: stepEnvironment(proxy.url, keys(user)) });
    } finally {
      await proxy.close();
    }
  }

  const rollOut = (user: string) =>
    ecsDeploy(user, { containers: `api=${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/acme/api@sha256:${'a'.repeat(64)}` }, new EcsSimulator(account.service, [{ kind: 'complete', afterPolls: 1 }]));
  const runTask = (user: string) =>
    ecsDeploy(
      user,
      { containers: `api=${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/acme/api@sha256:${'b'.repeat(64)}`, 'run-task': 'npm run migrate', 'run-task-only': 'true' },
      new EcsSimulator(account.service, [{ kind: 'complete', afterPolls: 1 }], { oneOffTask: { stopsAfterPolls: 1, exitCode: 0 } }),
    );

  function lambdaPublish(user: string): Promise<StepResult> {
    const workspace = mkdtempSync(path.join(tmpdir(), 'iam-lambda-'));
    mkdirSync(path.join(workspace, 'functions/events'), { recursive: true });
    writeFileSync(path.join(workspace, 'functions/events/index.js'), `exports.handler = async () => '${user}';\n`);
    return runAction('lambda-publish', {
      workspace,
      inputs: { 'function-name': account.functionName, 'zip-directory': 'functions/events', alias: 'live' },
      env: stepEnvironment(account.moto.url, keys(user)),
    });
  }

  function syncSite(user: string): Promise<StepResult> {
    const workspace = mkdtempSync(path.join(tmpdir(), 'iam-site-'));
    mkdirSync(path.join(workspace, 'dist/assets'), { recursive: true });
    writeFileSync(path.join(workspace, 'dist/index.html'), `<h1>${user}</h1>\n`);
    writeFileSync(path.join(workspace, 'dist/assets/app.js'), `console.log(${JSON.stringify(user)});\n`);
    return runAction('s3-sync-invalidate', {
      workspace,
      inputs: { source: 'dist', bucket: account.bucket, 'distribution-id': account.distributionId, 'wait-for-invalidation': 'false' },
      env: stepEnvironment(account.moto.url, keys(user)),
    });
  }

  function ecrLogin(user: string): Promise<StepResult> {
    // The images job's path: log in to the account's ECR registry, create the missing repository, look for
    // an image of this commit to promote (there is none: it is reported missing, for the build job).
    const workspace = mkdtempSync(path.join(tmpdir(), 'iam-ecr-'));
    mkdirSync(path.join(workspace, 'services/api'), { recursive: true });
    writeFileSync(path.join(workspace, 'services/api/Dockerfile'), 'FROM scratch\n');
    return runAction('build-push', {
      workspace,
      inputs: { context: 'services/api', repository: user === 'images' ? 'acme/api' : 'acme/worker', build: 'false', 'skip-existing': 'true', 'content-key': 'c'.repeat(40), tags: 'c'.repeat(40) },
      env: { ...stepEnvironment(ecr.url, keys(user)), ...{ AWS_REGION: REGION } },
    });
  }

  it('services.json: ecs-deploy rolls a service out, scales it to 0 and back; without EcsServices it fails', async () => {
    succeeded(await rollOut('services'));
    const down = await ecsDeploy('services', { 'desired-count': '0' }, new EcsSimulator(account.service, [{ kind: 'complete', afterPolls: 1 }]));
    succeeded(down);
    const up = await ecsDeploy('services', { 'desired-count': 'restore' }, new EcsSimulator(account.service, [{ kind: 'complete', afterPolls: 1 }]));
    succeeded(up);
    expect(up.outputs['desired-count']).toBe('2');
    expect(failure(await rollOut('services-without-EcsServices'))).toMatch(denied('DescribeServices'));
  });

  it('migrate.json: ecs-deploy runs the migration as a one-off task; without EcsRunTheMigrationTask it fails', async () => {
    const result = await runTask('migrate');
    succeeded(result);
    expect(result.outputs['run-task-exit-code']).toBe('0');
    expect(failure(await runTask('migrate-without-EcsRunTheMigrationTask'))).toMatch(denied('RunTask'));
  });

  it('functions.json: lambda-publish publishes a version and moves the alias; without LambdaPublishAndAliases it fails', async () => {
    const result = await lambdaPublish('functions');
    succeeded(result);
    expect(result.outputs.version).toMatch(/^\d+$/);
    expect(failure(await lambdaPublish('functions-without-LambdaPublishAndAliases'))).toMatch(denied('GetFunction'));
  });

  it('site.json: s3-sync-invalidate syncs the bucket (resources checked by moto) and invalidates; without SyncTheSiteObjects it fails', async () => {
    const result = await syncSite('site');
    succeeded(result);
    expect(result.outputs.uploaded).toBe('2');
    expect(failure(await syncSite('site-without-SyncTheSiteObjects'))).toMatch(denied('uploading s3://acme-staging-web/\\S+'));
  });

  it('images.json: build-push logs in to ECR and creates the repository; without EcrRepositories it fails', async () => {
    const result = await ecrLogin('images');
    succeeded(result);
    expect(result.log).toContain(`logged in to ${registry.host}`);
    expect(result.log).toContain('created ECR repository acme/api');
    expect(failure(await ecrLogin('images-without-EcrRepositories'))).toMatch(denied('looking up ECR repository acme/\\S+'));
  });

  it('the documented resources and conditions cover the ARNs of what the actions touched', () => {
    const cluster = `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/staging`;
    const services = documentedPolicy('services');
    expect(account.serviceArn).toBe(`arn:aws:ecs:${REGION}:${ACCOUNT}:service/staging/api`);
    for (const action of ['ecs:DescribeServices', 'ecs:UpdateService', 'ecs:TagResource', 'ecs:UntagResource']) expect(covers(services, action, account.serviceArn), action).toBeDefined();
    expect(covers(services, 'ecs:RegisterTaskDefinition', '*')).toBeDefined();
    // ecs-deploy registers each revision with tags (its commit, a registration token): AWS authorizes that
    // as ecs:TagResource on the new revision, which moto does not check.
    for (const policy of [services, documentedPolicy('migrate')]) {
      expect(covers(policy, 'ecs:TagResource', `${account.taskDefinitionArn.replace(/:\d+$/, '')}:7`, { 'ecs:CreateAction': 'RegisterTaskDefinition' })).toBeDefined();
      expect(covers(policy, 'ecs:TagResource', `${account.taskDefinitionArn.replace(/:\d+$/, '')}:7`)).toBeUndefined();
    }
    expect(covers(services, 'ecs:ListTasks', '*', { 'ecs:cluster': cluster })).toBeDefined();
    expect(covers(services, 'ecs:ListTasks', '*', { 'ecs:cluster': `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/production` })).toBeUndefined();
    expect(covers(services, 'iam:PassRole', `arn:aws:iam::${ACCOUNT}:role/staging-api-task`, { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' })).toBeDefined();
    expect(covers(services, 'ecs:UpdateService', `arn:aws:ecs:${REGION}:${ACCOUNT}:service/production/api`)).toBeUndefined();

    const migrate = documentedPolicy('migrate');
    expect(covers(migrate, 'ecs:RunTask', account.taskDefinitionArn, { 'ecs:cluster': cluster })).toBeDefined();
    expect(covers(migrate, 'ecs:DescribeTasks', `arn:aws:ecs:${REGION}:${ACCOUNT}:task/staging/0123456789abcdef`)).toBeDefined();
    expect(covers(migrate, 'ecs:UpdateService', account.serviceArn)).toBeUndefined();

    const functions = documentedPolicy('functions');
    expect(account.functionArn).toBe(`arn:aws:lambda:${REGION}:${ACCOUNT}:function:staging-events`);
    for (const action of ['lambda:UpdateFunctionCode', 'lambda:PublishVersion', 'lambda:UpdateAlias']) expect(covers(functions, action, account.functionArn), action).toBeDefined();
    expect(covers(functions, 'lambda:DeleteFunction', `${account.functionArn}:3`)).toBeDefined();
    expect(covers(functions, 'lambda:UpdateFunctionCode', `arn:aws:lambda:${REGION}:${ACCOUNT}:function:production-events`)).toBeUndefined();

    const images = documentedPolicy('images');
    expect(covers(images, 'ecr:GetAuthorizationToken', '*')).toBeDefined();
    for (const action of ['ecr:CreateRepository', 'ecr:PutImage', 'ecr:BatchGetImage']) expect(covers(images, action, `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/acme/api`), action).toBeDefined();

    const site = documentedPolicy('site');
    const distribution = `arn:aws:cloudfront::${ACCOUNT}:distribution/E2QWRUHAPOMQZL`;
    expect(covers(site, 'cloudfront:CreateInvalidation', distribution)).toBeDefined();
    expect(covers(site, 's3:PutObject', `arn:aws:s3:::${account.bucket}/index.html`)).toBeDefined();
    expect(covers(site, 's3:PutObject', 'arn:aws:s3:::acme-production-web/index.html')).toBeUndefined();

    const trust = documentedPolicy('trust-policy');
    const [statement] = trust.Statement;
    expect(statement?.Action).toBe('sts:AssumeRoleWithWebIdentity');
    expect(statement?.Condition?.StringEquals?.['token.actions.githubusercontent.com:sub']).toMatch(/^repo:[^:]+\/[^:]+:environment:staging$/);
    expect(statement?.Condition?.StringEquals?.['token.actions.githubusercontent.com:aud']).toBe('sts.amazonaws.com');
  });
});
