#!/usr/bin/env node
// detect-changes on a large push, against its floor.
//
// A repository of 25,000+ files and a push that changes 18,000 of them, 8 filters.
// Measured side by side, interleaved, in one run:
//   action: the committed bundle, process start to exit, with the runner's environment
//   floor:  `node -e 0` (process start) + `git diff --no-renames --name-status -z` of the same range
// Prints medians and the ratio action / floor (target: within 1.5x).
// `node bench/detect-changes.bench.mjs [runs]` (default 11). Uses ACTION_NODE when set.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv[2] ?? 11);
const node = process.env.ACTION_NODE || process.execPath;
const TOTAL_FILES = 25_600;
const CHANGED_FILES = 18_000;
const AREAS = ['services/api', 'services/worker', 'services/auth', 'web/app', 'web/admin', 'packages/shared', 'infra/terraform', 'docs'];

const FILTERS = `
shared: &shared ['packages/shared/**']
api: [*shared, 'services/api/**']
worker: [*shared, 'services/worker/**']
auth: [*shared, 'services/auth/**']
web: [*shared, 'web/**', '!web/**/*.md']
infra: ['infra/**']
docs: ['**/*.md']
tests: ['**/*.test.ts']
`;

function git(cwd, ...args) {
  return execFileSync('git', ['-c', 'user.email=b@b', '-c', 'user.name=bench', ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 30 }).trim();
}

function fileName(index) {
  const area = AREAS[index % AREAS.length];
  const extension = index % 10 === 0 ? 'md' : index % 7 === 0 ? 'test.ts' : 'ts';
  return `${area}/module-${Math.floor(index / 200)}/file-${index}.${extension}`;
}

function makeRepository() {
  const directory = mkdtempSync(path.join(tmpdir(), 'bench-detect-changes-'));
  git(directory, 'init', '-q', '-b', 'develop');
  for (let index = 0; index < TOTAL_FILES; index++) {
    const file = path.join(directory, fileName(index));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `export const value${index} = ${index};\n`);
  }
  git(directory, 'add', '-A');
  git(directory, 'commit', '-q', '-m', 'base');
  const base = git(directory, 'rev-parse', 'HEAD');
  for (let index = 0; index < CHANGED_FILES; index++) writeFileSync(path.join(directory, fileName(index)), `export const value${index} = ${index + 1};\n`);
  git(directory, 'commit', '-q', '-am', 'large change');
  const head = git(directory, 'rev-parse', 'HEAD');
  return { directory, base, head };
}

function time(command, args, options) {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 });
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}${result.stdout}`);
  return { elapsed, stdout: result.stdout.toString() };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

console.log(`Creating a repository of ${TOTAL_FILES} files and a push changing ${CHANGED_FILES} ...`);
const repo = makeRepository();
const temp = mkdtempSync(path.join(tmpdir(), 'bench-detect-changes-run-'));
const eventPath = path.join(temp, 'event.json');
writeFileSync(eventPath, JSON.stringify({ before: repo.base, after: repo.head }));
const entry = path.join(root, 'actions/detect-changes/dist/index.js');
const actionEnv = () => {
  const output = path.join(temp, 'output');
  const summary = path.join(temp, 'summary');
  writeFileSync(output, '');
  writeFileSync(summary, '');
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_SHA: repo.head,
    GITHUB_REF: 'refs/heads/develop',
    GITHUB_REPOSITORY: 'acme/monorepo',
    GITHUB_WORKSPACE: repo.directory,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    RUNNER_TEMP: temp,
    INPUT_FILTERS: FILTERS,
    'INPUT_PREDICATE-QUANTIFIER': 'some',
    'INPUT_LIST-FILES': 'none',
    'INPUT_WORKING-DIRECTORY': '.',
    'INPUT_LOG-FILES': 'false',
    INPUT_TOKEN: '',
  };
};

// Warm the page cache and check the action's answer once.
const check = time(node, [entry], { cwd: repo.directory, env: actionEnv() });
if (!/18000 changed files/.test(check.stdout)) throw new Error(`unexpected action output:\n${check.stdout}`);

const floor = [];
const action = [];
const nodeOnly = [];
const gitOnly = [];
for (let run = 0; run < runs; run++) {
  const start = time(node, ['-e', '0'], {});
  const diff = time('git', ['diff', '--no-renames', '--name-status', '-z', repo.base, repo.head], { cwd: repo.directory });
  nodeOnly.push(start.elapsed);
  gitOnly.push(diff.elapsed);
  floor.push(start.elapsed + diff.elapsed);
  action.push(time(node, [entry], { cwd: repo.directory, env: actionEnv() }).elapsed);
}

const ratio = median(action) / median(floor);
console.log(`\nnode ${execFileSync(node, ['--version'], { encoding: 'utf8' }).trim()}, ${runs} runs, medians (ms):`);
console.log(`  node -e 0                         ${median(nodeOnly).toFixed(1)}`);
console.log(`  git diff --name-status (18,000)   ${median(gitOnly).toFixed(1)}`);
console.log(`  floor (sum)                       ${median(floor).toFixed(1)}`);
console.log(`  detect-changes, start to exit     ${median(action).toFixed(1)}`);
console.log(`  ratio action / floor              ${ratio.toFixed(2)}x   (target <= 1.50x)`);
rmSync(repo.directory, { recursive: true, force: true });
rmSync(temp, { recursive: true, force: true });
