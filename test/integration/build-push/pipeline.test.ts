import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuildTools, skopeoInspect, startRegistry, type LocalRegistry } from '../../src/index.js';
import { buildPush, expectSuccess, failureOf, imagesOutput, makeWorkspace, newSha, uniqueRepository } from './fixtures.js';

// The deploy pipeline's three steps: promote what exists (registry credentials, no build), build what is
// missing into archives (no credentials), push the archives (credentials, no build).
describe('build-push: promote, build to an archive, push the archive', () => {
  let registry: LocalRegistry;
  beforeAll(async () => {
    requireBuildTools();
    registry = await startRegistry();
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it('lists a missing image, builds it without touching a registry, pushes the archive, then promotes it', async () => {
    const workspace = makeWorkspace(['RUN echo built > /built.txt']);
    const sha = newSha();
    const repository = uniqueRepository('pipeline');
    const archive = mkdtempSync(path.join(tmpdir(), 'archives-'));
    const images = JSON.stringify([{ name: 'api', context: 'app', repository }]);
    const withRegistry = { registry: registry.host, cache: 'none' };

    const promote = await buildPush({ workspace, sha, inputs: { images, build: false, ...withRegistry } });
    expectSuccess(promote);
    expect(JSON.parse(promote.outputs.missing ?? '')).toEqual([{ name: 'api', context: 'app', dockerfile: 'app/Dockerfile', repository, 'build-args': '' }]);
    expect(imagesOutput(promote)).toEqual({});
    expect(registry.blobUploads(repository)).toBe(0);

    // No registry at all: an unreachable one would fail the step if it were contacted.
    const build = await buildPush({ workspace, sha, inputs: { images: promote.outputs.missing, push: false, archive, registry: '127.0.0.1:9', cache: 'none' } });
    expectSuccess(build);
    expect(existsSync(path.join(archive, 'api.tar'))).toBe(true);

    const push = await buildPush({ workspace, sha, inputs: { images: promote.outputs.missing, archive, ...withRegistry } });
    expectSuccess(push);
    const pushed = imagesOutput(push).api;
    expect(pushed?.built).toBe(true);
    expect(push.log).not.toMatch(/STEP \d+\/\d+: RUN/);
    const inspected = await skopeoInspect(`${registry.host}/${repository}@${pushed?.digest}`);
    expect((inspected.Labels as Record<string, string>)['org.opencontainers.image.revision']).toBe(sha);

    const again = await buildPush({ workspace, sha, inputs: { images, build: false, ...withRegistry } });
    expectSuccess(again);
    expect(JSON.parse(again.outputs.missing ?? '')).toEqual([]);
    expect(imagesOutput(again).api).toMatchObject({ built: false, digest: pushed?.digest });
  });

  it('refuses modes that mean nothing, and an archive that is not there', async () => {
    const workspace = makeWorkspace();
    const base = { context: 'app', repository: uniqueRepository('modes'), registry: registry.host, cache: 'none' };
    expect(failureOf(await buildPush({ workspace, sha: newSha(), inputs: { ...base, build: false, push: false } }))).toMatch(/inputs "build" and "push" are both false/);
    expect(failureOf(await buildPush({ workspace, sha: newSha(), inputs: { ...base, build: false, 'skip-existing': false } }))).toMatch(/needs "skip-existing: true"/);
    const empty = mkdtempSync(path.join(tmpdir(), 'archives-'));
    expect(failureOf(await buildPush({ workspace, sha: newSha(), inputs: { ...base, archive: empty } }))).toMatch(/no archive .*app\.tar|no archive .*\.tar to push/);
  });
});
