import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuildTools, serverError, skopeoInspect, startFaultProxy, startRegistry, type FaultProxy, type LocalRegistry, type ProxiedRequest } from '../../src/index.js';
import { buildPush, expectSuccess, failureOf, makeWorkspace, newSha, uniqueRepository } from './fixtures.js';

// The request that completes a blob upload (a failed POST can be a cross-repository mount attempt, which buildah recovers from by itself).
const isBlobUpload = (repository: string) => (request: ProxiedRequest) => request.method === 'PUT' && request.url.startsWith(`/v2/${repository}/blobs/uploads/`);
const isManifestPut = (repository: string) => (request: ProxiedRequest) => request.method === 'PUT' && request.url.startsWith(`/v2/${repository}/manifests/`);

describe('build-push: a flaky registry', () => {
  let registry: LocalRegistry;
  let proxy: FaultProxy;
  beforeAll(async () => {
    requireBuildTools();
    registry = await startRegistry();
    proxy = await startFaultProxy(registry.url);
  });
  afterAll(async () => {
    await proxy?.close();
    await registry?.stop();
  });
  const host = (): string => new URL(proxy.url).host;

  it('retries a push through 5xx answers and dropped connections on blob uploads, and a 5xx on the manifest lookup', async () => {
    const repository = uniqueRepository('flaky');
    proxy.addRule({ match: (request) => request.method === 'GET' && request.url.startsWith(`/v2/${repository}/manifests/`), fault: serverError(502), times: 1 });
    proxy.addRule({ match: isBlobUpload(repository), fault: serverError(500), times: 1 });
    proxy.addRule({ match: isBlobUpload(repository), fault: { kind: 'reset' }, times: 1 });
    const result = await buildPush({ workspace: makeWorkspace(), sha: newSha(), inputs: { registry: host(), repository, context: 'app', cache: 'none', retries: 5 } });
    expectSuccess(result);
    expect(result.warnings.some((warning) => /pushing .* failed .*attempt 2 of 5/.test(warning)), result.log).toBe(true);
    expect(result.warnings.some((warning) => /registry request GET .*manifests.* failed .*HTTP 502/.test(warning)), result.log).toBe(true);
    expect(proxy.log.filter((entry) => entry.fault !== undefined)).toHaveLength(3);
    expect((await skopeoInspect(`${registry.host}/${repository}@${result.outputs.digest}`)).Digest).toBe(result.outputs.digest);
  });

  it('fails naming the image and the registry answer once the attempts are used up', async () => {
    const repository = uniqueRepository('down');
    proxy.addRule({ match: isManifestPut(repository), fault: { kind: 'respond', status: 503, headers: { 'content-type': 'text/plain' }, body: 'registry is in read-only mode' } });
    const result = await buildPush({ workspace: makeWorkspace(), sha: newSha(), inputs: { registry: host(), repository, context: 'app', cache: 'none', retries: 2 } });
    const error = failureOf(result);
    expect(error).toMatch(new RegExp(`^build-push: image "${repository}": pushing ${host()}/${repository}:[0-9a-f]{7} failed after 2 attempts; the registry answered: writing manifest: .*503 Service Unavailable`));
    expect(proxy.log.filter((entry) => isManifestPut(repository)({ method: entry.method, url: entry.url } as ProxiedRequest))).toHaveLength(2);
    expect(result.outputs.digest).toBe('');
  });

  // Which step the limit falls in depends on the machine's speed: any of them is named.
  it('stops a build that outlasts "timeout", naming the image and the step it was in', async () => {
    const repository = uniqueRepository('slow');
    const result = await buildPush({ workspace: makeWorkspace(['RUN sleep 60']), sha: newSha(), inputs: { registry: host(), repository, context: 'app', cache: 'none', timeout: '6s' } });
    const error = failureOf(result);
    expect(error).toMatch(new RegExp(`^build-push: building image "${repository}" was stopped at its time limit \\(input "timeout"\\) during (?:RUN|COPY) `));
  });
});
