import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuildTools, skopeoInspect, startRegistry, type LocalRegistry } from '../../src/index.js';
import { buildPush, expectSuccess, imagesOutput, makeWorkspace, newSha, uniqueRepository } from './fixtures.js';

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
    const inputs = { registry: registry.host, repository, context: 'app', version: '1.4.0' };
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
