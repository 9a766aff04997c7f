/**
 * Proves each lint check can fail: a clean set of fixtures gives no finding, and each bad fixture
 * gives exactly the finding of the check it targets.
 */
import { describe, expect, test } from 'vitest';
import { formatFinding, lint, SUITE_REPOSITORY, type Finding, type Rule, type SourceFile } from './workflow-lint.js';

const CHECKOUT = 'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2';

const GREET_ACTION = `name: greet
description: Greets someone.
inputs:
  who:
    description: Who to greet.
    required: true
  greeting:
    description: Required, but has a default, so callers may leave it out.
    required: true
    default: Hello
  loud:
    description: Shout.
    default: 'false'
outputs:
  said:
    description: What was said.
runs:
  using: node24
  main: dist/index.js
  post: dist/cleanup.js
`;

const COMPOSITE_ACTION = `name: wrap
description: Wraps greet.
inputs:
  who:
    description: Who.
    required: true
runs:
  using: composite
  steps:
    - uses: $/actions/greet
      with:
        who: \${{ inputs.who }}
    - shell: bash
      env:
        WHO: \${{ inputs.who }}
      run: echo "$WHO"
    - uses: $/actions/greet
      with:
        who: \${{ inputs.who }}
`;

const REUSABLE_WORKFLOW = `name: reusable deploy
on:
  workflow_call:
    inputs:
      environment:
        type: string
        required: true
      dry-run:
        type: boolean
        default: false
    secrets:
      token:
        required: true
permissions:
  contents: read
jobs:
  deploy:
    runs-on: ubuntu-latest
    timeout-minutes: 10
    environment: \${{ inputs.environment }}
    concurrency:
      group: deploy-\${{ inputs.environment }}
      queue: max
    steps:
      - uses: $/actions/greet
        with:
          who: someone
`;

/** A workflow_dispatch workflow with the given job body (indented under `jobs.deploy`). */
function workflow({
  steps,
  permissions = 'permissions:\n  contents: read\n',
  concurrency = 'concurrency:\n  group: deploy-staging\n  queue: max\n',
  timeout = '    timeout-minutes: 10\n',
  job = '',
}: {
  steps: string;
  permissions?: string;
  concurrency?: string;
  timeout?: string;
  job?: string;
}): string {
  return `name: deploy
on:
  workflow_dispatch:
    inputs:
      version:
        description: The version to deploy.
        required: true
${permissions}${concurrency}jobs:
  deploy:
    runs-on: ubuntu-latest
    environment: staging
${job}    steps:
${steps}${timeout}`;
}

const GOOD_STEPS = `      - uses: ${CHECKOUT}
      - uses: ./actions/greet
        with:
          who: \${{ inputs.version }}
      - uses: ${SUITE_REPOSITORY}/actions/greet@v1
        with:
          who: me
          LOUD: 'true'
      - uses: ./actions/wrap
        with:
          who: you
      - uses: docker://alpine@sha256:${'a'.repeat(64)}
      - env:
          VERSION: \${{ inputs.version }}
          TITLE: \${{ github.event.inputs.version }}
        run: |
          echo "$VERSION $TITLE \${{ github.sha }} \${{ github.event_name }}"
      - uses: $/actions/greet
        with:
          who: self
      - uses: $/actions/wrap/
        with:
          who: self
`;

const CALLER = `name: call
on: push
permissions:
  contents: read
jobs:
  call:
    uses: ./.github/workflows/reusable.yml
    with:
      environment: staging
    secrets:
      token: \${{ secrets.DEPLOY_TOKEN }}
  call-remote:
    uses: ${SUITE_REPOSITORY}/.github/workflows/reusable.yml@v1
    with:
      environment: production
    secrets: inherit
  call-self:
    uses: $/.github/workflows/reusable.yml
    with:
      environment: staging
      dry-run: true
    secrets: inherit
  after-self:
    needs: call-self
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - env:
          RESULT: \${{ needs.call-self.result }}
        run: echo "$RESULT"
`;

interface Fixture {
  actions?: Record<string, string>;
  workflows?: Record<string, string>;
  existing?: string[];
}

