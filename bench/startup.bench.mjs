#!/usr/bin/env node
// Start-up of every action bundle (actions/*/dist/index.js) under the runner's Node (ACTION_NODE), side by side
// with a bare `node -e 0` in the same run, as the runner starts a step (action.yml defaults as INPUT_*, the
// GITHUB_* variables and file commands):
//   error:  a run without inputs, from process start to its first `::error::` line (the exit code 1 path);
//   normal: a run with inputs that pass (services pointed at a closed port, so nothing is deployed), from
//           process start to its first log line (the step is then stopped);
//   node -e 0: process start to exit.
// Repetitions rotate the order. Prints medians in ms and the median of each repetition's ratio to `node -e 0`,
// against the goal (issue 17): at most 250 ms and 2.5x `node -e 0` on the error path, and the first log line of
// a normal run within 60 ms of that.
//   node bench/startup.bench.mjs                 (BENCH_REPS=15 for more repetitions; BENCH_ACTIONS=a,b for some)
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REPS = Number(process.env.BENCH_REPS ?? 9);
const node = process.env.ACTION_NODE || process.execPath;
const GOAL_MS = 250;
const GOAL_RATIO = 2.5;
const GOAL_NORMAL_EXTRA_MS = 60;
/** Nothing listens here: a run that gets as far as calling a service fails fast instead of deploying anything. */
const CLOSED = 'http://127.0.0.1:9';
const SHA = 'b'.repeat(40);

const work = mkdtempSync(path.join(tmpdir(), 'startup-bench-'));
const workspace = path.join(work, 'workspace');

/** A workspace with what the normal runs read: a function directory, a site, migrations, a filters file, a git repository. */
function makeWorkspace() {
  const files = {
    'function/index.js': 'exports.handler = async () => 1;\n',
    'site/index.html': '<h1>hi</h1>\n',
    'migrations/001_init.sql': 'create table t (id int);\n',
    '.github/filters.yml': 'api:\n  - "api/**"\n',
    'api/main.js': 'console.log(1);\n',
    'Dockerfile': 'FROM scratch\nCOPY api /api\n',
    'taskdef.json': JSON.stringify({ family: 'api', containerDefinitions: [{ name: 'api', image: 'busybox', memory: 64 }] }),
  };
  // The sample monorepo's environment description, for deploy-plan, with its placeholders filled in.
  files['.github/deploy/staging.yml'] = readFileSync(path.join(root, 'test', 'fixtures', 'sample-monorepo', '.github', 'deploy', 'staging.yml'), 'utf8')
    .replace(/@APP_URL@/g, CLOSED)
    .replace(/@DISTRIBUTION_ID@/g, 'E2EXAMPLE')
    .replace(/@REGISTRY@/g, '127.0.0.1:9');
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(workspace, name)), { recursive: true });
    writeFileSync(path.join(workspace, name), content);
  }
}

/**
 * Inputs of a normal run that a cheap environment can serve; AWS, PostgreSQL, Slack and GitHub are a closed
 * port. Actions missing here are measured on the error path only.
 */
const NORMAL = {
  'lambda-publish': { 'function-name': 'api', 'zip-directory': 'function' },
  's3-sync-invalidate': { source: 'site', bucket: 'site' },
  'ecs-deploy': { cluster: 'staging', service: 'api', 'task-definition': 'taskdef.json' },
  'db-migrate': { 'database-url': 'postgres://app@127.0.0.1:9/app', migrations: 'migrations' },
  'smoke-test': { urls: `${CLOSED}/healthz`, timeout: '1s' },
  'slack-notify': { status: 'started', 'webhook-url': `${CLOSED}/hook` },
  'detect-changes': { filters: '.github/filters.yml', base: 'HEAD~1' },
  'deployment-record': { mode: 'save', kind: 'function', name: 'api', outcome: 'success', directory: 'records' },
  'deploy-plan': { environment: 'staging' },
  'build-push': { repository: 'team/api', registry: '127.0.0.1:9', context: '.' },
};

function runnerEnvironment(action, inputs) {
  const commands = path.join(work, 'commands');
  mkdirSync(commands, { recursive: true });
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME ?? work,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_SHA: SHA,
    GITHUB_REF: 'refs/heads/develop',
    GITHUB_REPOSITORY: 'acme/monorepo',
    GITHUB_REPOSITORY_OWNER: 'acme',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: path.join(work, 'event.json'),
    GITHUB_RUN_ID: '1',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_API_URL: CLOSED,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_ACTION: action,
    RUNNER_TEMP: path.join(work, 'runner-temp'),
    RUNNER_OS: 'Linux',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_ENDPOINT_URL: CLOSED,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  for (const file of ['GITHUB_OUTPUT', 'GITHUB_ENV', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY', 'GITHUB_PATH']) {
    env[file] = path.join(commands, file.toLowerCase());
    writeFileSync(env[file], '');
  }
  const metadata = parseYaml(readFileSync(path.join(root, 'actions', action, 'action.yml'), 'utf8'));
  for (const [name, spec] of Object.entries(metadata.inputs ?? {})) {
    const given = inputs[name] ?? spec.default;
    if (given === undefined) continue;
    const value = String(given).replace(/\$\{\{\s*github\.(\w+)\s*\}\}/g, (_, key) => ({ sha: SHA, ref: 'refs/heads/develop', token: '' })[key] ?? '');
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  return env;
}

/** A line a user would see: not the runner's bookkeeping (state, masks, debug). */
const isLogLine = (line) => line.length > 0 && !/^::(?:save-state|add-mask|debug|set-output)\b/.test(line);

/**
 * ms from spawn to the first stdout line `until` accepts (then the process is stopped), or to exit when
 * `until` is undefined. Resolves with the line seen, so a run that took another path can be reported.
 */
function measure(args, env, until) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(node, args, { env, cwd: workspace, stdio: ['ignore', 'pipe', 'pipe'] });
    let buffered = '';
    let seen;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      if (seen !== undefined || !until) return;
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop();
      const line = lines.find((each) => until(each));
      if (line === undefined) return;
      seen = { ms: performance.now() - started, line };
      child.kill('SIGKILL');
    });
    child.stderr.resume();
    child.on('error', reject);
    child.on('close', (code) => resolve(seen ?? { ms: performance.now() - started, line: until ? `(no such line; exit ${code})` : '', code }));
  });
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

