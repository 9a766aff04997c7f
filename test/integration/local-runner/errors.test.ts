/**
 * What the runner does not implement, or a workflow gets wrong, stops the run with one error naming
 * it and its file and line: never a silent skip.
 */
import { beforeAll, expect, test } from 'vitest';
import { makeRepository, run, type Repository } from './helpers.js';

const CHECKOUT = 'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683';

function workflow(jobBody: string, header = 'on: push\npermissions:\n  contents: read\n'): string {
  return `name: bad\n${header}jobs:\n  job:\n${jobBody}`;
}

const CASES: { name: string; file: string; content: string; error: RegExp; options?: Parameters<typeof run>[2] }[] = [
  {
    name: 'a job key the runner does not implement',
    file: 'services.yml',
    content: workflow('    runs-on: ubuntu-latest\n    services:\n      db:\n        image: postgres\n    steps:\n      - run: echo hi\n'),
    error: /^\.github\/workflows\/services\.yml:8: `jobs\.job\.services` is not implemented by the local runner/,
  },
  {
    name: 'a misspelt step key (GitHub\'s parser)',
    file: 'typo.yml',
    content: workflow('    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n        enviroment: x\n'),
    error: /^\.github\/workflows\/typo\.yml:10: Unexpected value 'enviroment'/,
  },
  {
    name: 'an action without a stand-in',
    file: 'standin.yml',
    content: workflow(`    runs-on: ubuntu-latest\n    steps:\n      - uses: docker/setup-buildx-action@${'a'.repeat(40)}\n`),
    error: /^\.github\/workflows\/standin\.yml:9: the action docker\/setup-buildx-action \(no local stand-in; stand-ins: actions\/checkout, .*\) is not implemented/,
  },
  {
    name: 'an input a stand-in does not implement',
    file: 'standin-input.yml',
    content: workflow(`    runs-on: ubuntu-latest\n    steps:\n      - uses: ${CHECKOUT}\n        with:\n          submodules: true\n`),
    error: /^\.github\/workflows\/standin-input\.yml:9: input "submodules" of the actions\/checkout stand-in is not implemented/,
  },
  {
    name: 'a container action',
    file: 'docker.yml',
    content: workflow(`    runs-on: ubuntu-latest\n    steps:\n      - uses: docker://alpine@sha256:${'b'.repeat(64)}\n`),
    error: /^\.github\/workflows\/docker\.yml:9: the container action docker:\/\/alpine/,
  },
  {
    name: 'a path filter on the trigger',
    file: 'paths.yml',
    content: workflow('    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n', 'on:\n  push:\n    paths: [src/**]\npermissions:\n  contents: read\n'),
    error: /^\.github\/workflows\/paths\.yml:4: the `on\.push\.paths` filter is not implemented/,
  },
  {
    name: 'a workflow the event does not trigger',
    file: 'dispatch-only.yml',
    content: workflow('    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n', 'on: workflow_dispatch\npermissions:\n  contents: read\n'),
    error: /dispatch-only\.yml is not triggered by push/,
  },
  {
    name: 'a push to a branch the filters exclude',
    file: 'branches.yml',
    content: workflow('    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n', 'on:\n  push:\n    branches: [main, "release/**"]\npermissions:\n  contents: read\n'),
    error: /a push of refs\/heads\/develop does not match the workflow's on\.push filters/,
  },
  {
    name: 'a pull_request action the types filter excludes',
    file: 'types.yml',
    content: workflow('    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n', 'on:\n  pull_request:\n    types: [closed]\npermissions:\n  contents: read\n'),
    error: /a pull_request with action opened does not match on\.pull_request\.types \(closed\)/,
    options: { event: { name: 'pull_request', ref: 'refs/pull/1/merge', sha: '0'.repeat(40), payload: { action: 'opened' } } },
  },
  {
    name: 'a reusable workflow called without a required input',
    file: 'missing-input.yml',
    content: 'name: bad\non: push\npermissions:\n  contents: read\njobs:\n  call:\n    uses: ./.github/workflows/reusable.yml\n    secrets:\n      token: x\n',
    error: /^\.github\/workflows\/missing-input\.yml:7: \.\/\.github\/workflows\/reusable\.yml: Input environment is required, but not provided while calling\. \(declared at \.github\/workflows\/reusable\.yml:6\)/,
  },
  {
    name: 'a reusable workflow given a string for a boolean input',
    file: 'bad-type.yml',
    content: "name: bad\non: push\npermissions:\n  contents: read\njobs:\n  call:\n    uses: ./.github/workflows/reusable.yml\n    with:\n      environment: x\n      dry-run: ${{ 'yes' }}\n    secrets:\n      token: x\n",
    error: /Unexpected value 'yes' for input dry-run: expected a boolean/,
  },
  {
    name: 'a secret the called workflow does not declare',
    file: 'bad-secret.yml',
    content: 'name: bad\non: push\npermissions:\n  contents: read\njobs:\n  call:\n    uses: ./.github/workflows/reusable.yml\n    with:\n      environment: x\n    secrets:\n      token: x\n      tokn: y\n',
    error: /bad-secret\.yml:12: \.\/\.github\/workflows\/reusable\.yml: Invalid secret, tokn is not defined in the referenced workflow\./,
  },
  {
    name: 'a called workflow whose job asks for more than the caller grants',
    file: 'escalate.yml',
    content: 'name: bad\non: push\npermissions:\n  contents: read\njobs:\n  call:\n    uses: ./.github/workflows/wants-write.yml\n    permissions:\n      contents: read\n',
    error: /The nested job 'write' is requesting 'contents: write', but is only allowed 'contents: read'\./,
  },
  {
    name: 'a composite run step without a shell',
    file: 'composite-shell.yml',
    content: workflow('    runs-on: ubuntu-latest\n    steps:\n      - uses: $/.github/actions/no-shell\n'),
    error: /^\.github\/actions\/no-shell\/action\.yml:6: Required property is missing: shell/,
  },
];

