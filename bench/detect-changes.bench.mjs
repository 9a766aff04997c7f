#!/usr/bin/env node
// detect-changes on a large change, against its floor, on every base path.
//
// A repository of 25,600 files and a change of 18,000 of them, 8 filters, compared
// through each way detection finds its base:
//   push         a push: `before`..`after`
//   base         an explicit `base` (a SHA) on a push
//   new-branch   a push creating a branch (before = zeros): merge base with the default branch,
//                tracked as refs/remotes/origin/develop as actions/checkout with fetch-depth: 0 leaves it
//   deployment   a push with `environment`: the last successful deployment (GitHub's GraphQL API on 127.0.0.1)
//   pull-request a pull_request event with a checkout: merge base with the PR base
// Measured side by side, interleaved, in one run:
//   action: the committed bundle, process start to exit, with the runner's environment
//   floor:  `node -e 0` (process start) + `git diff --no-renames --name-status -z` of the same range
// Prints medians and the ratio action / floor per path (target: within 1.5x), in wall time and in
// CPU time (user + system of the process and its git children, from bash's `times`: far steadier than
// wall time on a shared, loaded machine), and checks once per path that every filter's outputs equal
// dorny/paths-filter's semantics (picomatch, rules ORed).
// `node bench/detect-changes.bench.mjs [runs]` (default 11). Uses ACTION_NODE when set, BENCH_ENTRY for another bundle,
// BENCH_COMPARE for a second bundle measured in the same runs, interleaved (before/after a change),
// BENCH_PATHS for some of the paths only (e.g. BENCH_PATHS=push,deployment), BENCH_API_LATENCY_MS to
// answer API requests that much later (a remote API's round trip; the floor has none, so it is reported apart).
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv[2] ?? 11);
const apiLatencyMs = Number(process.env.BENCH_API_LATENCY_MS ?? 0);
const node = process.env.ACTION_NODE || process.execPath;
const TOTAL_FILES = 25_600;
const CHANGED_FILES = 18_000;
const AREAS = ['services/api', 'services/worker', 'services/auth', 'web/app', 'web/admin', 'packages/shared', 'infra/terraform', 'docs'];
const NULL_SHA = '0'.repeat(40);

const FILTERS = `
shared: &shared ['packages/shared/**']
api: [*shared, 'services/api/**']
worker: [*shared, 'services/worker/**']
auth: [*shared, 'services/auth/**']
web: [*shared, 'web/**/*.{ts,tsx}']
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

/** develop holds the base commit; feature holds the large change on top of it. */
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
  git(directory, 'checkout', '-q', '-b', 'feature');
  for (let index = 0; index < CHANGED_FILES; index++) writeFileSync(path.join(directory, fileName(index)), `export const value${index} = ${index + 1};\n`);
  git(directory, 'commit', '-q', '-am', 'large change');
  const head = git(directory, 'rev-parse', 'HEAD');
  // A checkout's remote and its remote-tracking default branch.
  git(directory, 'remote', 'add', 'origin', directory);
  git(directory, 'update-ref', 'refs/remotes/origin/develop', base);
  return { directory, base, head };
}

/** The last successful deployment (at `sha`) of any environment, as GitHub's GraphQL API gives it (and its REST API, for older bundles under BENCH_COMPARE). */
function startDeploymentsApi(sha) {
  const page = { repository: { deployments: { nodes: [{ databaseId: 1, commitOid: sha, task: 'deploy', createdAt: '2026-11-29T10:00:00Z', latestStatus: { state: 'SUCCESS' } }], pageInfo: { hasNextPage: false, endCursor: 'Y3Vyc29yOjE=' } } } };
  const server = createServer((request, response) => {
    request.resume();
    // BENCH_API_LATENCY_MS: each answer that much later, as a remote API's round trip (default 0: none).
    request.on('end', () => setTimeout(() => {
      response.setHeader('content-type', 'application/json');
      const { pathname } = new URL(request.url, 'http://api');
      if (request.method === 'POST' && pathname === '/graphql') response.end(JSON.stringify({ data: page }));
      else if (/\/deployments$/.test(pathname)) response.end(JSON.stringify([{ id: 1, sha, created_at: '2026-11-29T10:00:00Z' }]));
      else if (/\/deployments\/1\/statuses$/.test(pathname)) response.end(JSON.stringify([{ state: 'success' }]));
      else response.writeHead(404).end('{}');
    }, apiLatencyMs));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${server.address().port}` })));
}

