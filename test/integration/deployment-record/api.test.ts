/**
 * deployment-record's GitHub API layer as the runner runs it (the committed
 * bundle), against the fake GitHub behind the fault proxy: 5xx and 429 are
 * retried to success, a refusal is one line naming the permission, a GitHub
 * that cannot be reached is one line saying so, and every call carries the
 * suite's User-Agent and the token only in its Authorization header.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction, serverError, startFakeGitHub, startFaultProxy, type FakeGitHub, type FaultProxy } from '../../src/index.js';

const ACTION = 'deployment-record';
const SHA = 'c0ffee00000000000000000000000000000000a1';
const RECORDS = JSON.stringify([{ kind: 'service', name: 'api', outcome: 'success', details: { cluster: 'staging', service: 'api', previous: 'td/api:1', current: 'td/api:2' } }]);

let github: FakeGitHub;
let proxy: FaultProxy;
const agents: string[] = [];
beforeAll(async () => {
  github = await startFakeGitHub();
  proxy = await startFaultProxy(github.url);
  // Seen on every request, faulted or not.
  proxy.addRule({
    match: (request) => {
      agents.push(String(request.headers['user-agent']));
      return false;
    },
    fault: { kind: 'reset' },
  });
});
afterAll(async () => {
  await proxy?.close();
  await github?.stop();
});

const publish = (environment: string, token: string, apiUrl = proxy.url) =>
  runAction(ACTION, { env: { GITHUB_API_URL: apiUrl }, inputs: { mode: 'publish', environment, sha: SHA, records: RECORDS, token } });

describe('deployment-record and the GitHub API', () => {
  it('retries 5xx and 429 answers, reads and writes through them, and records once', async () => {
    const token = github.mintToken({ deployments: 'write' });
    proxy.addRule({ match: (request) => request.method === 'GET' && request.url.includes('/deployments?'), fault: serverError(502), times: 1 });
    proxy.addRule({ match: (request) => request.method === 'POST' && request.url.endsWith('/statuses'), fault: { kind: 'respond', status: 429, headers: { 'retry-after': '0' }, body: '{"message":"slow down"}' }, times: 1 });
    const result = await publish('api-faults', token);
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    const faulted = proxy.log.filter((entry) => entry.status === 502 || entry.status === 429);
    expect(faulted).toHaveLength(2);
    expect(github.deployments('api-faults')).toHaveLength(1);
    expect(github.latestState(Number(result.outputs['deployment-id']))).toBe('success');
    expect(new Set(agents)).toEqual(new Set(['deploy-suite/deployment-record']));
  });

  it('a token without the permission fails with one line that names it, and the token is masked', async () => {
    const token = github.mintToken({ deployments: 'read' });
    const result = await publish('api-refused', token);
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      'deployment-record: recording the deployment to "api-refused" failed (HTTP 403): Resource not accessible by integration; check that "token" has deployments: write',
    ]);
    expect(result.masks).toContain(token);
    expect(github.deployments('api-refused')).toEqual([]);
  });

  it('a GitHub API that cannot be reached is one line saying so', async () => {
    const token = github.mintToken({ deployments: 'write' });
    const result = await runAction(ACTION, { env: { GITHUB_API_URL: 'http://127.0.0.1:1' }, inputs: { mode: 'recall', environment: 'api-down', token } });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual(['deployment-record: reading the deployments to "api-down" failed: no answer (ECONNREFUSED)']);
  });
});
