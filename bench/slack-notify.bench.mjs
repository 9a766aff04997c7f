#!/usr/bin/env node
// slack-notify: what one notification costs a deployment, process start to exit, against a local
// Slack on 127.0.0.1, with the bundle size. Side by side, in one run, interleaved:
//   - the floor: `node -e 0`, and a bare Node script that only POSTs the message with fetch;
//   - the committed bundle (plain HTTP through the kit's client: node:http, @actions/http-client loaded only
//     behind a proxy);
//   - the same action on the official clients @slack/web-api + @slack/webhook
//     (bench/slack-notify/slack-api.library.ts), the choice the issue asks to weigh.
// The two variants are built here with the same ncc options as scripts/build.mjs. "loaded" is the
// entry file a run parses; "total" adds the chunks ncc emits for dynamic imports.
// `pnpm bench slack-notify`; BENCH_RUNS=n sets the runs per command (default 15); ACTION_NODE=<node 24>
// runs the bundles on the runtime of `runs.using: node24`, as CI does.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const actionDir = path.join(root, 'actions', 'slack-notify');
const variantsDir = path.join(root, 'bench', '.work', 'slack-notify');
const node = process.env.ACTION_NODE || process.execPath;
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
  });
}

async function buildVariant(name, replacements) {
  const directory = path.join(variantsDir, name);
  rmSync(directory, { recursive: true, force: true });
  mkdirSync(directory, { recursive: true });
  cpSync(path.join(actionDir, 'src'), path.join(directory, 'src'), { recursive: true, filter: (file) => !file.endsWith('.test.ts') });
  for (const [target, source] of Object.entries(replacements)) cpSync(path.join(root, 'bench', 'slack-notify', source), path.join(directory, 'src', target));
  const toRoot = path.relative(directory, root);
  writeFileSync(path.join(directory, 'tsconfig.json'), JSON.stringify({ extends: `${toRoot}/tsconfig.base.json`, compilerOptions: { rootDir: toRoot }, include: ['src'] }));
  writeFileSync(path.join(directory, 'package.json'), '{"type":"module"}\n');
  symlinkSync(path.join(actionDir, 'node_modules'), path.join(directory, 'node_modules'));
  const ncc = path.join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');
  const args = [ncc, 'build', 'src/index.ts', '--out', 'dist', '--minify', '--license', 'licenses.txt', '--target', 'es2022', '--quiet'];
  const result = await run(process.execPath, args, { cwd: directory });
  if (result.code !== 0) throw new Error(`building the ${name} variant failed:\n${result.output}`);
  return path.join(directory, 'dist');
}

/** Bytes of JavaScript in a dist folder: the entry and any chunks. */
function bundleBytes(dist) {
  return readdirSync(dist)
    .filter((file) => file.endsWith('.js'))
    .reduce((total, file) => total + statSync(path.join(dist, file)).size, 0);
}

