import { describe, expect, it, test } from 'vitest';
import {
  awsEnvironment,
  freePort,
  jsonRewrite,
  operationOf,
  requireBinary,
  services,
  serverError,
  startFaultProxy,
  startHttpServer,
  throttleJson,
} from '../../src/index.js';
import { startServerProcess } from '../../src/services/process.js';

describe('service fixtures', () => {
  it('moto answers AWS calls', async () => {
    const { motoUrl } = services();
    const response = await fetch(`${motoUrl}/moto-api/`);
    expect(response.status).toBe(200);
  });

  it('postgres accepts queries as the superuser', () => {
    const { postgres } = services();
    expect(postgres.psql('postgres', 'select 40 + 2')).toBe('42');
    const url = postgres.createDatabase('fixture_check');
    expect(url).toContain('/fixture_check');
    expect(postgres.psql('fixture_check', 'select current_database()')).toBe('fixture_check');
  });

  it('a missing binary fails with an install hint', () => {
    expect(() => requireBinary('definitely-not-installed-binary')).toThrow(/not found on PATH. To install/);
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      expect(() => requireBinary('moto_server')).toThrow(/pip install "moto\[server\]"/);
    } finally {
      process.env.PATH = path;
    }
  });

  it('a server that exits before it listens fails with its name and stderr', async () => {
    const crash = startServerProcess('crasher', process.execPath, () => ['-e', 'console.error("bad config line 3"); process.exit(2)']);
    await expect(crash).rejects.toThrow(/^crasher did not start: the server for port \d+ exited before it was ready\nbad config line 3/);
  });

  it('a server binary that cannot be spawned fails with its name, not an unhandled error', async () => {
    await expect(startServerProcess('ghost', '/nonexistent/ghost-server', () => [])).rejects.toThrow(/^ghost did not start: spawn \/nonexistent\/ghost-server ENOENT/);
  });
});

describe('fault proxy', () => {
  it('injects faults a chosen number of times, then forwards', async () => {
    const { motoUrl } = services();
    const proxy = await startFaultProxy(motoUrl);
    try {
      proxy.addRule({ match: 'ListClusters', fault: throttleJson(), times: 1 });
      proxy.addRule({ match: 'ListClusters', fault: serverError(503), times: 1 });
      const call = () =>
        fetch(proxy.url, {
          method: 'POST',
          headers: {
            'x-amz-target': 'AmazonEC2ContainerServiceV20141113.ListClusters',
            'content-type': 'application/x-amz-json-1.1',
            // moto routes by the service in the credential scope of the signature
            authorization: 'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/ecs/aws4_request, SignedHeaders=host, Signature=0',
          },
          body: '{}',
        });
      expect((await call()).status).toBe(400);
      expect((await call()).status).toBe(503);
      const third = await call();
      expect(third.status).toBe(200);
      expect(await third.json()).toHaveProperty('clusterArns');
      expect(proxy.log.map((entry) => [entry.operation, entry.fault ?? 'forwarded'])).toEqual([
        ['ListClusters', 'respond'],
        ['ListClusters', 'respond'],
        ['ListClusters', 'forwarded'],
      ]);
    } finally {
      await proxy.close();
    }
  });

  it('resets connections', async () => {
    const { motoUrl } = services();
    const proxy = await startFaultProxy(motoUrl);
    try {
      proxy.addRule({ fault: { kind: 'reset' }, times: 1 });
      await expect(fetch(`${proxy.url}/moto-api/`)).rejects.toThrow();
      expect((await fetch(`${proxy.url}/moto-api/`)).status).toBe(200);
    } finally {
      await proxy.close();
    }
  });
});