function files(fixture: Fixture): { actions: SourceFile[]; workflows: SourceFile[] } {
  const actions = { 'actions/greet/action.yml': GREET_ACTION, 'actions/wrap/action.yml': COMPOSITE_ACTION, ...fixture.actions };
  const workflows = {
    '.github/workflows/deploy.yml': workflow({ steps: GOOD_STEPS }),
    '.github/workflows/reusable.yml': REUSABLE_WORKFLOW,
    'workflows/call.yml': CALLER,
    ...fixture.workflows,
  };
  const toFiles = (record: Record<string, string>) => Object.entries(record).map(([path, content]) => ({ path, content }));
  return { actions: toFiles(actions), workflows: toFiles(workflows) };
}

const BUILT = ['actions/greet/dist/index.js', 'actions/greet/dist/cleanup.js'];

async function lintFixture(fixture: Fixture): Promise<Finding[]> {
  const { actions, workflows } = files(fixture);
  const existing = new Set(fixture.existing ?? BUILT);
  return lint(actions, workflows, { fileExists: (file) => existing.has(file) });
}

test('the clean fixtures give no finding', async () => {
  expect((await lintFixture({})).map(formatFinding)).toEqual([]);
});

interface BadCase {
  name: string;
  fixture: Fixture;
  /** Every rule that must fire, and nothing else. */
  rules: Rule[];
  /** A finding of the first rule says this, at this place. */
  message: RegExp;
  at: string;
}

