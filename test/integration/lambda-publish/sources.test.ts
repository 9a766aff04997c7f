import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { zipDirectory } from '../../../actions/lambda-publish/src/zip.js';
import { requireBinary } from '../../src/services/binaries.js';
import { runAction } from '../../src/index.js';
import { CODE_V2, aliasOf, createFunction, env, s3, unique, versionsOf, workspaceWith, zipOf } from './fixture.js';

const REPOSITORY = '123456789012.dkr.ecr.us-east-1.amazonaws.com/api';
const digest = (fill: string): string => `sha256:${fill.repeat(64).slice(0, 64)}`;

describe.concurrent('lambda-publish: code sources, several functions, keep-versions, pointing back', () => {
  it('publishes a zip file as it is (its CodeSha256 is the file\'s)', async () => {
    const fixture = await createFunction('zipfile', { published: true });
    const { workspace } = workspaceWith({});
    const bytes = await zipOf({ 'index.js': 'exports.handler = async () => "zip-file";\n' });
    writeFileSync(path.join(workspace, 'build.zip'), bytes);
    const result = await runAction('lambda-publish', { inputs: { 'function-name': fixture.name, 'zip-file': 'build.zip' }, env: env(), workspace });
    expect(result.errors).toEqual([]);
    const { createHash } = await import('node:crypto');
    expect(result.outputs).toMatchObject({ version: '2', 'code-sha256': createHash('sha256').update(bytes).digest('base64') });
  });

  it('uploads the package to S3 first when s3-bucket is given, under a content-addressed key', async () => {
    const fixture = await createFunction('s3up', { published: true });
    const bucket = unique('lp-upload');
    await s3().send(new CreateBucketCommand({ Bucket: bucket }));
    const { workspace, directory } = workspaceWith(CODE_V2);
    const result = await runAction('lambda-publish', { inputs: { 'function-name': fixture.name, 'zip-directory': directory, 's3-bucket': bucket }, env: env(), workspace });
    expect(result.errors).toEqual([]);
    const sha = result.outputs['code-sha256'] as string;
    const key = `lambda-publish/${fixture.name}/${Buffer.from(sha, 'base64').toString('hex')}.zip`;
    expect(result.log).toContain(`to s3://${bucket}/${key}`);
    const head = await s3().send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    expect(head.ContentLength).toBeGreaterThan(100);
    const published = await fixture.client.send(new GetFunctionCommand({ FunctionName: fixture.name, Qualifier: '2' }));
    expect(published.Configuration?.CodeSha256).toBe(sha);
    expect(published.Configuration?.CodeSize).toBe(head.ContentLength);
  });

  it('a failed upload (no such bucket) is one error naming the operation and what S3 said; nothing is published', async () => {
    const fixture = await createFunction('s3gone', { published: true });
    const bucket = unique('lp-missing');
    const { workspace, directory } = workspaceWith(CODE_V2);
    const result = await runAction('lambda-publish', { inputs: { 'function-name': fixture.name, 'zip-directory': directory, 's3-bucket': bucket }, env: env(), workspace });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([expect.stringMatching(new RegExp(`uploading the package of ${fixture.name} to s3://${bucket}/lambda-publish/.* failed \\(NoSuchBucket, HTTP 404\\)`))]);
    expect(await versionsOf(fixture)).toEqual(['1']);
  });

  it('zips a large directory on several threads in the bundle: S3 gets the bytes the zip module makes on one thread, and unzip -t accepts them', async () => {
    const unzip = requireBinary('unzip');
    const fixture = await createFunction('threads', { published: true });
    const bucket = unique('lp-threads');
    await s3().send(new CreateBucketCommand({ Bucket: bucket }));
    const files = Object.fromEntries(Array.from({ length: 400 }, (_, index) => [`node_modules/p${index % 23}/f${index}.js`, `module.exports = ${index};\n`.repeat(1 + (index % 40))]));
    const { workspace, directory } = workspaceWith({ ...CODE_V2, ...files });
    const result = await runAction('lambda-publish', { inputs: { 'function-name': fixture.name, 'zip-directory': directory, 's3-bucket': bucket }, env: env(), workspace });
    expect(result.errors).toEqual([]);
    if (availableParallelism() > 1) expect(result.log).toMatch(/zipped 402 files from app into .* on \d threads/);
    const sha = result.outputs['code-sha256'] as string;
    const object = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: `lambda-publish/${fixture.name}/${Buffer.from(sha, 'base64').toString('hex')}.zip` }));
    const bytes = Buffer.from(await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
    expect(bytes.equals((await zipDirectory(path.join(workspace, directory), 'zip-directory', { workers: 0 })).bytes)).toBe(true);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'lambda-publish-zip-')), 'package.zip');
    writeFileSync(file, bytes);
    expect(execFileSync(unzip, ['-t', file], { encoding: 'utf8' })).toContain('No errors detected in compressed data');
  });

  it('publishes a package already in S3 (s3-bucket + s3-key) and recognises the same object on a re-run', async () => {
    const fixture = await createFunction('s3key', { published: true });
    const bucket = unique('lp-packages');
    await s3().send(new CreateBucketCommand({ Bucket: bucket }));
    await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'builds/api.zip', Body: await zipOf({ 'index.js': 'exports.handler = async () => "s3";\n' }) }));
    const inputs = { 'function-name': fixture.name, 's3-bucket': bucket, 's3-key': 'builds/api.zip' };
    const first = await runAction('lambda-publish', { inputs, env: env(), workspace: workspaceWith({}).workspace });
    expect(first.errors).toEqual([]);
    expect(first.outputs).toMatchObject({ version: '2', changed: 'true' });
    const again = await runAction('lambda-publish', { inputs, env: env(), workspace: workspaceWith({}).workspace });
    expect(again.errors).toEqual([]);
    expect(again.outputs).toMatchObject({ version: '2', changed: 'false' });
    expect(await versionsOf(fixture)).toEqual(['1', '2']);
  });

  it('publishes a container image, and skips the same digest without updating anything', async () => {
    const fixture = await createFunction('image', { published: true, image: `${REPOSITORY}@${digest('a')}` });
    const { workspace } = workspaceWith({});
    const inputs = { 'function-name': fixture.name, 'image-uri': `${REPOSITORY}@${digest('b')}`, memory: 512 };
    const first = await runAction('lambda-publish', { inputs, env: env(), workspace });
    expect(first.errors).toEqual([]);
    expect(first.outputs).toMatchObject({ version: '2', changed: 'true' });
    const published = await fixture.client.send(new GetFunctionCommand({ FunctionName: fixture.name, Qualifier: '2' }));
    expect(published.Code?.ImageUri).toBe(inputs['image-uri']);
    expect(published.Configuration?.MemorySize).toBe(512);
    const again = await runAction('lambda-publish', { inputs, env: env(), workspace });
    expect(again.outputs).toMatchObject({ version: '2', changed: 'false' });
    expect(again.log).not.toContain('code updated');
  });

  it('updates an image given by tag (its digest is only known once Lambda resolved it) and publishes nothing when it resolves to the same code', async () => {
    const fixture = await createFunction('imagetag', { published: true, image: `${REPOSITORY}:1.0` });
    const { workspace } = workspaceWith({});
    const inputs = { 'function-name': fixture.name, 'image-uri': `${REPOSITORY}:1.1` };
    const first = await runAction('lambda-publish', { inputs, env: env(), workspace });
    expect(first.errors).toEqual([]);
    expect(first.outputs).toMatchObject({ version: '2', changed: 'true' });
    const again = await runAction('lambda-publish', { inputs, env: env(), workspace });
    expect(again.errors).toEqual([]);
    expect(again.log).toContain('code updated');
    expect(again.outputs).toMatchObject({ version: '2', changed: 'false' });
    expect(await versionsOf(fixture)).toEqual(['1', '2']);
  });

  it('publishes several functions from a functions file, each entry overriding the step inputs, and reports results by name', async () => {
    const [api, worker] = await Promise.all([createFunction('multi-api', { published: true }), createFunction('multi-worker', { published: true })]);
    const { workspace } = workspaceWith({ 'api/index.js': 'exports.handler = async () => "api";\n', 'worker/index.js': 'exports.handler = async () => "worker";\n' });
    writeFileSync(
      path.join(workspace, 'functions.yml'),
      `- function-name: ${api.name}\n  zip-directory: app/api\n  environment:\n    MODE: api\n- function-name: ${worker.name}\n  zip-directory: app/worker\n  memory: 1024\n  alias: current\n`,
    );
    const result = await runAction('lambda-publish', { inputs: { functions: 'functions.yml', timeout: 20, parallel: 2 }, env: env(), workspace });
    expect(result.errors).toEqual([]);
    const results = JSON.parse(result.outputs.results as string) as Record<string, Record<string, unknown>>;
    expect(results[api.name]).toMatchObject({ version: '2', 'previous-version': '1', changed: true, outcome: 'published' });
    // A new alias: created on the new version, with no previous version.
    expect(results[worker.name]).toMatchObject({ version: '2', 'previous-version': '', changed: true, outcome: 'published' });
    expect(result.outputs).toMatchObject({ changed: 'true', 'rolled-back': 'false' });
    // Per-function outputs belong to one function only.
    expect(result.outputs.version).toBeUndefined();
    const apiVersion = await api.client.send(new GetFunctionCommand({ FunctionName: api.name, Qualifier: '2' }));
    expect(apiVersion.Configuration).toMatchObject({ Timeout: 20, Environment: { Variables: { MODE: 'api' } } });
    expect((await aliasOf(worker, 'current')).FunctionVersion).toBe('2');
    const workerVersion = await worker.client.send(new GetFunctionCommand({ FunctionName: worker.name, Qualifier: '2' }));
    expect(workerVersion.Configuration).toMatchObject({ MemorySize: 1024, Timeout: 20 });
    expect(result.summary).toContain(api.name);
    expect(result.summary).toContain(worker.name);
  });

  it('deletes old versions no alias serves beyond keep-versions, keeping the one the alias left', async () => {
    const fixture = await createFunction('keep', { published: true });
    const { workspace, directory } = workspaceWith(CODE_V2);
    // moto numbers a new version by counting the versions there are (AWS never reuses a number),
    // so versions are only deleted by the last run here.
    for (let round = 2; round <= 4; round++) {
      writeFileSync(path.join(workspace, directory, 'round.txt'), String(round));
      const inputs = { 'function-name': fixture.name, 'zip-directory': directory, ...(round === 4 ? { 'keep-versions': 1 } : {}) };
      const result = await runAction('lambda-publish', { inputs, env: env(), workspace });
      expect(result.errors).toEqual([]);
      expect(result.outputs.version).toBe(String(round));
      if (round === 4) expect(JSON.parse(result.outputs.results as string)[fixture.name]['deleted-versions']).toEqual(['1', '2']);
    }
    // 4 is served, 3 is the way back; 1 and 2 are gone.
    expect(await versionsOf(fixture)).toEqual(['3', '4']);
  });

  it('points the alias at an existing version (a rollback to a recorded version), and does nothing when it is already there', async () => {
    const fixture = await createFunction('pointback', { published: true });
    const { workspace, directory } = workspaceWith(CODE_V2);
    const deployed = await runAction('lambda-publish', { inputs: { 'function-name': fixture.name, 'zip-directory': directory }, env: env(), workspace });
    expect(deployed.outputs.version).toBe('2');
    const back = await runAction('lambda-publish', { inputs: { 'function-name': fixture.name, version: 1 }, env: env(), workspace });
    expect(back.errors).toEqual([]);
    expect(back.outputs).toMatchObject({ version: '1', 'previous-version': '2', changed: 'true' });
    expect((await aliasOf(fixture)).FunctionVersion).toBe('1');
    expect(await versionsOf(fixture)).toEqual(['1', '2']);
    const again = await runAction('lambda-publish', { inputs: { 'function-name': fixture.name, version: 1 }, env: env(), workspace });
    expect(again.outputs).toMatchObject({ version: '1', 'previous-version': '1', changed: 'false' });
  });
});
