import { describe, expect, it } from 'vitest';
import { requireBinary, services, startFaultProxy, throttleJson, serverError } from '../../src/index.js';

describe('service fixtures', () => {
  it('moto answers AWS calls', async () => {
    const { motoUrl } = services();
    const response = await fetch(`${motoUrl}/moto-api/data.json`);
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
      await expect(fetch(`${proxy.url}/moto-api/data.json`)).rejects.toThrow();
      expect((await fetch(`${proxy.url}/moto-api/data.json`)).status).toBe(200);
    } finally {
      await proxy.close();
    }
  });
});