let repository: Repository;

beforeAll(() => {
  repository = makeRepository({
    ...Object.fromEntries(CASES.map((entry) => [`.github/workflows/${entry.file}`, entry.content])),
    '.github/workflows/wants-write.yml': 'name: wants\non: workflow_call\njobs:\n  write:\n    runs-on: ubuntu-latest\n    permissions:\n      contents: write\n    steps:\n      - run: echo hi\n',
    '.github/actions/no-shell/action.yml': 'name: no-shell\ndescription: A run step without shell.\nruns:\n  using: composite\n  steps:\n    - run: echo hi\n',
  });
});

test.each(CASES)('$name', async ({ file, error, options }) => {
  await expect(run(repository, file, options)).rejects.toThrow(error);
});

test('an expression error at run time fails the step, not the run, and names the expression', async () => {
  const local = makeRepository({ '.github/workflows/eval.yml': workflow("    runs-on: ubuntu-latest\n    steps:\n      - env:\n          BAD: ${{ fromJSON('not json') }}\n        run: echo never\n      - if: failure()\n        run: echo recovered\n") });
  const { result } = await run(local, 'eval.yml');
  expect(result.jobs.job?.steps.map((entry) => entry.outcome)).toEqual(['failure', 'success']);
  expect(result.log).toContain(".github/workflows/eval.yml:10: ${{ fromJSON('not json') }}: Error parsing JSON");
  expect(result.log).toContain('recovered');
  expect(result.conclusion).toBe('failure');
});

test('an expression error in a job (a matrix from an empty output) fails that job; the others go on', async () => {
  const local = makeRepository({
    '.github/workflows/job-eval.yml': workflow(
      "    runs-on: ubuntu-latest\n    outputs:\n      list: ${{ steps.none.outputs.list }}\n    steps:\n      - id: none\n        run: echo nothing\n  matrix:\n    needs: job\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n        item: ${{ fromJSON(needs.job.outputs.list) }}\n    steps:\n      - run: echo never\n  after:\n    needs: matrix\n    if: always()\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo still running\n",
    ),
  });
  const { result } = await run(local, 'job-eval.yml');
  expect(result.jobs.matrix?.result).toBe('failure');
  expect(result.log).toMatch(/job-eval\.yml:\d+: \$\{\{ fromJSON\(needs\.job\.outputs\.list\) \}\}: empty input/);
  expect(result.jobs.after?.result).toBe('success');
  expect(result.conclusion).toBe('failure');
});
