/**
 * deploy-plan and deployment-record as the runner runs them (the committed bundles): bad input is one
 * line naming the input, and publish → recall round-trips through the fake GitHub API. The end-to-end
 * scenarios (test/e2e) run both inside the pipeline.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runAction, startFakeGitHub, type FakeGitHub } from '../../src/index.js';

// The sample as the local staging environment fills it in.
const SAMPLE = readFileSync(path.join(REPO_ROOT, 'test/fixtures/sample-monorepo/.github/deploy/staging.yml'), 'utf8')
  .replaceAll('@REGISTRY@', '127.0.0.1:5000')
  .replaceAll('@APP_URL@', 'http://127.0.0.1:8080')
  .replaceAll('@DISTRIBUTION_ID@', 'E2EXAMPLE');
const SHA = 'c0ffee0000000000000000000000000000000042';

function workspace(description = SAMPLE): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'pipeline-actions-'));
  mkdirSync(path.join(directory, '.github/deploy'), { recursive: true });
  writeFileSync(path.join(directory, '.github/deploy/staging.yml'), description);
  return directory;
}

describe('deploy-plan bundle', () => {
  it('plans from the sample description: a changed image redeploys its service, with the smoke check tied to it', async () => {
    const result = await runAction('deploy-plan', { workspace: workspace(), sha: SHA, inputs: { environment: 'staging', targets: '["images.api"]' } });
    expect(result.errors).toEqual([]);
    expect(JSON.parse(result.outputs.targets ?? '')).toEqual(['images.api', 'services.api']);
    expect(JSON.parse(result.outputs.smoke ?? '').checks).toHaveLength(1);
    expect(result.summary).toContain('roll out');
  });

  it.each([
    ['an unknown deployment type', { 'deployment-type': 'everything' }, workspace(), /input "deployment-type" must be one of/],
    ['a description that is not there', { config: '.github/deploy/prod.yml' }, workspace(), /input "config": no file "\.github\/deploy\/prod\.yml"/],
    ['a description outside the workspace', { config: '../staging.yml' }, workspace(), /input "config" must be a path inside the workspace/],
    ['a key the schema does not know', {}, workspace(SAMPLE.replace('  api:\n    context:', '  api:\n    contxt: x\n    context:')), /staging\.yml:\d+: images\.api\.contxt: unknown key "contxt"/],
    // detect-changes refuses an empty glob: the first read of the description must, before any job runs.
    ['an empty glob in a change-type map', {}, workspace(SAMPLE.replace('  web: [apps/web/**]\n', "  web: [apps/web/**, { added: '' }]\n")), /staging\.yml:9: filters\.web\.1\.added: must not be empty/],
    ['targets that are not a list', { targets: '{"a": 1}' }, workspace(), /input "targets" must be a JSON array/],
    ['images that are not build-push output', { targets: '[]', images: '[1]' }, workspace(), /input "images" must be build-push's images output/],
    ['aws-roles that are not an object', { 'aws-roles': '["arn:aws:iam::123456789012:role/deploy"]' }, workspace(), /input "aws-roles" must be a JSON object of job group -> IAM role ARN/],
    ['aws-roles naming no job group', { 'aws-roles': '{"deploy-services": "arn:aws:iam::123456789012:role/deploy"}' }, workspace(), /input "aws-roles" names no job group "deploy-services"/],
    ['aws-roles with a role that is not an ARN', { 'aws-roles': '{"services": "deploy-services"}' }, workspace(), /the role of "services" must be an IAM role ARN/],
    ['an unknown mode', { mode: 'validate' }, workspace(), /input "mode" must be one of/],
  ])('refuses %s with one line and no stack', async (_name, inputs, directory, error) => {
    const result = await runAction('deploy-plan', { workspace: directory, sha: SHA, inputs: { environment: 'staging', ...inputs } });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(error);
    expect(result.log).not.toMatch(/\n\s+at /);
  });

  // rollback.yml's first step: no checkout, so no description; only the inputs it shares with deploy.yml.
  it('checks aws-roles alone in mode check, without a description, and sets no output', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'pipeline-actions-'));
    const good = await runAction('deploy-plan', { workspace: empty, inputs: { mode: 'check', environment: 'staging', 'aws-roles': '{"services": "arn:aws:iam::123456789012:role/deploy-services"}' } });
    expect(good.exitCode).toBe(0);
    expect(good.errors).toEqual([]);
    expect(good.outputs).toEqual({});
    expect(good.log).toContain('aws-roles names a role for services');
    const bad = await runAction('deploy-plan', { workspace: empty, inputs: { mode: 'check', environment: 'staging', 'aws-roles': 'services: arn:aws:iam::123456789012:role/deploy-services' } });
    expect(bad.exitCode).toBe(1);
    expect(bad.errors).toHaveLength(1);
    expect(bad.errors[0]).toMatch(/input "aws-roles" is not JSON \(the workflow reads it with fromJSON\)/);
    expect(bad.log).not.toMatch(/\n\s+at /);
  });
});

describe('deployment-record bundle', () => {
  let github: FakeGitHub;
  beforeAll(async () => {
    github = await startFakeGitHub();
  });
  afterAll(async () => {
    await github.stop();
  });

  it.each([
    ['an unknown mode', { mode: 'store' }, /input "mode" must be one of/],
    ['publish without an environment', { mode: 'publish', sha: SHA, records: '[]', token: 'ghs_not_a_real_token_0001' }, /input "environment" is required with mode publish/],
    ['recall with a deployment that is neither an id nor a SHA', { mode: 'recall', environment: 'staging', deployment: 'last-week', token: 'ghs_not_a_real_token_0001' }, /input "deployment" must be a deployment id, a full commit SHA or empty/],
    ['save of an unknown kind', { mode: 'save', kind: 'queue', name: 'jobs', outcome: 'success' }, /input "kind" must be one of/],
  ])('refuses %s with one line', async (_name, inputs, error) => {
    const result = await runAction('deployment-record', { inputs, env: { GITHUB_API_URL: github.url } });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(error);
  });

  it('publish writes the state a later recall restores, and the token is masked', async () => {
    const token = github.mintToken({ deployments: 'write' });
    const records = JSON.stringify([
      { kind: 'service', name: 'api', outcome: 'success', details: { cluster: 'staging', service: 'api', previous: 'td/api:1', current: 'td/api:2' } },
    ]);
    const env = { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: 'acme/monorepo' };
    const first = await runAction('deployment-record', { env, inputs: { mode: 'publish', environment: 'bundles', sha: SHA, records, token } });
    expect(first.errors).toEqual([]);
    const next = 'c0ffee0000000000000000000000000000000043';
    const second = await runAction('deployment-record', {
      env,
      inputs: { mode: 'publish', environment: 'bundles', sha: next, records: records.replaceAll('td/api:2', 'td/api:3').replace('td/api:1', 'td/api:2'), token },
    });
    expect(second.errors).toEqual([]);
    const recall = await runAction('deployment-record', { env, inputs: { mode: 'recall', environment: 'bundles', token } });
    expect(recall.errors).toEqual([]);
    expect(recall.outputs.sha).toBe(SHA);
    expect(JSON.parse(recall.outputs['rollback-services'] ?? '')).toEqual([{ name: 'api', cluster: 'staging', service: 'api', 'task-definition': 'td/api:2' }]);
    // The harness fails the run when a masked value (the token) reaches the log outside its ::add-mask::.
    expect(first.masks).toContain(token);
  });
});