// A local Slack: the Web API answers like chat.postMessage (JSON, or the form encoding
// @slack/web-api sends), everything is counted.
let received = 0;
let counter = 0;
const server = createServer((request, response) => {
  let body = '';
  request.on('data', (chunk) => (body += chunk));
  request.on('end', () => {
    received++;
    const message = String(request.headers['content-type']).startsWith('application/json') ? JSON.parse(body) : Object.fromEntries(new URLSearchParams(body));
    if (!message.channel) throw new Error(`no channel in ${body.slice(0, 200)}`);
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ ok: true, channel: 'C0DEPLOYS1', ts: `1700000000.${String(++counter).padStart(6, '0')}` }));
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const apiUrl = `http://127.0.0.1:${server.address().port}/api`;

// The runner's environment for one step: action.yml defaults, the inputs, the file commands.
const metadata = parseYaml(readFileSync(path.join(actionDir, 'action.yml'), 'utf8'));
const inputs = {
  token: 'xoxb-bench-token',
  channel: 'C0DEPLOYS1',
  status: 'success',
  'api-url': apiUrl,
  environment: 'staging',
  version: 'v1.4.2',
  targets: '["backend","frontend"]',
  results: 'api=success\nworker=success\nweb=success',
  'started-at': new Date(Date.now() - 200_000).toISOString(),
  'github-token': '',
};
const temp = mkdtempSync(path.join(tmpdir(), 'bench-slack-notify-'));
const eventPath = path.join(temp, 'event.json');
writeFileSync(eventPath, JSON.stringify({ head_commit: { message: 'Ship it' } }));
function stepEnvironment(index) {
  const env = { ...process.env, GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'acme/monorepo', GITHUB_SHA: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678', GITHUB_REF: 'refs/heads/develop', GITHUB_RUN_ID: '4242', GITHUB_RUN_NUMBER: '7', GITHUB_ACTOR: 'octocat', GITHUB_WORKFLOW: 'deploy', GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: eventPath, GITHUB_SERVER_URL: 'https://github.com' };
  for (const [name, spec] of Object.entries(metadata.inputs)) env[`INPUT_${name.toUpperCase()}`] = inputs[name] ?? (spec.default !== undefined ? String(spec.default) : '');
  env.GITHUB_OUTPUT = path.join(temp, `output-${index}`);
  env.GITHUB_STEP_SUMMARY = path.join(temp, `summary-${index}`);
  writeFileSync(env.GITHUB_OUTPUT, '');
  writeFileSync(env.GITHUB_STEP_SUMMARY, '');
  return env;
}

console.log('building the variant (@slack/web-api + @slack/webhook) with ncc ...');
const libraryDist = await buildVariant('library', { 'slack-api.ts': 'slack-api.library.ts' });

const bareScript = `await fetch(${JSON.stringify(`${apiUrl}/chat.postMessage`)}, { method: 'POST', headers: { authorization: 'Bearer x', 'content-type': 'application/json' }, body: JSON.stringify({ channel: 'C0DEPLOYS1', text: 'Deployed' }) }).then((r) => r.json());`;
const commands = [
  { name: 'node -e 0 (floor)', args: ['-e', '0'] },
  { name: 'bare node + fetch POST', args: ['--input-type=module', '-e', bareScript], posts: true },
  { name: 'slack-notify (committed)', dist: path.join(actionDir, 'dist') },
  { name: 'variant: @slack/web-api + webhook', dist: libraryDist },
].map((command) =>
  command.dist ? { ...command, args: [path.join(command.dist, 'index.js')], action: true, loaded: statSync(path.join(command.dist, 'index.js')).size, bytes: bundleBytes(command.dist) } : command,
);

const times = new Map(commands.map((command) => [command.name, []]));
let step = 0;
for (let round = 0; round < RUNS + 1; round++) {
  for (const command of commands) {
    const env = stepEnvironment(step++);
    const before = received;
    const result = await run(node, command.args, { env, cwd: temp });
    if (result.code !== 0) throw new Error(`${command.name} exited ${result.code}:\n${result.output}`);
    if (command.action) {
      const outputs = readFileSync(env.GITHUB_OUTPUT, 'utf8');
      if (!/^ok<<[^\n]*\ntrue\n/m.test(outputs) && !/^ok=true$/m.test(outputs)) throw new Error(`${command.name} did not post:\n${result.output}\n${outputs}`);
    }
    if ((command.action || command.posts) && received !== before + 1) throw new Error(`${command.name} made ${received - before} requests, not 1`);
    if (round > 0) times.get(command.name).push(result.ms); // round 0 warms the file cache
  }
}
server.close();
rmSync(temp, { recursive: true, force: true });

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const ours = median(times.get(commands[2].name));
const bare = median(times.get(commands[1].name));
const oursLoaded = commands[2].loaded;
console.log(`\n${RUNS} runs each, interleaved; median wall time from process start to exit (node ${process.version}${process.env.ACTION_NODE ? `, bundles on ${node}` : ''})\n`);
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
console.log(`${'command'.padEnd(36)} ${'median'.padStart(8)} ${'vs ours'.padStart(8)} ${'loaded'.padStart(10)} ${'vs ours'.padStart(10)} ${'total'.padStart(10)}`);
for (const command of commands) {
  const value = median(times.get(command.name));
  const delta = command.loaded ? `${command.loaded >= oursLoaded ? '+' : ''}${kb(command.loaded - oursLoaded)}` : '';
  console.log(
    `${command.name.padEnd(36)} ${`${value.toFixed(0)} ms`.padStart(8)} ${`${(value / ours).toFixed(2)}x`.padStart(8)} ${(command.loaded ? kb(command.loaded) : '').padStart(10)} ${delta.padStart(10)} ${(command.bytes ? kb(command.bytes) : '').padStart(10)}`,
  );
}
console.log(`\nslack-notify costs a deployment ${ours.toFixed(0)} ms per message: ${(ours / bare).toFixed(2)}x a bare Node script that only POSTs (${(ours - bare).toFixed(0)} ms more).`);
