/**
 * A file an input names is read only from inside the workspace (the kit's
 * resolveInputPath, through getStructured and the actions' own path inputs):
 * a relative path that climbs out, an absolute path outside, or a link out is
 * one input error naming the input, and nothing is sent anywhere.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsEnvironment, runAction, services, startHttpServer, type TestHttpServer } from '../../src/index.js';
import { DEPLOYS_CHANNEL, startFakeSlack, type FakeSlack } from '../../src/services/slack.js';

const parent = mkdtempSync(path.join(tmpdir(), 'kit-path-inputs-'));
const workspace = path.join(parent, 'ws');
mkdirSync(workspace);
const outsideFile = path.join(parent, 'outside.json');
let endpoint: TestHttpServer;
let slack: FakeSlack;

beforeAll(async () => {
  endpoint = await startHttpServer((_request, response) => {
    response.end('ok');
  });
  slack = await startFakeSlack();
  writeFileSync(
    outsideFile,
    JSON.stringify({
      // Valid for each action that could read it: a check list, a Slack message, a task definition.
      text: 'from outside',
      family: 'web',
      containerDefinitions: [{ name: 'app', image: 'nginx' }],
    }),
  );
  writeFileSync(path.join(parent, 'checks.json'), JSON.stringify([{ url: `${endpoint.url}/outside` }]));
  symlinkSync(parent, path.join(workspace, 'up'));
});
afterAll(async () => {
  await endpoint.close();
  await slack.close();
  rmSync(parent, { recursive: true, force: true });
});

const WAYS_OUT: [string, (file: string) => string, RegExp][] = [
  ['a relative path that climbs out', (file) => `../${file}`, /must be a path inside the workspace \(.+\), got "\.\.\/[\w.]+", which is outside it$/],
  ['an absolute path outside', (file) => path.join(parent, file), /must be a path inside the workspace \(.+\), got "\/.+", which is outside it$/],
  ['a link out of the workspace', (file) => `up/${file}`, /must stay inside the workspace \(.+\): "up\/[\w.]+" goes through a symlink that points outside it$/],
];

describe.concurrent('path inputs stay inside the workspace', () => {
  it.each(WAYS_OUT)('smoke-test checks: %s', async (_way, given, error) => {
    const result = await runAction('smoke-test', { workspace, inputs: { checks: given('checks.json'), timeout: '2s' } });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/^smoke-test: input "checks" /);
    expect(result.errors[0]).toMatch(error);
    expect(endpoint.requests.filter((request) => request.url === '/outside')).toEqual([]);
  });

  it.each(WAYS_OUT)('slack-notify payload-file: %s', async (_way, given, error) => {
    const result = await runAction('slack-notify', {
      workspace,
      inputs: { token: slack.token, channel: DEPLOYS_CHANNEL, 'api-url': slack.apiUrl, status: 'success', 'payload-file': given('outside.json'), 'github-token': '' },
      env: { GITHUB_API_URL: slack.url },
    });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toMatch(/^slack-notify: input "payload-file" /);
    expect(result.errors[0]).toMatch(error);
    expect(JSON.stringify(slack.calls)).not.toContain('from outside');
  });

  it.each(WAYS_OUT)('ecs-deploy task-definition: %s', async (_way, given, error) => {
    const result = await runAction('ecs-deploy', {
      workspace,
      inputs: { cluster: 'paths', service: 'web', 'task-definition': given('outside.json') },
      env: awsEnvironment(services().motoUrl),
    });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/^ecs-deploy: input "task-definition" /);
    expect(result.errors[0]).toMatch(error);
  });
});
