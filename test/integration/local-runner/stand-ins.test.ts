/** The stand-ins for pinned third-party actions: artifacts between jobs, a sparse deep checkout, setup-node; an environment without a deployment. */
import { execFileSync } from 'node:child_process';
import { actionNode } from '@deploy-suite/local-runner';
import { beforeAll, expect, test } from 'vitest';
import { makeRepository, run, type Ran } from './helpers.js';

let ran: Ran;
/** The action Node's major version (24 in CI), which setup-node is asked for. */
const nodeMajor = execFileSync(actionNode(), ['--version'], { encoding: 'utf8' }).trim().split('.')[0]!;

beforeAll(async () => {
  const repository = makeRepository({ 'src/app.ts': 'export {};\n', 'docs/guide.md': '# guide\n' });
  repository.commit({ 'src/app.ts': 'export const x = 1;\n' }, 'second');
  ran = await run(repository, 'stand-ins.yml', { vars: { NODE_MAJOR: nodeMajor.replace(/^v/, '') } });
});

test('upload-artifact and download-artifact move files between jobs: by name, by pattern merged, and all', () => {
  const { result } = ran;
  expect(result.jobs.consume?.result, result.log).toBe('success');
  expect(result.log).toContain('merged: a.txt b.txt single: a.txt all: part-a part-b');
  expect(result.log).toContain('part b');
});

test('checkout honours sparse-checkout and fetch-depth 0', () => {
  expect(ran.result.log).toContain('sparse: README.md src ');
  expect(ran.result.log).toContain('history: 2 commits');
});

test('setup-node finds the Node asked for (ACTION_NODE for 24) and puts it first on PATH; deployment: false records none', () => {
  const { result } = ran;
  expect(result.log).toContain(`node ${nodeMajor}`);
  expect(result.jobs.tools).toMatchObject({ result: 'success', environment: 'staging' });
  expect(result.jobs.tools?.deployment).toBeUndefined();
});