const only = process.env.BENCH_ACTIONS?.split(',');
const actions = readdirSync(path.join(root, 'actions'))
  .filter((name) => existsSync(path.join(root, 'actions', name, 'dist', 'index.js')))
  .filter((name) => !only || only.includes(name))
  .sort();
makeWorkspace();
writeFileSync(path.join(work, 'event.json'), '{}');
const git = (args) => new Promise((resolve) => spawn('git', args, { cwd: workspace, stdio: 'ignore' }).on('close', resolve));
await git(['init', '-q', '-b', 'develop']);
await git(['-c', 'user.email=b@example.com', '-c', 'user.name=bench', 'commit', '-q', '--allow-empty', '-m', 'base']);
await git(['add', '-A']);
await git(['-c', 'user.email=b@example.com', '-c', 'user.name=bench', 'commit', '-q', '-m', 'files']);

const subjects = [{ key: 'node -e 0', args: ['-e', '0'], env: { PATH: process.env.PATH } }];
for (const action of actions) {
  const bundle = path.join(root, 'actions', action, 'dist', 'index.js');
  subjects.push({ key: `${action} error`, args: [bundle], env: runnerEnvironment(action, {}), until: (line) => line.startsWith('::error::') });
  if (NORMAL[action]) subjects.push({ key: `${action} normal`, args: [bundle], env: runnerEnvironment(action, NORMAL[action]), until: isLogLine });
}

console.log(`${actions.length} bundles, ${REPS} repetitions, node ${process.versions.node} driving ${node}; load average before: ${load()}`);
const times = Object.fromEntries(subjects.map((subject) => [subject.key, []]));
const ratios = Object.fromEntries(subjects.map((subject) => [subject.key, []]));
const lines = {};
try {
  for (let rep = 0; rep < REPS; rep++) {
    const order = subjects.map((_, index) => subjects[(index + rep) % subjects.length]);
    const thisRep = {};
    for (const subject of order) {
      const { ms, line } = await measure(subject.args, subject.env, subject.until);
      thisRep[subject.key] = ms;
      times[subject.key].push(ms);
      lines[subject.key] ??= line;
    }
    for (const subject of subjects) ratios[subject.key].push(thisRep[subject.key] / thisRep['node -e 0']);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const bare = median(times['node -e 0']);
console.log(`load average after: ${load()}\n`);
console.log(`| action | error path: first ::error:: | ratio to node -e 0 | normal run: first log line | goal |`);
console.log(`| --- | --- | --- | --- | --- |`);
console.log(`| node -e 0 (to exit) | ${bare.toFixed(0)} ms | 1.00x | | |`);
let missed = 0;
for (const action of actions) {
  const error = median(times[`${action} error`]);
  const ratio = median(ratios[`${action} error`]);
  const normalKey = `${action} normal`;
  const normal = times[normalKey] ? median(times[normalKey]) : undefined;
  const errorOk = error <= GOAL_MS && ratio <= GOAL_RATIO;
  const normalOk = normal === undefined || normal <= error + GOAL_NORMAL_EXTRA_MS;
  if (!errorOk || !normalOk) missed++;
  const normalCell = normal === undefined ? 'not measured' : `${normal.toFixed(0)} ms (${median(ratios[normalKey]).toFixed(2)}x)`;
  const verdict = errorOk && normalOk ? 'met' : `missed${errorOk ? '' : ` (${error > GOAL_MS ? `> ${GOAL_MS} ms` : ''}${error > GOAL_MS && ratio > GOAL_RATIO ? ', ' : ''}${ratio > GOAL_RATIO ? `> ${GOAL_RATIO}x` : ''})`}${normalOk ? '' : ` (first log line > error + ${GOAL_NORMAL_EXTRA_MS} ms)`}`;
  console.log(`| ${action} | ${error.toFixed(0)} ms | ${ratio.toFixed(2)}x | ${normalCell} | ${verdict} |`);
}
console.log('\nFirst lines seen (the path each run took):');
for (const subject of subjects.slice(1)) console.log(`  ${subject.key.padEnd(28)} ${lines[subject.key].slice(0, 150)}`);
console.log(`\n${missed === 0 ? 'every bundle meets the goal' : `${missed} of ${actions.length} bundles miss the goal`} (error path <= ${GOAL_MS} ms and <= ${GOAL_RATIO}x node -e 0; normal run's first log line within ${GOAL_NORMAL_EXTRA_MS} ms of it)`);
