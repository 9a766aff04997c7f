import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCKER_MANIFEST_V2 } from './constants.js';
import { RegistryClient, manifestSize } from './registry.js';

// A registry on 127.0.0.1 that wants a Bearer token from its token service (GHCR's and Docker Hub's scheme),
// which in turn wants Basic credentials; every request is recorded.
const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: DOCKER_MANIFEST_V2, config: { size: 100 }, layers: [{ size: 1000 }, { size: 23 }] }));
let server: Server;
let base = '';
const requests: string[] = [];
const stored = new Map<string, Buffer>([['api:v1', manifest]]);
let failNext = 0;

function handle(request: IncomingMessage, response: ServerResponse, body: Buffer): void {
  requests.push(`${request.method} ${request.url} ${request.headers.authorization ?? '-'}`);
  const url = new URL(request.url ?? '/', base);
  if (url.pathname === '/token') {
    const ok = request.headers.authorization === `Basic ${Buffer.from('bot:pw').toString('base64')}` && url.searchParams.get('scope') === 'repository:api:pull,push';
    response.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' }).end(JSON.stringify(ok ? { token: 'tkn' } : {}));
    return;
  }
  if (failNext > 0) {
    failNext--;
    response.writeHead(503).end('busy');
    return;
  }
  if (request.headers.authorization !== 'Bearer tkn') {
    response.writeHead(401, { 'www-authenticate': `Bearer realm="${base}/token",service="test"` }).end();
    return;
  }
  const match = /^\/v2\/(.+)\/manifests\/(.+)$/.exec(url.pathname);
  const key = match ? `${match[1]}:${match[2]}` : '';
  if (request.method === 'PUT') {
    stored.set(key, body);
    response.writeHead(201, { 'docker-content-digest': 'sha256:put' }).end();
    return;
  }
  const found = stored.get(key);
  if (!found) response.writeHead(404).end('{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}');
  else response.writeHead(200, { 'content-type': DOCKER_MANIFEST_V2, 'docker-content-digest': 'sha256:abc' }).end(found);
}

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => handle(request, response, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  base = `http://127.0.0.1:${address.port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const client = (password = 'pw', attempts = 3): RegistryClient =>
  new RegistryClient({ registry: { host: new URL(base).host, plainHttp: true }, credentials: { username: 'bot', password }, attempts });

describe('RegistryClient', () => {
  it('answers a Bearer challenge with a token from the realm, then reads and puts manifests byte for byte', async () => {
    const registry = client();
    const found = await registry.getManifest('api', 'v1');
    expect(found).toMatchObject({ digest: 'sha256:abc', mediaType: DOCKER_MANIFEST_V2, size: 1123 });
    expect(found?.body.equals(manifest)).toBe(true);
    expect(await registry.putManifest('api', 'v2', found!)).toBe('sha256:put');
    expect(stored.get('api:v2')?.equals(manifest)).toBe(true);
    expect(await registry.getManifest('api', 'missing')).toBeUndefined();
    // One token for the whole session.
    expect(requests.filter((line) => line.startsWith('GET /token'))).toHaveLength(1);
  });

  it('retries a 503 and fails with the registry answer once the attempts are used up', async () => {
    const retried: string[] = [];
    failNext = 1;
    const registry = new RegistryClient({ registry: { host: new URL(base).host, plainHttp: true }, credentials: { username: 'bot', password: 'pw' }, attempts: 2, onRetry: (line) => retried.push(line) });
    expect(await registry.getManifest('api', 'v1')).toBeDefined();
    expect(retried).toHaveLength(1);
    failNext = 5;
    await expect(registry.getManifest('api', 'v1')).rejects.toThrow(/HTTP 503 busy/);
    failNext = 0;
  });

  it('says when the token service refuses the credentials', async () => {
    await expect(client('wrong').getManifest('api', 'v1')).rejects.toThrow(/getting a token from http:\/\/127\.0\.0\.1:\d+ failed: HTTP 401/);
  });

  it('sizes an image manifest by its config and layers', () => {
    expect(manifestSize(manifest)).toBe(1123);
    expect(manifestSize(Buffer.from('not json'))).toBe(0);
  });
});
