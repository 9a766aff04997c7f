/**
 * scripts/docs.mjs: the action-docs/ pages are fresh, and `--check` fails naming a stale, missing or
 * orphaned page and an input or output without a description.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { REPO_ROOT } from '../../src/index.js';
import { formatFinding, lint, readRepositoryFiles } from './workflow-lint.js';

const DOCS_SCRIPT = path.join(REPO_ROOT, 'scripts', 'docs.mjs');

function docs(root: string, ...args: string[]): { status: number | null; output: string } {
  // Without GITHUB_ACTIONS the script prints plain `file:line: message` lines, also when CI runs this test.
  const { GITHUB_ACTIONS: _ignored, ...env } = process.env;
  const result = spawnSync(process.execPath, [DOCS_SCRIPT, '--root', root, ...args], { encoding: 'utf8', env });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

test('action-docs/ is up to date with every action.yml (`pnpm run docs` regenerates it)', () => {
  const { status, output } = docs(REPO_ROOT, '--check');
  expect(output).not.toMatch(/stale|missing|no description|invalid YAML/);
  expect(status, output).toBe(0);
});

test("each page's usage example passes the action's own input check", async () => {
  const { actions } = readRepositoryFiles(REPO_ROOT);
  const examples = actions.map(({ path: actionYml }) => {
    const name = path.basename(path.dirname(actionYml));
    const pagePath = path.join(REPO_ROOT, 'action-docs', `${name}.md`);
    const page = existsSync(pagePath) ? readFileSync(pagePath, 'utf8') : '';
    const example = /```yaml\n([\s\S]*?)```/.exec(page)?.[1] ?? `- run: echo "action-docs/${name}.md has no usage example"\n`;
    const steps = example.replace(/^/gm, '      ');
    return { path: `workflows/example-${name}.yml`, content: `on: push\npermissions: {}\njobs:\n  example:\n    runs-on: ubuntu-latest\n    timeout-minutes: 10\n    steps:\n${steps}` };
  });
  const findings = await lint(actions, examples);
  expect(findings.filter((finding) => finding.file.startsWith('workflows/example-')).map(formatFinding)).toEqual([]);
  expect(examples.filter(({ content }) => content.includes('has no usage example')).map(({ path: file }) => file)).toEqual([]);
});

const DEMO_ACTION = `name: Demo deploy
description: |
  Deploys a demo | safely.

  A second paragraph.
inputs:
  cluster:
    description: The cluster to deploy to.
    required: true
  pattern:
    description: Files to upload, one <glob> a line (\`<glob>\` as picomatch reads it).
    required: true
    default: '**/*.js'
  timeout:
    description: How long to wait.
    default: 10m
outputs:
  url:
    description: Where it is served.
runs:
  using: node24
  main: dist/index.js
  post: dist/cleanup.js