const bad: BadCase[] = [
  {
    name: 'a workflow that is not YAML',
    fixture: { workflows: { 'workflows/broken.yml': 'on: push\njobs: [\n' } },
    rules: ['yaml', 'schema', 'actionlint'],
    message: /flow sequence|Unexpected|expected/i,
    at: 'workflows/broken.yml:3',
  },
  {
    name: 'an action.yml with an unknown runtime',
    fixture: { actions: { 'actions/greet/action.yml': GREET_ACTION.replace('using: node24', 'using: node99') } },
    rules: ['schema'],
    message: /node99/,
    at: 'actions/greet/action.yml:18',
  },
  {
    name: 'an action.yml without a description',
    fixture: { actions: { 'actions/greet/action.yml': GREET_ACTION.replace('description: Greets someone.\n', '') } },
    rules: ['schema'],
    message: /description/,
    at: 'actions/greet/action.yml:1',
  },
  {
    name: 'a misspelt step key',
    fixture: { workflows: { 'workflows/typo.yml': workflow({ steps: `      - uses: ./actions/greet\n        whith:\n          who: me\n` }) } },
    rules: ['schema', 'actionlint', 'action-inputs'],
    message: /whith/,
    at: 'workflows/typo.yml:19',
  },
  {
    name: 'an unclosed expression',
    fixture: { workflows: { 'workflows/expression.yml': workflow({ steps: `      - if: \${{ github.ref == 'refs/heads/develop' \n        run: echo hi\n` }) } },
    rules: ['schema', 'actionlint'],
    message: /not closed/,
    at: 'workflows/expression.yml:18',
  },
  {
    name: 'a job that needs a job that does not exist',
    fixture: { workflows: { 'workflows/needs.yml': workflow({ job: '    needs: build\n', steps: '      - run: echo hi\n' }) } },
    rules: ['actionlint'],
    message: /build/,
    at: 'workflows/needs.yml:14',
  },
  {
    name: 'event data expanded in run (github.event)',
    fixture: { workflows: { 'workflows/inject.yml': workflow({ steps: '      - run: |\n          echo ok\n          echo "${{ github.event.pull_request.title }}"\n' }) } },
    rules: ['actionlint', 'run-injection'],
    message: /github\.event/,
    at: 'workflows/inject.yml:18',
  },
  {
    name: 'a dispatch input expanded in run',
    fixture: { workflows: { 'workflows/inject.yml': workflow({ steps: '      - run: ./deploy.sh ${{ inputs.version }}\n' }) } },
    rules: ['run-injection'],
    message: /expands inputs/,
    at: 'workflows/inject.yml:18',
  },
  {
    name: 'the head branch expanded in run',
    fixture: { workflows: { 'workflows/inject.yml': workflow({ steps: '      - run: git checkout "${{ github.head_ref }}"\n' }) } },
    rules: ['actionlint', 'run-injection'],
    message: /github\.head_ref/,
    at: 'workflows/inject.yml:18',
  },
  {
    name: 'event data by index expanded in run',
    fixture: { workflows: { 'workflows/inject.yml': workflow({ steps: `      - run: echo "\${{ github['event'].comment.body }}"\n` }) } },
    rules: ['run-injection', 'actionlint'],
    message: /github\.event/,
    at: 'workflows/inject.yml:18',
  },
  {
    name: 'an input expanded in a composite action run step',
    fixture: { actions: { 'actions/wrap/action.yml': COMPOSITE_ACTION.replace('run: echo "$WHO"', 'run: echo "${{ inputs.who }}"') } },
    rules: ['run-injection'],
    message: /expands inputs/,
    at: 'actions/wrap/action.yml:16',
  },
  {
    name: 'an unknown input passed to a local action',
    fixture: { workflows: { 'workflows/with.yml': workflow({ steps: '      - uses: ./actions/greet\n        with:\n          who: me\n          volume: 11\n' }) } },
    rules: ['action-inputs'],
    message: /"volume" is not an input of actions\/greet \(inputs: who, greeting, loud\)/,
    at: 'workflows/with.yml:21',
  },
  {
    name: 'a required input missing',
    fixture: { workflows: { 'workflows/with.yml': workflow({ steps: '      - uses: ./actions/greet\n        with:\n          loud: "true"\n' }) } },
    rules: ['action-inputs'],
    message: /required input "who" of actions\/greet is not set/,
    at: 'workflows/with.yml:18',
  },
  {
    name: 'a required input missing in a composite action step',
    fixture: { actions: { 'actions/wrap/action.yml': COMPOSITE_ACTION.replace('      with:\n        who: ${{ inputs.who }}\n', '') } },
    rules: ['action-inputs'],
    message: /required input "who"/,
    at: 'actions/wrap/action.yml:10',
  },
  {
    name: 'an unknown input passed to the suite action by its published name',
    fixture: { workflows: { 'workflows/with.yml': workflow({ steps: `      - uses: ${SUITE_REPOSITORY}/actions/greet@v1\n        with:\n          who: me\n          whom: you\n` }) } },
    rules: ['action-inputs'],
    message: /"whom" is not an input/,
    at: 'workflows/with.yml:21',
  },
  {
    name: 'a local action that does not exist',
    fixture: { workflows: { 'workflows/with.yml': workflow({ steps: '      - uses: ./actions/nope\n' }) } },
    rules: ['action-inputs'],
    message: /there is no actions\/nope\/action.yml/,
    at: 'workflows/with.yml:18',
  },
  {
    name: 'a reusable workflow called with an unknown input and without its required secret',
    fixture: { workflows: { 'workflows/call.yml': CALLER.replace('    secrets:\n      token: ${{ secrets.DEPLOY_TOKEN }}\n', '    secrets:\n      other: x\n').replace('      environment: staging', '      environment: staging\n      region: eu-west-1') } },
    rules: ['workflow-inputs'],
    message: /"region" is not an input of \.github\/workflows\/reusable\.yml|required secret "token"/,
    at: 'workflows/call.yml:7',
  },
  {
    name: 'an unknown input passed to a sibling action by a self-repository reference',
    fixture: { workflows: { 'workflows/with.yml': workflow({ steps: '      - uses: $/actions/greet\n        with:\n          who: me\n          whom: you\n' }) } },
    rules: ['action-inputs'],
    message: /"whom" is not an input of actions\/greet/,
    at: 'workflows/with.yml:21',
  },
  {
    name: 'a required input missing in a composite action step with a self-repository reference',
    fixture: { actions: { 'actions/wrap/action.yml': COMPOSITE_ACTION.replace('    - uses: $/actions/greet\n      with:\n        who: ${{ inputs.who }}\n', '    - uses: $/actions/greet\n') } },
    rules: ['action-inputs'],
    message: /required input "who" of actions\/greet is not set/,
    at: 'actions/wrap/action.yml:10',
  },
  {
    name: 'a sibling action that does not exist',
    fixture: { workflows: { 'workflows/with.yml': workflow({ steps: '      - uses: $/actions/nope\n' }) } },
    rules: ['action-inputs'],
    message: /there is no actions\/nope\/action.yml/,
    at: 'workflows/with.yml:18',
  },
  {
    name: 'a self-repository reference with a ref',
    fixture: { workflows: { 'workflows/with.yml': workflow({ steps: '      - uses: $/actions/greet@v1\n        with:\n          who: me\n' }) } },
    rules: ['pinned-uses'],
    message: /takes no @ref/,
    at: 'workflows/with.yml:18',
  },
  {
    name: 'a reusable workflow called by a self-repository reference without its required input',
    fixture: { workflows: { 'workflows/call.yml': CALLER.replace('      environment: staging\n      dry-run: true\n', '      dry-run: true\n      region: eu-west-1\n') } },
    rules: ['workflow-inputs'],
    message: /required input "environment" of \.github\/workflows\/reusable\.yml is not set|"region" is not an input/,
    at: 'workflows/call.yml:18',
  },
  {
    name: 'a self-repository reusable workflow that does not exist',
    fixture: { workflows: { 'workflows/call.yml': CALLER.replace('$/.github/workflows/reusable.yml', '$/.github/workflows/missing.yml') } },
    rules: ['workflow-inputs'],
    message: /missing\.yml does not exist/,
    at: 'workflows/call.yml:18',
  },
  {
    name: 'a reusable workflow that does not exist',
    fixture: { workflows: { 'workflows/call.yml': CALLER.replace('./.github/workflows/reusable.yml', './.github/workflows/missing.yml') } },
    rules: ['workflow-inputs'],
    message: /missing\.yml/,
    at: 'workflows/call.yml:7',
  },
  {
    name: 'a JavaScript action on node20',
    fixture: { actions: { 'actions/greet/action.yml': GREET_ACTION.replace('using: node24', 'using: node20') } },
    rules: ['node-runtime'],
    message: /runs\.using is node20/,
    at: 'actions/greet/action.yml:18',
  },
  {
    name: 'an action whose bundle is not built',
    fixture: { existing: ['actions/greet/dist/index.js'] },
    rules: ['action-files'],
    message: /runs\.post is dist\/cleanup\.js/,
    at: 'actions/greet/action.yml:20',
  },
  {
    name: 'a third-party action pinned to a tag',
    fixture: { workflows: { 'workflows/pin.yml': workflow({ steps: '      - uses: actions/checkout@v4\n' }) } },
    rules: ['pinned-uses'],
    message: /actions\/checkout@v4 is not pinned to a full commit SHA/,
    at: 'workflows/pin.yml:18',
  },
  {
    name: 'a third-party action pinned to a short SHA',
    fixture: { workflows: { 'workflows/pin.yml': workflow({ steps: '      - uses: actions/checkout@11bd719\n' }) } },
    rules: ['pinned-uses'],
    message: /not pinned/,
    at: 'workflows/pin.yml:18',
  },
  {
    name: 'a third-party reusable workflow on a branch',
    fixture: { workflows: { 'workflows/call.yml': CALLER.replace(`${SUITE_REPOSITORY}/.github/workflows/reusable.yml@v1`, 'other-org/workflows/.github/workflows/deploy.yml@main') } },
    rules: ['pinned-uses'],
    message: /deploy\.yml@main is not pinned/,
    at: 'workflows/call.yml:13',
  },
  {
    name: 'a docker image without a digest',
    fixture: { workflows: { 'workflows/pin.yml': workflow({ steps: '      - uses: docker://alpine:3.20\n' }) } },
    rules: ['pinned-uses'],
    message: /docker:\/\/alpine:3\.20 is not pinned/,
    at: 'workflows/pin.yml:18',
  },
  {
    name: 'a workflow without permissions',
    fixture: { workflows: { 'workflows/perm.yml': workflow({ permissions: '', steps: '      - run: echo hi\n' }) } },
    rules: ['permissions'],
    message: /job "deploy" runs with the default token permissions/,
    at: 'workflows/perm.yml:12',
  },
  {
    name: 'a deployment job without a concurrency group',
    fixture: { workflows: { 'workflows/concurrency.yml': workflow({ concurrency: '', steps: '      - run: echo hi\n' }) } },
    rules: ['concurrency'],
    message: /job "deploy" deploys to an environment without a `concurrency:` group/,
    at: 'workflows/concurrency.yml:13',
  },
  {
    name: 'a deployment job whose concurrency group does not name its environment',
    fixture: { workflows: { 'workflows/concurrency.yml': workflow({ concurrency: 'concurrency:\n  group: deploy-${{ github.ref }}\n', steps: '      - run: echo hi\n' }) } },
    rules: ['concurrency'],
    message: /concurrency group "deploy-\$\{\{ github.ref \}\}", which does not name the environment/,
    at: 'workflows/concurrency.yml:11',
  },
  {
    name: 'a deployment that a newer run would cancel half-way',
    fixture: { workflows: { 'workflows/concurrency.yml': workflow({ concurrency: 'concurrency:\n  group: deploy-staging\n  cancel-in-progress: true\n', steps: '      - run: echo hi\n' }) } },
    rules: ['concurrency'],
    message: /cancel-in-progress: true/,
    at: 'workflows/concurrency.yml:12',
  },
  {
    name: 'a deployment whose pending run a newer run of the group would cancel',
    fixture: { workflows: { 'workflows/concurrency.yml': workflow({ concurrency: 'concurrency:\n  group: deploy-staging\n  cancel-in-progress: false\n', steps: '      - run: echo hi\n' }) } },
    rules: ['concurrency'],
    message: /with one pending run at most: .*add `queue: max`/,
    at: 'workflows/concurrency.yml:11',
  },
  {
    name: "a reusable workflow that reaches the suite's action in the caller's workspace",
    fixture: { workflows: { '.github/workflows/reusable.yml': REUSABLE_WORKFLOW.replace('uses: $/actions/greet', 'uses: ./actions/greet') } },
    rules: ['self-uses'],
    message: /\.\/actions\/greet: a reusable workflow or composite action reaches the suite's actions as `\$\/actions\/greet`/,
    at: '.github/workflows/reusable.yml:25',
  },
  {
    name: "a composite action that reaches the suite's action by a tag",
    fixture: { actions: { 'actions/wrap/action.yml': COMPOSITE_ACTION.replace('    - uses: $/actions/greet\n', `    - uses: ${SUITE_REPOSITORY}/actions/greet@v1\n`) } },
    rules: ['self-uses'],
    message: /actions\/greet@v1: a reusable workflow or composite action/,
    at: 'actions/wrap/action.yml:10',
  },
  {
    name: 'a job without a timeout',
    fixture: { workflows: { 'workflows/timeout.yml': workflow({ timeout: '', steps: '      - run: echo hi\n' }) } },
    rules: ['timeout'],
    message: /job "deploy" has no `timeout-minutes:`/,
    at: 'workflows/timeout.yml:14',
  },
  {
    name: 'a workflow-level permission more than a job that declares its own needs',
    fixture: {
      workflows: {
        'workflows/perm.yml': workflow({
          permissions: 'permissions:\n  contents: read\n  deployments: write\n',
          job: '    permissions:\n      contents: read\n      deployments: read\n',
          steps: '      - run: echo hi\n',
        }),
      },
    },
    rules: ['permissions'],
    message: /the workflow grants `deployments: write`, more than job "deploy" needs/,
    at: 'workflows/perm.yml:10',
  },
  {
    name: 'a workflow-level read-all beside a job that declares its own',
    fixture: { workflows: { 'workflows/perm.yml': workflow({ permissions: 'permissions: read-all\n', job: '    permissions: {}\n', steps: '      - run: echo hi\n' }) } },
    rules: ['permissions'],
    message: /the workflow grants `read-all`, more than job "deploy" needs/,
    at: 'workflows/perm.yml:8',
  },
];

