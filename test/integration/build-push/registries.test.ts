import { CreateRepositoryCommand, DescribeRepositoriesCommand, ECRClient, GetLifecyclePolicyCommand } from '@aws-sdk/client-ecr';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsEnvironment, jsonRewrite, requireBuildTools, services, skopeoInspect, startFaultProxy, startRegistry, type FaultProxy, type LocalRegistry } from '../../src/index.js';
import { buildPush, expectSuccess, failureOf, makeWorkspace, newSha, uniqueRepository } from './fixtures.js';

// moto's GetAuthorizationToken gives this account's token, always the same.
const ECR_USER = { username: 'AWS', password: '123456789012-auth-token' };
const CI_USER = { username: 'ci-bot', password: 'p4ss-w0rd-for-ci' };

describe('build-push: ECR and other registries', () => {
  let registry: LocalRegistry;
  let moto: FaultProxy;
  beforeAll(async () => {
    requireBuildTools();
    registry = await startRegistry({ users: [ECR_USER, CI_USER] });
    moto = await startFaultProxy(services().motoUrl);
    // moto has no registry behind its ECR: its token points the login at the local registry instead.
    moto.addRule({
      match: 'GetAuthorizationToken',
      fault: jsonRewrite((body) => {
        const data = (body.authorizationData as Record<string, unknown>[])[0] as Record<string, unknown>;
        data.proxyEndpoint = `http://${registry.host}`;
        return body;
      }),
    });
  });
  afterAll(async () => {
    await moto?.close();
    await registry?.stop();
  });
  const ecr = (): ECRClient => new ECRClient({ region: 'eu-west-1', endpoint: services().motoUrl, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });

  it('logs in to the account ECR registry with a masked token, creates the repository with scanning, immutable tags and a lifecycle policy', async () => {
    const repository = `team/${uniqueRepository('api')}`;
    const result = await buildPush({
      workspace: makeWorkspace(),
      sha: newSha(),
      env: awsEnvironment(moto.url, 'eu-west-1'),
      inputs: { repository, context: 'app', 'immutable-tags': true, 'keep-images': 5 },
    });
    expectSuccess(result);
    expect(result.masks).toContain(ECR_USER.password);
    expect(result.log).toContain(`logged in to ${registry.host} as AWS`);
    expect(result.outputs['image-uri']).toBe(`${registry.host}/${repository}@${result.outputs.digest}`);
    expect((await skopeoInspect(result.outputs['image-uri'] as string, 'info', ECR_USER)).Digest).toBe(result.outputs.digest);

    const described = await ecr().send(new DescribeRepositoriesCommand({ repositoryNames: [repository, `${repository}/buildcache`] }));
    const [created, cache] = described.repositories ?? [];
    expect(created).toMatchObject({ repositoryName: repository, imageTagMutability: 'IMMUTABLE', imageScanningConfiguration: { scanOnPush: true } });
    expect(cache).toMatchObject({ repositoryName: `${repository}/buildcache`, imageTagMutability: 'MUTABLE' });
    const policy = await ecr().send(new GetLifecyclePolicyCommand({ repositoryName: repository }));
    expect(JSON.parse(policy.lifecyclePolicyText ?? '{}').rules[0].selection).toEqual({ tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 5 });
    // The credentials lived in an auth file of this run only, gone when the step ends.
    const credentialsDirectory = /this run's credentials in (\S+) until it ends/.exec(result.log)?.[1];
    expect(credentialsDirectory).toBeDefined();
    expect(existsSync(credentialsDirectory as string)).toBe(false);
    expect(result.post?.exitCode).toBe(0);
  });

  it('pushes to a repository another job created between its lookup and its creation, leaving that repository as it is', async () => {
    const repository = uniqueRepository('race');
    await ecr().send(new CreateRepositoryCommand({ repositoryName: repository }));
    // The lookup sees no repository; the creation then answers RepositoryAlreadyExistsException.
    moto.addRule({
      match: (request) => request.operation === 'DescribeRepositories' && request.body.toString('utf8').includes(`"${repository}"`),
      fault: { kind: 'respond', status: 400, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify({ __type: 'RepositoryNotFoundException', message: 'not found' }) },
      times: 1,
    });
    const before = moto.log.length;
    const result = await buildPush({
      workspace: makeWorkspace(),
      sha: newSha(),
      env: awsEnvironment(moto.url, 'eu-west-1'),
      inputs: { repository, context: 'app', 'keep-images': 5, cache: 'none' },
    });
    expectSuccess(result);
    expect(moto.log.slice(before).filter((entry) => entry.operation === 'CreateRepository')).toEqual([expect.objectContaining({ status: 400 })]);
    expect(result.log).not.toContain(`created ECR repository ${repository}`);
    // Not created by this run, so not given its lifecycle policy either.
    await expect(ecr().send(new GetLifecyclePolicyCommand({ repositoryName: repository }))).rejects.toThrow(/LifecyclePolicyNotFound|does not exist/);
    expect((await skopeoInspect(result.outputs['image-uri'] as string, 'info', ECR_USER)).Digest).toBe(result.outputs.digest);
  });

  it('pushes to another registry with username and password, never calling ECR', async () => {
    const repository = uniqueRepository('ghcr-like');
    const before = moto.log.length;
    const result = await buildPush({
      workspace: makeWorkspace(),
      sha: newSha(),
      env: awsEnvironment(moto.url, 'eu-west-1'),
      inputs: { registry: registry.host, repository, context: 'app', username: CI_USER.username, password: CI_USER.password, cache: 'none' },
    });
    expectSuccess(result);
    expect(result.masks).toContain(CI_USER.password);
    expect(moto.log.length).toBe(before);
    expect((await skopeoInspect(result.outputs['image-uri'] as string, 'info', CI_USER)).Digest).toBe(result.outputs.digest);
  });

  it('never shows the credentials a registry echoes back in an error (the Basic header it was sent)', async () => {
    const proxy = await startFaultProxy(`http://${registry.host}`);
    try {
      // A registry (or a gateway before it) that quotes the request's Authorization header in its error.
      proxy.addRule({
        match: (request) => /\/manifests\//.test(request.url) && request.headers.authorization !== undefined,
        fault: { kind: 'rewrite', rewrite: (_response, request) => ({ status: 500, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify({ errors: [{ code: 'UNKNOWN', message: `cannot check the header authorization: ${String(request.headers.authorization)}` }] })) }) },
      });
      const basic = Buffer.from(`${CI_USER.username}:${CI_USER.password}`).toString('base64');
      const result = await buildPush({
        workspace: makeWorkspace(),
        sha: newSha(),
        inputs: { registry: new URL(proxy.url).host, repository: uniqueRepository('echo'), context: 'app', username: CI_USER.username, password: CI_USER.password, cache: 'none', retries: 2 },
      });
      expect(failureOf(result)).toContain('cannot check the header authorization: Basic ***');
      expect(result.masks).toContain(basic);
      const shown = result.log.split('\n').filter((line) => !line.startsWith('::add-mask::'));
      for (const text of [...shown, result.summary, ...Object.values(result.outputs)]) expect(text).not.toContain(basic);
    } finally {
      await proxy.close();
    }
  });

  it('never shows the bearer token of a token challenge when the registry echoes it back', async () => {
    const proxy = await startFaultProxy(`http://${registry.host}`);
    const token = 'registry-bearer-token-0d1e2f';
    try {
      // GHCR's and Docker Hub's way: a 401 names a token service, whose token is then sent as Bearer.
      proxy.addRule({ match: (request) => request.url.startsWith('/token'), fault: { kind: 'respond', status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) } });
      proxy.addRule({
        match: (request) => /\/manifests\//.test(request.url) && !String(request.headers.authorization ?? '').startsWith('Bearer '),
        fault: { kind: 'respond', status: 401, headers: { 'www-authenticate': `Bearer realm="${proxy.url}/token",service="registry"` }, body: '' },
      });
      proxy.addRule({
        match: (request) => /\/manifests\//.test(request.url),
        fault: { kind: 'rewrite', rewrite: (_response, request) => ({ status: 500, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify({ errors: [{ code: 'UNKNOWN', message: `token refused: ${String(request.headers.authorization)}` }] })) }) },
      });
      const result = await buildPush({
        workspace: makeWorkspace(),
        sha: newSha(),
        inputs: { registry: new URL(proxy.url).host, repository: uniqueRepository('bearer'), context: 'app', username: CI_USER.username, password: CI_USER.password, cache: 'none', retries: 2 },
      });
      expect(failureOf(result)).toContain('token refused: Bearer ***');
      expect(result.masks).toContain(token);
      const shown = result.log.split('\n').filter((line) => !line.startsWith('::add-mask::'));
      for (const text of [...shown, result.summary, ...Object.values(result.outputs)]) expect(text).not.toContain(token);
    } finally {
      await proxy.close();
    }
  });

  it('fails at the login with a wrong password, naming the registry, before building', async () => {
    const result = await buildPush({
      workspace: makeWorkspace(),
      sha: newSha(),
      inputs: { registry: registry.host, repository: uniqueRepository('denied'), context: 'app', username: CI_USER.username, password: 'wrong-password-1' },
    });
    const error = failureOf(result);
    expect(error).toMatch(new RegExp(`^build-push: logging in to ${registry.host} as ci-bot failed: invalid username/password$`));
    expect(result.log).not.toContain('STEP 1/');
  });
});
