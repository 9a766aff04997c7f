/**
 * deploy-plan's bad input as the runner runs it: one error naming the input,
 * exit 1, no stack trace, and no output set (a later `if: always()` step must
 * not read a half-written plan).
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { runAction } from '../../src/index.js';

const ACTION = 'deploy-plan';
const DESCRIPTION = `filters:
  api: [services/api/**]
  web: [apps/web/**]
images:
  api:
    context: services/api
    repository: api
    when: [api]
site:
  directory: apps/web/dist
  bucket: staging-web
  when: [web]
`;

function workspace(): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'deploy-plan-inputs-'));
  mkdirSync(path.join(directory, '.github/deploy'), { recursive: true });
  writeFileSync(path.join(directory, '.github/deploy/staging.yml'), DESCRIPTION);
  return directory;
}

const cases: { name: string; inputs: Record<string, string>; error: RegExp }[] = [
  { name: 'a target the description does not have', inputs: { targets: '["images.api", "images.nope"]' }, error: /^deploy-plan: input "targets" names unknown target\(s\) images\.nope \(targets: images\.api, site\)$/ },
  { name: 'targets that are not a JSON array', inputs: { targets: '{"images.api": true}' }, error: /^deploy-plan: input "targets" must be a JSON array of target names/ },
  { name: 'artifacts outside the workspace', inputs: { targets: '[]', artifacts: '../artifacts' }, error: /^deploy-plan: input "artifacts" must be a path inside the workspace \(.+\), got "\.\.\/artifacts", which is outside it$/ },
  { name: 'an unknown deployment type', inputs: { targets: '[]', 'deployment-type': 'ful' }, error: /^deploy-plan: input "deployment-type" must be one of "auto", "full", "backend-only", "frontend-only", got "ful"$/ },
];

describe.concurrent('deploy-plan bad inputs', () => {
  test.each(cases)('$name', async ({ inputs, error }) => {
    const result = await runAction(ACTION, { workspace: workspace(), inputs: { environment: 'staging', ...inputs } });
    expect(result.exitCode, result.log).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(error);
    expect(result.log).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(result.outputs).toEqual({});
    expect(result.summary).toBe('');
  });

  test('artifacts through a symlink out of the workspace are refused under their own name', async () => {
    const directory = workspace();
    symlinkSync(mkdtempSync(path.join(tmpdir(), 'deploy-plan-outside-')), path.join(directory, 'out'));
    const result = await runAction(ACTION, { workspace: directory, inputs: { environment: 'staging', targets: '[]', artifacts: 'out/artifacts' } });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([expect.stringMatching(/^deploy-plan: input "artifacts" must stay inside the workspace \(.+\): "out\/artifacts" goes through a symlink that points outside it$/)]);
    expect(result.outputs).toEqual({});
  });

  test('the same description and good targets plan, with every output set', async () => {
    const result = await runAction(ACTION, { workspace: workspace(), inputs: { environment: 'staging', targets: '["images.api"]' } });
    expect(result.errors).toEqual([]);
    expect(JSON.parse(result.outputs.targets as string)).toEqual(['images.api']);
    expect(JSON.parse(result.outputs.filters as string)).toEqual({ api: ['services/api/**'], web: ['apps/web/**'] });
  });
});