describe('fault proxy: the operation each request names', () => {
  test.each([
    ['a JSON protocol target', 'POST', '/', { 'x-amz-target': 'AmazonEC2ContainerServiceV20141113.DescribeServices' }, '', 'DescribeServices'],
    ['a query protocol Action in the URL', 'GET', '/?Action=GetCallerIdentity&Version=2011-06-15', {}, '', 'GetCallerIdentity'],
    ['a query protocol Action in a form body', 'POST', '/', { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, 'Action=AssumeRole&Version=2011-06-15', 'AssumeRole'],
    ['a REST request (S3)', 'PUT', '/bucket/key.txt?x-id=PutObject', {}, '', 'PUT /bucket/key.txt'],
  ])('%s', (_case, method, url, headers, body, expected) => {
    expect(operationOf(method, url, headers, Buffer.from(body))).toBe(expected);
  });
});

describe('fault proxy: delays, rewrites and rules', () => {
  it('delays a request, then forwards it', async () => {
    const { motoUrl } = services();
    const proxy = await startFaultProxy(motoUrl);
    try {
      proxy.addRule({ fault: { kind: 'delay', ms: 300 }, times: 1 });
      const started = Date.now();
      expect((await fetch(`${proxy.url}/moto-api/`)).status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
      expect(proxy.log).toEqual([{ operation: 'GET /moto-api/', method: 'GET', url: '/moto-api/', fault: 'delay', status: 200 }]);
    } finally {
      await proxy.close();
    }
  });

  it('rewrites a real upstream response', async () => {
    const upstream = await startHttpServer((_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ status: 'IN_PROGRESS', runningCount: 0 }));
    });
    const proxy = await startFaultProxy(upstream.url);
    try {
      proxy.addRule({ match: 'GET /service', fault: jsonRewrite((body) => ({ ...body, status: 'FAILED' })) });
      expect(await (await fetch(`${proxy.url}/service`)).json()).toEqual({ status: 'FAILED', runningCount: 0 });
      expect(await (await fetch(`${proxy.url}/other`)).json()).toEqual({ status: 'IN_PROGRESS', runningCount: 0 });
      expect(upstream.requests.map((request) => request.url)).toEqual(['/service', '/other']);
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });

  it('a HEAD answer keeps the length upstream gave for the object', async () => {
    const upstream = await startHttpServer((_request, response) => {
      response.setHeader('content-length', '1234');
      response.end();
    });
    const proxy = await startFaultProxy(upstream.url);
    try {
      const answer = await fetch(`${proxy.url}/object`, { method: 'HEAD' });
      expect(answer.headers.get('content-length')).toBe('1234');
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });

  it('a rule without times applies to every match until cleared; the first matching rule wins', async () => {
    const upstream = await startHttpServer((_request, response) => void response.end('upstream'));
    const proxy = await startFaultProxy(upstream.url);
    try {
      proxy.addRule({ match: /^GET \/a/, fault: serverError(500) });
      proxy.addRule({ match: /^GET \//, fault: serverError(503) });
      const statuses = async (): Promise<number[]> => Promise.all(['/a', '/a', '/b'].map(async (url) => (await fetch(`${proxy.url}${url}`)).status));
      expect(await statuses()).toEqual([500, 500, 503]);
      proxy.clearRules();
      expect(await statuses()).toEqual([200, 200, 200]);
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });

  it('an upstream that is down is a 502 from the proxy', async () => {
    const proxy = await startFaultProxy(`http://127.0.0.1:${await freePort()}`);
    try {
      const response = await fetch(`${proxy.url}/x`);
      expect(response.status).toBe(502);
      expect(await response.text()).toMatch(/^fault proxy: upstream failed: .*ECONNREFUSED/);
    } finally {
      await proxy.close();
    }
  });
});

describe('HTTP test server', () => {
  it('records each request and answers with the handler', async () => {
    const server = await startHttpServer((request, response) => {
      response.statusCode = request.method === 'POST' ? 201 : 200;
      response.end(`seen ${request.body}`);
    });
    try {
      expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
      const response = await fetch(`${server.url}/hooks/T1?x=1`, { method: 'POST', body: '{"text":"deployed"}', headers: { 'content-type': 'application/json' } });
      expect(response.status).toBe(201);
      expect(await response.text()).toBe('seen {"text":"deployed"}');
      expect(server.requests).toHaveLength(1);
      expect(server.requests[0]).toMatchObject({ method: 'POST', url: '/hooks/T1?x=1', body: '{"text":"deployed"}' });
      expect(server.requests[0]?.headers['content-type']).toBe('application/json');
    } finally {
      await server.close();
    }
  });

  it('a handler that throws answers 599 with the error', async () => {
    const server = await startHttpServer(() => {
      throw new Error('handler bug');
    });
    try {
      const response = await fetch(server.url);
      expect(response.status).toBe(599);
      expect(await response.text()).toBe('Error: handler bug');
    } finally {
      await server.close();
    }
  });
});

describe('awsEnvironment', () => {
  test.each([
    ['the default region', undefined, 'us-east-1'],
    ['a chosen region', 'eu-west-1', 'eu-west-1'],
  ])('points the SDK at the endpoint with dummy credentials and %s', (_case, region, expected) => {
    expect(awsEnvironment('http://127.0.0.1:5000', region)).toEqual({
      AWS_ENDPOINT_URL: 'http://127.0.0.1:5000',
      AWS_REGION: expected,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_SESSION_TOKEN: 'testing',
      AWS_EC2_METADATA_DISABLED: 'true',
    });
  });
});
