/**
 * Reusable workflows (by ./ and $/ path, inputs with types and defaults, secrets given and inherited,
 * outputs) and actions: composite actions with $/ inside, a JavaScript action with a post entry,
 * and one of this suite's bundles (detect-changes) by its published name.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { makeRepository, run, step, type Ran, type Repository } from './helpers.js';

let repository: Repository;

beforeAll(() => {
  repository = makeRepository({ 'src/app.ts': 'export {};\n' });
  repository.commit({ 'docs/guide.md': '# guide\n' }, 'docs only');
});

describe('reusable workflows', () => {
  let ran: Ran;
  beforeAll(async () => {
    ran = await run(repository, 'caller.yml', { secrets: { DEPLOY_TOKEN: 'deploy-token-1', API_KEY: 'api-key-2' } });
  });

  test('inputs arrive typed, with defaults evaluated; secrets given and inherited; nested jobs are reported as caller/job', () => {
    const { result } = ran;
    expect(result.conclusion, result.log).toBe('success');
    expect(result.log).toContain('plan staging x3 three=true dry=false label=develop token=*** optional=[] inherited=[] workflow=caller');
    expect(result.log).toContain('plan production x2 three=false dry=true label=develop token= optional=[] inherited=[***] workflow=caller');
    expect(Object.keys(result.jobs).sort()).toEqual(['by-path', 'by-path/apply', 'by-path/plan', 'report', 'self', 'self/apply', 'self/plan']);
    expect(result.jobs['self/apply']?.result).toBe('skipped');
  });

  test('workflow_call outputs come from the called jobs', () => {
    const { result } = ran;
    expect(result.jobs['by-path']?.outputs).toEqual({ result: 'staging-3', 'apply-result': 'success' });
    expect(result.log).toContain('by-path=staging-3/success self=production-2/skipped');
    expect(result.log).toContain('applied [STAGING-3]');
  });
});

describe('actions', () => {
  let ran: Ran;
  beforeAll(async () => {
    ran = await run(repository, 'actions.yml');
  });

  test('a composite action expands (inputs, outputs, a sibling by $/, GITHUB_ENV exports)', () => {
    const { result } = ran;
    expect(result.conclusion, result.log).toBe('success');
    expect(step(result, 'use', 'local').outputs).toEqual({ wrapped: '<LOCAL]' });
    expect(result.log).toContain('local=<LOCAL] said=hello acme/monorepo exported=yes');
  });

  test("a JavaScript action runs with its defaults evaluated, and its post entry runs at the job's end with the saved state", () => {
    const { result, events } = ran;
    expect(result.log).toContain('main says hello to acme/monorepo');
    expect(result.log).toContain('post cleans up after acme/monorepo');
    const finished = events.filter((event) => event.type === 'step-finished').map((event) => event.type === 'step-finished' && event.step);
    expect(finished.at(-1)).toBe('Post Run $/.github/actions/with-post');
  });

  test("this suite's detect-changes bundle runs by its published name, against the checkout", () => {
    const { result } = ran;
    expect(step(result, 'use', 'changes').outputs.changes).toBe('["docs"]');
    expect(result.log).toContain('changes=["docs"]');
  });
});

test('a reusable workflow run on its own (event workflow_call) takes typed inputs and returns its outputs', async () => {
  const { result } = await run(repository, 'reusable.yml', {
    event: { name: 'workflow_call', ref: 'refs/heads/develop', sha: repository.sha },
    inputs: { environment: 'qa', 'dry-run': true },
    secrets: { token: 'line one\nline two' },
  });
  expect(result.conclusion, result.log).toBe('success');
  expect(result.outputs).toEqual({ result: 'qa-2', 'apply-result': 'skipped' });
  // Each line of a multi-line secret is masked, wherever it is printed.
  expect(result.log).toContain('plan qa x2 three=false dry=true label=develop token=***\n*** optional=[]');
  expect(result.log).not.toContain('line one');
});
