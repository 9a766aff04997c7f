import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuildTools, skopeoInspect, startRegistry, writeBusyboxContext, type LocalRegistry } from '../../src/index.js';
import { buildPush, expectSuccess, failureOf, imagesOutput, makeWorkspace, newSha, uniqueRepository } from './fixtures.js';

describe('build-push: several images', () => {
  let registry: LocalRegistry;
  beforeAll(async () => {
    requireBuildTools();
    registry = await startRegistry();
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it('builds the images of a file two at a time, each with its own context, Dockerfile, target and build args', async () => {
    const workspace = makeWorkspace(['ARG FLAVOUR', 'RUN echo "$FLAVOUR" > /flavour'], {}, 'services/api');
    writeBusyboxContext(path.join(workspace, 'services/worker'), ['RUN echo builder > /stage', 'FROM scratch AS slim', 'COPY --from=0 /stage /stage'], {}, 'worker.Dockerfile');
    const [api, worker] = [uniqueRepository('api'), uniqueRepository('worker')];
    writeFileSync(
      path.join(workspace, 'images.yml'),
      [
        'api:',
        '  context: services/api',
        `  repository: ${api}`,
        '  build-args: {FLAVOUR: spicy}',
        'worker:',
        '  context: services/worker',
        '  dockerfile: services/worker/worker.Dockerfile',
        '  target: slim',
        `  repository: ${worker}`,
      ].join('\n'),
    );
    const sha = newSha();
    const result = await buildPush({ workspace, sha, inputs: { registry: registry.host, images: 'images.yml', parallel: 2, tags: 'staging', cache: 'none' } });
    expectSuccess(result);
    const images = imagesOutput(result);
    expect(Object.keys(images).sort()).toEqual(['api', 'worker']);
    expect(images.api).toMatchObject({ repository: `${registry.host}/${api}`, built: true, tags: [`${registry.host}/${api}:staging`, `${registry.host}/${api}:${sha}`] });
    expect(images.worker?.uri).toMatch(new RegExp(`^${registry.host}/${worker}@sha256:[0-9a-f]{64}$`));
    // One image: the per-image outputs are for a single image only.
    expect(result.outputs.digest).toBe('');
    expect(result.log).toContain('[api] ');
    expect(result.log).toContain('[worker] ');
    const slim = await skopeoInspect(images.worker?.uri as string);
    expect(slim.Layers).toHaveLength(1);
    expect(result.summary).toContain('<h4>api</h4>');
    expect(result.summary).toContain('<h4>worker</h4>');
  });

  it('names the image whose build failed, with the failing instruction and its output; nothing of it is pushed, no later image starts', async () => {
    const workspace = makeWorkspace(['RUN echo compiling && echo "error: missing semicolon" >&2 && exit 3', 'RUN echo never'], {}, 'broken');
    const broken = uniqueRepository('broken');
    const images = `broken: {context: broken, repository: ${broken}}\nlater: {context: broken, repository: ${uniqueRepository('later')}}`;
    const result = await buildPush({ workspace, sha: newSha(), inputs: { registry: registry.host, images, cache: 'none' } });
    const error = failureOf(result);
    expect(error).toMatch(/^build-push: building image "broken" failed at RUN echo compiling && echo "error: missing semicolon" >&2 && exit 3: .*exit status 3$/);
    expect(result.summary).toContain('Failing instruction');
    expect(result.summary).toContain('error: missing semicolon');
    expect(result.summary).toContain('Not started: an earlier image failed.');
    expect(imagesOutput(result)).toEqual({});
    const tags = await fetch(`${registry.url}/v2/${broken}/tags/list`);
    expect(tags.status).toBe(404);
  });
});