/** Runs a command under bash, whose `times` then prints the CPU time its children used. */
function time(command, args, options) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn('bash', ['-c', '"$@" && times >&2', 'bench', command, ...args], { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout = [];
    const stderr = [];
    child.stdout.on('data', (chunk) => stdout.push(chunk));
    child.stderr.on('data', (chunk) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (status) => {
      const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
      if (status !== 0) return reject(new Error(`${command} ${args.join(' ')} failed: ${Buffer.concat(stderr)}${Buffer.concat(stdout)}`));
      // The last line of `times`: the children's user and system time, e.g. "0m0.152s 0m0.041s".
      const [user, system] = [...Buffer.concat(stderr).toString().trim().split('\n').pop().matchAll(/(\d+)m([\d.]+)s/g)].map((match) => (Number(match[1]) * 60 + Number(match[2])) * 1000);
      resolve({ elapsed, cpu: user + system, stdout: Buffer.concat(stdout).toString() });
    });
  });
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Each filter's count under dorny's semantics: picomatch with { dot: true }, a filter's rules ORed. */
function referenceCounts(changedFiles) {
  const require = createRequire(path.join(root, 'actions/detect-changes/package.json'));
  const picomatch = require('picomatch');
  const yaml = require('js-yaml');
  const flatten = (item) => (Array.isArray(item) ? item.flatMap(flatten) : [item]);
  return Object.fromEntries(
    Object.entries(yaml.load(FILTERS)).map(([name, item]) => {
      const rules = flatten(item).map((glob) => picomatch(glob, { dot: true }));
      return [name, changedFiles.filter((file) => rules.some((rule) => rule(file))).length];
    }),
  );
}

/** GITHUB_OUTPUT's `name<<delimiter` blocks as a map. */
function readOutputs(file) {
  const outputs = {};
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let index = 0; index < lines.length; index++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[index]);
    if (!match) continue;
    const value = [];
    while (lines[++index] !== match[2]) value.push(lines[index]);
    outputs[match[1]] = value.join('\n');
  }
  return outputs;
}

console.log(`Creating a repository of ${TOTAL_FILES} files and a change of ${CHANGED_FILES} ...`);
const repo = makeRepository();
const api = await startDeploymentsApi(repo.base);
const temp = mkdtempSync(path.join(tmpdir(), 'bench-detect-changes-run-'));
// BENCH_ENTRY: another build of the bundle (e.g. an older commit's dist/index.js) to compare with.
const entry = process.env.BENCH_ENTRY ? path.resolve(process.env.BENCH_ENTRY) : path.join(root, 'actions/detect-changes/dist/index.js');
const compared = process.env.BENCH_COMPARE ? path.resolve(process.env.BENCH_COMPARE) : undefined;
const changed = git(repo.directory, 'diff', '--no-renames', '--name-only', repo.base, repo.head).split('\n');
const expectedCounts = referenceCounts(changed);

/** The runner's environment for one base path. */
function actionEnv(scenario) {
  const output = path.join(temp, 'output');
  const summary = path.join(temp, 'summary');
  const eventPath = path.join(temp, `event-${scenario.name}.json`);
  writeFileSync(output, '');
  writeFileSync(summary, '');
  writeFileSync(eventPath, JSON.stringify(scenario.event));
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: scenario.eventName ?? 'push',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_SHA: repo.head,
    GITHUB_REF: scenario.ref ?? 'refs/heads/feature',
    GITHUB_REPOSITORY: 'acme/monorepo',
    GITHUB_API_URL: api.url,
    GITHUB_GRAPHQL_URL: `${api.url}/graphql`,
    GITHUB_WORKSPACE: repo.directory,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    RUNNER_TEMP: temp,
    INPUT_FILTERS: FILTERS,
    'INPUT_PREDICATE-QUANTIFIER': 'some',
    INPUT_NEGATION: 'paths-filter',
    'INPUT_LIST-FILES': 'none',
    'INPUT_WORKING-DIRECTORY': '.',
    'INPUT_LOG-FILES': 'false',
    INPUT_TOKEN: 'ghs_benchToken',
    INPUT_BASE: '',
    INPUT_REF: '',
    INPUT_ENVIRONMENT: '',
    INPUT_SCOPE: '',
    INPUT_FORCE: '',
    'INPUT_DEFAULT-BRANCH': '',
    ...scenario.inputs,
  };
}

// As GitHub sends a push: `forced` is false for a fast-forward.
const pushEvent = { before: repo.base, after: repo.head, forced: false, repository: { default_branch: 'develop' } };
const ALL_SCENARIOS = [
  { name: 'push', baseSource: 'before', event: pushEvent },
  { name: 'base', baseSource: 'input', event: pushEvent, inputs: { INPUT_BASE: repo.base } },
  { name: 'new-branch', baseSource: 'merge-base', event: { ...pushEvent, before: NULL_SHA } },
  { name: 'deployment', baseSource: 'deployment', event: pushEvent, inputs: { INPUT_ENVIRONMENT: 'staging' } },
  {
    name: 'pull-request',
    baseSource: 'pull-request',
    eventName: 'pull_request',
    ref: 'refs/pull/7/merge',
    event: { number: 7, pull_request: { number: 7, base: { sha: repo.base, ref: 'develop' }, head: { sha: repo.head } } },
    inputs: { INPUT_TOKEN: '' },
  },
];