describe('each check fails on a bad fixture', () => {
  test.each(bad)('$name', async ({ fixture, rules, message, at }) => {
    const findings = await lintFixture(fixture);
    expect([...new Set(findings.map((finding) => finding.rule))].sort(), findings.map(formatFinding).join('\n')).toEqual([...rules].sort());
    const [rule] = rules;
    const targeted = findings.filter((finding) => finding.rule === rule).map(formatFinding);
    expect(targeted.some((line) => line.startsWith(`${at}:`)), targeted.join('\n')).toBe(true);
    expect(findings.some((finding) => message.test(finding.message)), findings.map(formatFinding).join('\n')).toBe(true);
  });
});

test('a workflow-level grant that every job that declares its own also has is fine; a job that declares none inherits it', async () => {
  const twoJobs = workflow({ job: '    permissions:\n      contents: write\n', steps: '      - run: echo hi\n' }).replace(
    'jobs:\n',
    'jobs:\n  inherits:\n    runs-on: ubuntu-latest\n    timeout-minutes: 5\n    steps:\n      - run: echo hi\n',
  );
  expect((await lintFixture({ workflows: { 'workflows/perm.yml': twoJobs } })).map(formatFinding)).toEqual([]);
});

test('permissions on every job satisfy the permissions rule', async () => {
  const findings = await lintFixture({ workflows: { 'workflows/perm.yml': workflow({ permissions: '', job: '    permissions:\n      contents: read\n', steps: '      - run: echo hi\n' }) } });
  expect(findings.map(formatFinding)).toEqual([]);
});
