import { describe, expect, it } from 'vitest';
import { makeRepository, run } from './helpers.js';

// A suite whose reusable workflow reaches its sibling action with `$/`, in two commits that say different things.
const SUITE_FILES = (word: string): Record<string, string> => ({
  'actions/greet/action.yml': `name: greet\ndescription: says which commit it is\nruns:\n  using: composite\n  steps:\n    - shell: bash\n      run: echo "greeting from ${word}"\n`,
  '.github/workflows/greet.yml': 'name: greet\non:\n  workflow_call: {}\npermissions: {}\njobs:\n  greet:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: $/actions/greet\n',
});

function caller(ref: string): Record<string, string> {
  return {
    '.github/workflows/call.yml': `name: call\non: push\npermissions: {}\njobs:\n  call:\n    uses: someone/deploy-suite/.github/workflows/greet.yml@${ref}\n`,
  };
}

describe('local runner: a caller pinned to a commit of the suite', () => {
  it("runs that commit's workflow and, through $/, that commit's actions; a tag runs the checkout", async () => {
    const suite = makeRepository(SUITE_FILES('the first commit'));
    const first = suite.sha;
    suite.commit(SUITE_FILES('the second commit'), 'second');

    const pinned = makeRepository(caller(first));
    const { result } = await run(pinned, 'call.yml', { suiteRoot: suite.dir });
    expect(result.conclusion, result.log).toBe('success');
    expect(result.log).toContain('greeting from the first commit');
    expect(result.log).not.toContain('greeting from the second commit');

    const tagged = makeRepository(caller('v1'));
    const latest = await run(tagged, 'call.yml', { suiteRoot: suite.dir });
    expect(latest.result.log).toContain('greeting from the second commit');
  });

  it('a pinned commit the suite does not have stops the run naming it', async () => {
    const suite = makeRepository(SUITE_FILES('only'));
    const missing = 'f'.repeat(40);
    await expect(run(makeRepository(caller(missing)), 'call.yml', { suiteRoot: suite.dir })).rejects.toThrow(new RegExp(`commit ${missing} is not in the suite's history`));
  });
});
