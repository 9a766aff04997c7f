import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuildTools, skopeoInspect, startRegistry, type LocalRegistry } from '../../src/index.js';
import { buildPush, expectSuccess, imagesOutput, makeWorkspace, newSha, uniqueRepository } from './fixtures.js';

const run = promisify(execFile);

describe('build-push: one image to a registry', () => {
  let registry: LocalRegistry;
  beforeAll(async () => {
    requireBuildTools();
    registry = await startRegistry();
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it('builds, pushes a Docker v2 manifest with the default tags and OCI labels, then promotes an unchanged commit without uploading a layer', async () => {
    const workspace = makeWorkspace(['RUN echo compiled > /app.txt']);
    const repository = uniqueRepository('api');
    const sha = newSha();
    const inputs = { registry: registry.host, repository, context: 'app', version: '1.4.0', cache: 'none' };
    const first = await buildPush({ workspace, sha, ref: 'refs/heads/feature/Login_v2', inputs });
    expectSuccess(first);

    const ref = `${registry.host}/${repository}`;
    const expectedTags = [sha, sha.slice(0, 7), 'feature-Login_v2', '1.4.0'];
    expect(first.outputs.built).toBe('true');
    expect(first.outputs.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(first.outputs['image-uri']).toBe(`${ref}@${first.outputs.digest}`);
    expect(JSON.parse(first.outputs.tags ?? '[]')).toEqual(expect.arrayContaining(expectedTags.map((tag) => `${ref}:${tag}`)));
    const images = imagesOutput(first);
    expect(images[repository]).toMatchObject({ repository: ref, digest: first.outputs.digest, uri: first.outputs['image-uri'], built: true });
    expect(images[repository]?.size).toBeGreaterThan(500_000);

    const manifest = await skopeoInspect(`${ref}@${first.outputs.digest}`, 'raw');
    expect(manifest.mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
    for (const tag of expectedTags) {
      const info = await skopeoInspect(`${ref}:${tag}`);
      expect(info.Digest, tag).toBe(first.outputs.digest);
    }
    const info = await skopeoInspect(`${ref}:${sha}`);
    expect(info.Labels).toMatchObject({
      'org.opencontainers.image.revision': sha,
      'org.opencontainers.image.version': '1.4.0',
      'org.opencontainers.image.source': 'https://github.com/acme/monorepo',
    });
    expect(first.summary).toContain('built and pushed');

    await registry.settled();
    const uploadsBefore = registry.blobUploads();
    const second = await buildPush({ workspace, sha, ref: 'refs/heads/release', inputs: { ...inputs, version: '1.4.1' } });
    expectSuccess(second);
    await registry.settled();
    expect(second.outputs.built).toBe('false');
    expect(second.outputs.digest).toBe(first.outputs.digest);
    expect(registry.blobUploads()).toBe(uploadsBefore);
    expect((await skopeoInspect(`${ref}:1.4.1`)).Digest).toBe(first.outputs.digest);
    expect((await skopeoInspect(`${ref}:release`)).Digest).toBe(first.outputs.digest);
    expect(second.summary).toContain('reused');
    expect(second.log).not.toContain('STEP 1/');
  });
});

describe('build-push: rebuilds, cache and secrets', () => {
  let registry: LocalRegistry;
  beforeAll(async () => {
    requireBuildTools();
    registry = await startRegistry();
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it('rebuilds a changed context on a fresh runner, taking the unchanged steps from the registry cache', async () => {
    const steps = ['RUN echo COMPILING-NOW && sleep 1 && echo compiled > /compiled', 'COPY page.html /page.html'];
    const workspace = makeWorkspace(steps, { 'page.html': 'one' });
    const repository = uniqueRepository('web');
    const inputs = { registry: registry.host, repository, context: 'app' };
    const first = await buildPush({ workspace, sha: newSha(), inputs });
    expectSuccess(first);
    expect(first.log.split('\n')).toContain('COMPILING-NOW');

    writeFileSync(path.join(workspace, 'app', 'page.html'), 'two');
    // A new commit, and a new RUNNER_TEMP: the storage root is empty, as on a fresh runner.
    const second = await buildPush({ workspace, sha: newSha(), inputs });
    expectSuccess(second);
    expect(second.outputs.built).toBe('true');
    expect(second.outputs.digest).not.toBe(first.outputs.digest);
    expect(second.log).toContain(`Cache pulled from remote ${registry.host}/${repository}/buildcache`);
    expect(second.log.split('\n')).not.toContain('COMPILING-NOW');
  });

  it('mounts a build secret for a RUN step without leaving it in the image, its history or the log', async () => {
    const secret = `s3cr3t-${newSha().slice(0, 12)}`;
    const workspace = makeWorkspace(['RUN --mount=type=secret,id=npm cat /run/secrets/npm | wc -c > /secret-length']);
    const repository = uniqueRepository('secret');
    const result = await buildPush({
      workspace,
      sha: newSha(),
      env: { NPM_TOKEN: secret },
      inputs: { registry: registry.host, repository, context: 'app', secrets: 'npm=NPM_TOKEN', 'build-args': 'MODE=production', cache: 'none' },
    });
    expectSuccess(result);
    expect(result.masks).toContain(secret);
    expect(result.log.split('\n').filter((line) => !line.startsWith('::add-mask::') && line.includes(secret))).toEqual([]);
    const reference = result.outputs['image-uri'] as string;
    const config = await skopeoInspect(reference, 'config');
    expect(JSON.stringify(config)).not.toContain(secret);
    // The layers themselves: the RUN step saw the secret (its length is in the image), but did not keep it.
    const copy = mkdtempSync(path.join(tmpdir(), 'image-'));
    await run('skopeo', ['copy', '--src-tls-verify=false', `docker://${reference}`, `dir:${copy}`]);
    let length = '';
    for (const file of readdirSync(copy)) {
      const blob = readFileSync(path.join(copy, file));
      const text = blob[0] === 0x1f && blob[1] === 0x8b ? gunzipSync(blob).toString('latin1') : blob.toString('latin1');
      expect(text.includes(secret), file).toBe(false);
      const found = /secret-length\0[\s\S]*?(\d+)\n/.exec(text);
      if (text.includes('secret-length') && found) length = found[1] as string;
    }
    rmSync(copy, { recursive: true, force: true });
    expect(length).toBe(String(secret.length));
  });
});
