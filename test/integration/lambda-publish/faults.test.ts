import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { jsonRewrite, runAction, serverError, services, slowDownXml, startFaultProxy, throttleJson, type FaultProxy, type ProxiedRequest } from '../../src/index.js';
import { CODE_V2, aliasOf, createFunction, env, lambdaError, lambdaOperation, onLambda, s3, unique, versionsOf, workspaceWith } from './fixture.js';

async function withProxy<T>(test: (proxy: FaultProxy) => Promise<T>): Promise<T> {
  const proxy = await startFaultProxy(services().motoUrl);
  try {
    return await test(proxy);
  } finally {
    await proxy.close();
  }
}

const count = (proxy: FaultProxy, operation: string): number => proxy.log.filter((entry) => lambdaOperation(entry) === operation).length;

describe.concurrent('lambda-publish: faults', () => {
  it('survives throttling and 5xx answers (the SDK retries them)', () =>
    withProxy(async (proxy) => {
      const fixture = await createFunction('throttled', { published: true });
      const { workspace, directory } = workspaceWith(CODE_V2);
      proxy.addRule(onLambda('UpdateFunctionCode', throttleJson(), 2));
      proxy.addRule(onLambda('PublishVersion', serverError(503), 2));
      proxy.addRule(onLambda('GetAlias', serverError(500), 1));
      const result = await runAction('lambda-publish', { inputs: { 'function-name': fixture.name, 'zip-directory': directory }, env: env(proxy.url), workspace });
      expect(result.errors).toEqual([]);
      expect(result.outputs.version).toBe('2');
      expect(count(proxy, 'UpdateFunctionCode')).toBe(3);
      expect(count(proxy, 'PublishVersion')).toBe(3);
      expect((await aliasOf(fixture)).FunctionVersion).toBe('2');
    }));

  it('survives S3 throttling (SlowDown) on the package upload: the upload is retried, then published', () =>
    withProxy(async (proxy) => {
      const fixture = await createFunction('slowdown', { published: true });
      const bucket = unique('lp-slowdown');
      await s3().send(new CreateBucketCommand({ Bucket: bucket }));
      const { workspace, directory } = workspaceWith(CODE_V2);
      const isUpload = (request: Pick<ProxiedRequest, 'method' | 'url'>): boolean => request.method === 'PUT' && request.url.startsWith(`/${bucket}/`);
      proxy.addRule({ match: isUpload, fault: slowDownXml(), times: 2 });
      const result = await runAction('lambda-publish', { inputs: { 'function-name': fixture.name, 'zip-directory': directory, 's3-bucket': bucket }, env: env(proxy.url), workspace });
      expect(result.errors).toEqual([]);
      expect(result.outputs.version).toBe('2');
      expect(proxy.log.filter(isUpload).map((entry) => entry.status)).toEqual([503, 503, 200]);
      expect((await aliasOf(fixture)).FunctionVersion).toBe('2');
    }));

  it('waits for an update in progress to finish (LastUpdateStatus InProgress, then Successful)', () =>
    withProxy(async (proxy) => {
      const fixture = await createFunction('inprogress', { published: true });
      const { workspace, directory } = workspaceWith(CODE_V2);
      proxy.addRule(onLambda('GetFunctionConfiguration', jsonRewrite((body) => ({ ...body, LastUpdateStatus: 'InProgress', LastUpdateStatusReason: 'The function is being created.' })), 2));
      const result = await runAction('lambda-publish', { inputs: { 'function-name': fixture.name, 'zip-directory': directory }, env: env(proxy.url), workspace });
      expect(result.errors).toEqual([]);
      expect(count(proxy, 'GetFunctionConfiguration')).toBe(3);
      // Published only after the update finished.
      const order = proxy.log.map(lambdaOperation).filter((operation) => ['GetFunctionConfiguration', 'PublishVersion'].includes(operation));
      expect(order).toEqual(['GetFunctionConfiguration', 'GetFunctionConfiguration', 'GetFunctionConfiguration', 'PublishVersion']);
    }));

  it('keeps following an update when a poll fails even after the SDK\'s retries (5xx), then publishes', () =>
    withProxy(async (proxy) => {
      const fixture = await createFunction('pollfault', { published: true });
      const { workspace, directory } = workspaceWith(CODE_V2);
      // Six attempts per call (the suite's client setting): seven 503s fail one poll outright and the next poll's first try.
      proxy.addRule(onLambda('GetFunctionConfiguration', serverError(503), 7));
      const result = await runAction('lambda-publish', { inputs: { 'function-name': fixture.name, 'zip-directory': directory }, env: env(proxy.url), workspace });
      expect(result.errors).toEqual([]);
      expect(result.warnings).toEqual([expect.stringMatching(/GetFunctionConfiguration failed \(.*HTTP 503.*\).*; polling again$/)]);
      expect(count(proxy, 'GetFunctionConfiguration')).toBe(8);
      expect(result.outputs.version).toBe('2');
    }));

  it('with wait: false does not follow the updates (the publish still waits out an update in progress)', () =>
    withProxy(async (proxy) => {
      const fixture = await createFunction('nowait', { published: true });
      const { workspace, directory } = workspaceWith(CODE_V2);
      proxy.addRule(onLambda('PublishVersion', lambdaError(409, 'ResourceConflictException', 'An update is in progress for resource.'), 1));
      const result = await runAction('lambda-publish', { inputs: { 'function-name': fixture.name, 'zip-directory': directory, memory: 256, wait: false }, env: env(proxy.url), workspace });
      expect(result.errors).toEqual([]);
      expect(count(proxy, 'GetFunctionConfiguration')).toBe(0);
      expect(count(proxy, 'PublishVersion')).toBe(2);
      expect(result.outputs.version).toBe('2');
    }));

  it('fails with Lambda\'s reason when the update ends Failed, publishes nothing and leaves the alias', () =>
    withProxy(async (proxy) => {
      const fixture = await createFunction('failedupdate', { published: true });
      const { workspace, directory } = workspaceWith(CODE_V2);
      proxy.addRule(
        onLambda(
          'GetFunctionConfiguration',
          jsonRewrite((body) => ({ ...body, LastUpdateStatus: 'Failed', LastUpdateStatusReasonCode: 'InvalidZipFileException', LastUpdateStatusReason: 'Could not unzip uploaded file.' })),
        ),
      );
      const result = await runAction('lambda-publish', { inputs: { 'function-name': fixture.name, 'zip-directory': directory }, env: env(proxy.url), workspace });
      expect(result.exitCode).toBe(1);
      expect(result.errors).toEqual([
        expect.stringMatching(/^lambda-publish: the code update of .*: the update failed \(InvalidZipFileException\): Could not unzip uploaded file\. \(nothing was published; alias "live" still serves version 1\)$/),
      ]);
      expect(count(proxy, 'PublishVersion')).toBe(0);
      expect(await versionsOf(fixture)).toEqual(['1']);
      expect(result.outputs['rolled-back']).toBe('false');
    }));

  it('waits out a ResourceConflictException (an update already in progress) instead of failing', () =>
    withProxy(async (proxy) => {
      const fixture = await createFunction('conflict', { published: true });
      const { workspace, directory } = workspaceWith(CODE_V2);
      proxy.addRule(onLambda('UpdateFunctionCode', lambdaError(409, 'ResourceConflictException', 'The operation cannot be performed at this time. An update is in progress for resource.'), 2));
      const result = await runAction('lambda-publish', { inputs: { 'function-name': fixture.name, 'zip-directory': directory }, env: env(proxy.url), workspace });
      expect(result.errors).toEqual([]);
      expect(result.outputs.version).toBe('2');
      expect(count(proxy, 'UpdateFunctionCode')).toBe(3);
      expect(result.log).toContain('UpdateFunctionCode: an update is still in progress');
    }));

  it('says what it left when the configuration update fails after the code update: the alias stays on the old version', () =>
    withProxy(async (proxy) => {
      const fixture = await createFunction('halfway', { published: true });
      const { workspace, directory } = workspaceWith(CODE_V2);
      proxy.addRule(onLambda('UpdateFunctionConfiguration', lambdaError(400, 'InvalidParameterValueException', 'The role defined for the function cannot be assumed by Lambda.')));
      const result = await runAction('lambda-publish', { inputs: { 'function-name': fixture.name, 'zip-directory': directory, memory: 512 }, env: env(proxy.url), workspace });
      expect(result.exitCode).toBe(1);
      expect(result.errors[0]).toMatch(
        /UpdateFunctionConfiguration failed \(InvalidParameterValueException, HTTP 400\): The role defined .* \(the code of \$LATEST was updated but its configuration was not; nothing was published; alias "live" still serves version 1\)$/,
      );
      expect(await versionsOf(fixture)).toEqual(['1']);
      expect((await aliasOf(fixture)).FunctionVersion).toBe('1');
    }));

  it('an error that quotes the environment (Lambda\'s 4 KB message) reaches no output with its secret values', () =>
    withProxy(async (proxy) => {
      const fixture = await createFunction('echoenv', { published: true });
      const { workspace, directory } = workspaceWith(CODE_V2);
      const secret = 'pa55word-"echoed"-by-lambda';
      // Lambda's own wording: the variables it measured, as JSON, in the error.
      const measured = JSON.stringify({ DB_PASSWORD: secret });
      proxy.addRule(
        onLambda(
          'UpdateFunctionConfiguration',
          lambdaError(400, 'InvalidParameterValueException', `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${measured}`),
        ),
      );
      const result = await runAction('lambda-publish', { inputs: { 'function-name': fixture.name, 'zip-directory': directory, environment: `DB_PASSWORD=${secret}` }, env: env(proxy.url), workspace });
      expect(result.exitCode).toBe(1);
      expect(result.errors).toEqual([expect.stringContaining('exceeded the 4KB limit. String measured: {"DB_PASSWORD":"***"}')]);
      const results = JSON.parse(result.outputs.results as string) as Record<string, { error?: string; outcome: string }>;
      expect(results[fixture.name]).toMatchObject({ outcome: 'failed', error: expect.stringContaining('String measured: {"DB_PASSWORD":"***"}') });
      for (const output of Object.values(result.outputs)) for (const form of [secret, JSON.stringify(secret).slice(1, -1), JSON.stringify(JSON.stringify(secret)).slice(3, -3)]) expect(output).not.toContain(form);
      expect(result.summary).not.toContain(secret);
    }));

  it('with several functions, a failure puts back the aliases already moved for the others', () =>
    withProxy(async (proxy) => {
      const [first, second] = await Promise.all([createFunction('set-a', { published: true }), createFunction('set-b', { published: true })]);
      const { workspace } = workspaceWith({ 'a/index.js': 'a', 'b/index.js': 'b' });
      proxy.addRule({ match: (request) => lambdaOperation(request) === 'UpdateFunctionCode' && request.url.includes(second.name), fault: lambdaError(400, 'CodeStorageExceededException', 'Code storage limit exceeded.') });
      const functions = `- {function-name: ${first.name}, zip-directory: app/a}\n- {function-name: ${second.name}, zip-directory: app/b}`;
      const result = await runAction('lambda-publish', { inputs: { functions, parallel: 1 }, env: env(proxy.url), workspace });
      expect(result.exitCode).toBe(1);
      expect(result.errors[0]).toContain(`${second.name}: UpdateFunctionCode failed (CodeStorageExceededException, HTTP 400): Code storage limit exceeded.`);
      expect(result.errors[0]).toContain(`rolled back: alias "live" of ${first.name} serves version 1 again`);
      const results = JSON.parse(result.outputs.results as string) as Record<string, Record<string, unknown>>;
      expect(results[first.name]).toMatchObject({ version: '2', 'rolled-back': true, outcome: 'rolled-back' });
      expect(results[second.name]).toMatchObject({ outcome: 'failed', 'rolled-back': false });
      expect(result.outputs['rolled-back']).toBe('true');
      expect((await aliasOf(first)).FunctionVersion).toBe('1');
      expect((await aliasOf(second)).FunctionVersion).toBe('1');
    }));

  it('fails with one line when Lambda cannot be reached', () =>
    withProxy(async (proxy) => {
      const { workspace, directory } = workspaceWith(CODE_V2);
      proxy.addRule({ fault: { kind: 'reset' } });
      const result = await runAction('lambda-publish', { inputs: { 'function-name': 'unreachable', 'zip-directory': directory }, env: env(proxy.url), workspace });
      expect(result.exitCode).toBe(1);
      expect(result.errors).toEqual([expect.stringMatching(/^lambda-publish: GetFunction failed .*after 6 attempts/)]);
    }));
});
