import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Buildah, failedInstruction, isTransientPushFailure, parseVersion, type BuildRequest } from './buildah.js';
import type { ImageSpec } from './images.js';

const log = { info: () => undefined, warning: () => undefined, debug: () => undefined };
const image: ImageSpec = { name: 'api', context: '/ws/app', dockerfile: '/ws/app/Dockerfile', buildArgs: new Map([['MODE', 'prod']]), repository: { path: 'api' }, settings: {},
  contentKey: 'k' };

function request(overrides: Partial<BuildRequest> = {}): BuildRequest {
  return { image, reference: 'r.example/api:k', labels: new Map(), secrets: new Map([['npm', 'NPM_TOKEN']]), cacheRepository: 'r.example/api/buildcache', cachePush: true, plainHttp: false, ...overrides };
}

async function builder(env: NodeJS.ProcessEnv = {}, version = 'buildah version 1.28.2 (image-spec 1.1.0)'): Promise<Buildah> {
  const instance = new Buildah(mkdtempSync(path.join(tmpdir(), 'bp-unit-')), env, log);
  (instance as unknown as { version: number[] }).version = parseVersion(version) as number[];
  return instance;
}

describe('buildah arguments', () => {
  it('uses chroot isolation, vfs storage in its own root, a Docker manifest, secrets from the environment and the registry cache', async () => {
    const args = (await builder()).buildArguments(request(), '/t/Dockerfile', '/t/iid', new Map());
    expect(args.slice(0, 6)).toEqual(['--root', expect.stringContaining('storage'), '--runroot', expect.stringContaining('run'), '--storage-driver', 'vfs']);
    expect(args.join(' ')).toContain('build --format docker --layers --file /t/Dockerfile');
    expect(args.join(' ')).toContain('--isolation chroot');
    expect(args.join(' ')).toContain('--secret id=npm,env=NPM_TOKEN');
    expect(args.join(' ')).toContain('--build-arg MODE=prod');
    expect(args.join(' ')).toContain('--cache-from r.example/api/buildcache --cache-to r.example/api/buildcache');
    expect(args).not.toContain('--tls-verify=false');
    expect(args.at(-1)).toBe('/ws/app');
  });

  it('leaves storage and isolation to the user when configured, and reads the cache only when not pushing', async () => {
    const args = (await builder({ STORAGE_DRIVER: 'overlay', BUILDAH_ISOLATION: 'rootless' })).buildArguments(request({ cachePush: false, plainHttp: true }), '/t/D', '/t/iid', new Map());
    expect(args[0]).toBe('build');
    expect(args).not.toContain('--isolation');
    expect(args).toContain('--cache-from');
    expect(args).not.toContain('--cache-to');
    expect(args).toContain('--tls-verify=false');
  });

  it('has no cache flags with cache none, nor on a buildah too old for a registry cache', async () => {
    expect((await builder()).buildArguments(request({ cacheRepository: undefined }), '/t/D', '/t/iid', new Map())).not.toContain('--cache-from');
    expect((await builder({}, 'buildah version 1.26.1')).buildArguments(request(), '/t/D', '/t/iid', new Map())).not.toContain('--cache-from');
  });

  it('passes a secret file where the buildah is too old for env=', async () => {
    const args = (await builder({}, 'buildah version 1.23.1')).buildArguments(request(), '/t/D', '/t/iid', new Map([['npm', '/t/secret-npm']]));
    expect(args.join(' ')).toContain('--secret id=npm,src=/t/secret-npm');
  });
});

describe('buildah output', () => {
  it('finds the failing instruction', () => {
    expect(failedInstruction(['STEP 1/3: FROM scratch', 'STEP 3/3: RUN make', 'boom', 'Error: building at STEP "RUN make": exit status 2'])).toBe('RUN make');
    expect(failedInstruction(['STEP 1/3: FROM scratch', 'STEP 2/3: COPY x /x', 'Error: something'])).toBe('COPY x /x');
    expect(failedInstruction(['Error: no Dockerfile'])).toBeUndefined();
  });

  it.each([
    ['received unexpected HTTP status: 500 Internal Server Error', true],
    ['writing blob: Patch "http://r/v2/x/blobs/uploads/1": read: connection reset by peer', true],
    ['unexpected EOF', true],
    ['received unexpected HTTP status: 503 Service Unavailable', true],
    ['unauthorized: authentication required', false],
    ['manifest invalid', false],
  ])('%s is transient: %s', (output, transient) => {
    expect(isTransientPushFailure(output)).toBe(transient);
  });
});