const only = process.env.BENCH_PATHS?.split(',');
const SCENARIOS = only ? ALL_SCENARIOS.filter((scenario) => only.includes(scenario.name)) : ALL_SCENARIOS;
if (SCENARIOS.length === 0) throw new Error(`BENCH_PATHS names none of ${ALL_SCENARIOS.map((scenario) => scenario.name).join(', ')}`);

// Warm the page cache and check each path's answer once: dorny's counts, the expected base.
for (const scenario of SCENARIOS) {
  const env = actionEnv(scenario);
  if (compared) await time(node, [compared], { cwd: repo.directory, env: actionEnv(scenario) });
  await time(node, [entry], { cwd: repo.directory, env });
  const outputs = readOutputs(env.GITHUB_OUTPUT);
  const counts = Object.fromEntries(Object.keys(expectedCounts).map((name) => [name, Number(outputs[`${name}_count`])]));
  if (JSON.stringify(counts) !== JSON.stringify(expectedCounts)) throw new Error(`${scenario.name}: outputs differ from dorny's: ${JSON.stringify(counts)} vs ${JSON.stringify(expectedCounts)}`);
  if (outputs['base-source'] !== scenario.baseSource || outputs.base !== repo.base) throw new Error(`${scenario.name}: base ${outputs.base} from ${outputs['base-source']}`);
}

const loadBefore = loadavg();
const samples = { node: [], git: [], floor: [], floorCpu: [], ...Object.fromEntries(SCENARIOS.flatMap((scenario) => [[scenario.name, []], [`${scenario.name}Cpu`, []]])) };
for (let run = 0; run < runs; run++) {
  for (const scenario of SCENARIOS) {
    const start = await time(node, ['-e', '0'], {});
    const diff = await time('git', ['diff', '--no-renames', '--name-status', '-z', repo.base, repo.head], { cwd: repo.directory });
    samples.node.push(start.elapsed);
    samples.git.push(diff.elapsed);
    samples.floor.push(start.elapsed + diff.elapsed);
    samples.floorCpu.push(start.cpu + diff.cpu);
    const action = await time(node, [entry], { cwd: repo.directory, env: actionEnv(scenario) });
    samples[scenario.name].push(action.elapsed);
    samples[`${scenario.name}Cpu`].push(action.cpu);
    if (!compared) continue;
    const other = await time(node, [compared], { cwd: repo.directory, env: actionEnv(scenario) });
    (samples[`${scenario.name}Compared`] ??= []).push(other.elapsed);
    (samples[`${scenario.name}ComparedCpu`] ??= []).push(other.cpu);
  }
}

const floor = median(samples.floor);
const floorCpu = median(samples.floorCpu);
const load = (averages) => averages.map((value) => value.toFixed(2)).join(', ');
console.log(`\nnode ${execFileSync(node, ['--version'], { encoding: 'utf8' }).trim()}, ${runs} runs per path, medians (ms); outputs checked against dorny's semantics:`);
if (apiLatencyMs) console.log(`API answers delayed by ${apiLatencyMs} ms (BENCH_API_LATENCY_MS)`);
console.log(`load average (1, 5, 15 min) before ${load(loadBefore)}, after ${load(loadavg())}`);
console.log(`                                          wall            cpu`);
console.log(`  node -e 0                              ${median(samples.node).toFixed(1).padStart(6)}`);
console.log(`  git diff --name-status (18,000 files)  ${median(samples.git).toFixed(1).padStart(6)}`);
console.log(`  floor (sum)                            ${floor.toFixed(1).padStart(6)}          ${floorCpu.toFixed(0).padStart(4)}`);
for (const scenario of SCENARIOS) {
  const wall = median(samples[scenario.name]);
  const cpu = median(samples[`${scenario.name}Cpu`]);
  console.log(`  detect-changes, ${scenario.name.padEnd(13)}          ${wall.toFixed(1).padStart(6)} ${(wall / floor).toFixed(2)}x   ${cpu.toFixed(0).padStart(4)} ${(cpu / floorCpu).toFixed(2)}x   (target <= 1.50x)`);
  if (!compared) continue;
  const [otherWall, otherCpu] = [median(samples[`${scenario.name}Compared`]), median(samples[`${scenario.name}ComparedCpu`])];
  console.log(`    BENCH_COMPARE, ${scenario.name.padEnd(13)}         ${otherWall.toFixed(1).padStart(6)} ${(otherWall / floor).toFixed(2)}x   ${otherCpu.toFixed(0).padStart(4)} ${(otherCpu / floorCpu).toFixed(2)}x`);
}
api.server.close();
rmSync(repo.directory, { recursive: true, force: true });
rmSync(temp, { recursive: true, force: true });