`;

test.each([
  ['an unknown option', [REPO_ROOT, '--chek'], "docs: Unknown option '--chek'"],
  ['a --root that is no checkout (it would pass with zero actions)', [path.join(REPO_ROOT, 'action-docs'), '--check'], `docs: --root ${path.join(REPO_ROOT, 'action-docs')} has no actions/ directory`],
])('%s is one usage error, no stack trace', (_case, [root, ...args], message) => {
  const { status, output } = docs(root as string, ...args);
  expect(status).toBe(2);
  expect(output).toBe(`${message}\nusage: node scripts/docs.mjs [--check] [--root <dir>]\n`);
});

describe('on a fixture checkout', () => {
  let root: string;
  const write = (file: string, content: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  };

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'docs-'));
    // The one setting that names the owner: a fork's pages name the fork.
    write('package.json', JSON.stringify({ 'deploy-suite': { repository: 'other-org/deploy-suite' } }));
    write('actions/demo/action.yml', DEMO_ACTION);
    write('actions/plain/action.yml', 'name: plain\ndescription: Does one thing.\nruns:\n  using: node24\n  main: dist/index.js\n');
    expect(docs(root).status).toBe(0);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test('writes a page per action and an index, which then pass the check', () => {
    const page = readFileSync(path.join(root, 'action-docs', 'demo.md'), 'utf8');
    expect(page).toContain('Deploys a demo | safely.');
    expect(page).toContain('| `cluster` | The cluster to deploy to. | yes |  |');
    // <glob> would be an HTML tag to GitHub: escaped in prose, kept in code spans.
    expect(page).toContain('| `pattern` | Files to upload, one &lt;glob&gt; a line (`<glob>` as picomatch reads it). | yes | `**/*.js` |');
    expect(page).toContain('| `timeout` | How long to wait. | no | `10m` |');
    expect(page).toContain('| `url` | Where it is served. |');
    expect(page).toContain('with a post step');
    // Only what a caller must set: `pattern` is required but has a default.
    expect(page).toContain('- id: demo\n  uses: other-org/deploy-suite/actions/demo@v1\n  with:\n    cluster: <cluster>\n```');

    const index = readFileSync(path.join(root, 'action-docs', 'README.md'), 'utf8');
    expect(index).toContain('| [`demo`](demo.md) | Deploys a demo \\| safely. |');
    expect(index).toContain('| [`plain`](plain.md) | Does one thing. |');
    expect(docs(root, '--check')).toEqual({ status: 0, output: expect.stringContaining('up to date') });
  });

  test('a checkout without the owner setting (package.json deploy-suite.repository) is one usage error', () => {
    rmSync(path.join(root, 'package.json'));
    const { status, output } = docs(root, '--check');
    expect(status).toBe(2);
    expect(output).toContain(`docs: ${path.join(root, 'package.json')} has no "deploy-suite": { "repository": "<owner>/<name>" }`);
  });

  test('--check names a page made stale by an action.yml change, and writes nothing', () => {
    write('actions/demo/action.yml', DEMO_ACTION.replace('How long to wait.', 'How long to wait for the rollout.'));
    const before = readFileSync(path.join(root, 'action-docs', 'demo.md'), 'utf8');
    const { status, output } = docs(root, '--check');
    expect(status).toBe(1);
    expect(output).toContain('action-docs/demo.md: stale');
    expect(output).not.toContain('plain.md');
    expect(readFileSync(path.join(root, 'action-docs', 'demo.md'), 'utf8')).toBe(before);
  });

  test('--check names a missing page, a page of an action that is gone, and a stale index', () => {
    write('actions/new/action.yml', 'name: new\ndescription: New.\nruns:\n  using: node24\n  main: dist/index.js\n');
    rmSync(path.join(root, 'actions', 'plain'), { recursive: true });
    const { status, output } = docs(root, '--check');
    expect(status).toBe(1);
    expect(output).toContain('action-docs/new.md: missing');
    expect(output).toContain('action-docs/plain.md: no actions/*/action.yml documents this page');
    expect(output).toContain('action-docs/README.md: stale');

    expect(docs(root).status).toBe(0);
    expect(existsSync(path.join(root, 'action-docs', 'plain.md'))).toBe(false);
    expect(docs(root, '--check').status).toBe(0);
  });

  test('both modes fail naming each input and output without a description, by line', () => {
    write(
      'actions/demo/action.yml',
      DEMO_ACTION.replace('    description: How long to wait.\n', '').replace('    description: Where it is served.\n', '    value: x\n'),
    );
    const written = docs(root);
    expect(written.status).toBe(1);
    expect(written.output).toContain('actions/demo/action.yml:14: input "timeout" has no description');
    expect(written.output).toContain('actions/demo/action.yml:17: output "url" has no description');
    // The pages are fresh now, and the check still fails on the missing descriptions.
    const checked = docs(root, '--check');
    expect(checked.status).toBe(1);
    expect(checked.output).not.toContain('stale');
    expect(checked.output).toContain('input "timeout" has no description');
  });

  test('an action without a description and an action.yml that is not YAML fail the check', () => {
    write('actions/plain/action.yml', 'name: plain\nruns:\n  using: node24\n  main: dist/index.js\n');
    write('actions/broken/action.yml', 'name: [broken\n');
    const { status, output } = docs(root, '--check');
    expect(status).toBe(1);
    expect(output).toContain('actions/plain/action.yml:1: the action has no description');
    expect(output).toMatch(/actions\/broken\/action.yml:\d+: invalid YAML/);
  });

  test('a hand-written page in action-docs/ is reported, not deleted', () => {
    write('action-docs/notes.md', '# Notes\n');
    const { status, output } = docs(root);
    expect(status).toBe(1);
    expect(output).toContain('action-docs/notes.md: action-docs/ holds generated pages only');
    expect(existsSync(path.join(root, 'action-docs', 'notes.md'))).toBe(true);
  });
});
