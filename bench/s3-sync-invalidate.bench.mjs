#!/usr/bin/env node
// s3-sync-invalidate (by default, and with the optional state object) against `aws s3 sync` (aws-cli), side by
// side in one run, on the same 2,000-file site, all against one moto_server started here:
//   1. first upload into an empty bucket
//   2. re-sync after every file got a new mtime (what a CI checkout does), no content change
//   3. re-sync with 20 files changed
// Each tool syncs its own copy of the site into its own bucket on a freshly reset moto; the order
// of the tools rotates per repetition. Prints wall-time medians, ratios and the number of uploads each made.
//   node bench/s3-sync-invalidate.bench.mjs      (BENCH_REPS=5 for more repetitions)
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const actionDirectory = path.join(root, 'actions', 's3-sync-invalidate');
const REPS = Number(process.env.BENCH_REPS ?? 3);
const FILES = 2000;
const CHANGED = 20;

function requireBinary(name, hint) {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  if (found.status !== 0) {
    console.error(`${name} not found on PATH. To install: ${hint}`);
    process.exit(1);
  }
  return found.stdout.trim();
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startMoto() {
  const binary = requireBinary('moto_server', 'pip install "moto[server]"');
  const port = await freePort();
  const child = spawn(binary, ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
    try {
      if ((await fetch(`${url}/moto-api/data.json`)).ok) return { url, stop: () => child.kill('SIGTERM') };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error('moto_server did not start within 30 s');
}

/** A deterministic static site: HTML pages, hashed JS/CSS chunks, images, fonts; 200 B to 40 kB each. */
function makeSite(directory) {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const kinds = [
    ['docs', 'html', 0.1],
    ['assets/js', 'js', 0.35],
    ['assets/css', 'css', 0.1],
    ['images', 'png', 0.35],
    ['fonts', 'woff2', 0.1],
  ];
  const names = [];
  for (let index = 0; index < FILES; index++) {
    let pick = random();
    const [folder, extension] = kinds.find(([, , share]) => (pick -= share) < 0) ?? kinds[0];
    const name = `${folder}/${Math.floor(index / 100)}/file-${index}.${extension}`;
    const size = 200 + Math.floor(random() * 40_000);
    const body = Buffer.alloc(size, index % 251);
    body.write(`${name}\n`);
    mkdirSync(path.join(directory, path.dirname(name)), { recursive: true });
    writeFileSync(path.join(directory, name), body);
    names.push(name);
  }
  return names;
}

function touchAll(directory, names) {
  // A checkout writes every file after the last deploy: mtimes newer than the objects.
  const now = new Date();
  for (const name of names) utimesSync(path.join(directory, name), now, now);
}

function changeSome(directory, names) {
  for (let index = 0; index < CHANGED; index++) {
    const name = names[index * Math.floor(names.length / CHANGED)];
    const file = path.join(directory, name);
    writeFileSync(file, Buffer.concat([readFileSync(file), Buffer.from(`changed ${Date.now()}\n`)]));
  }
}

const awsEnvironment = (endpoint) => ({
  ...process.env,
  AWS_ENDPOINT_URL: endpoint,
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_EC2_METADATA_DISABLED: 'true',
});

function timed(command, args, env, cwd) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (code !== 0) reject(new Error(`${command} exited ${code}:\n${output.slice(-3000)}`));
      else resolve({ ms, output });
    });
  });
}

const metadata = parseYaml(readFileSync(path.join(actionDirectory, 'action.yml'), 'utf8'));

/** Runs the committed bundle as the runner does: action.yml defaults, INPUT_*, GITHUB_OUTPUT. */
async function runAction(endpoint, workspace, inputs) {
  const outputFile = path.join(workspace, '..', `output-${Date.now()}`);
  writeFileSync(outputFile, '');
  const env = { ...awsEnvironment(endpoint), GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: workspace, GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: `${outputFile}.md` };
  for (const [name, spec] of Object.entries(metadata.inputs)) env[`INPUT_${name.toUpperCase()}`] = String(inputs[name] ?? spec.default ?? '');
  const { ms } = await timed(process.env.ACTION_NODE || process.execPath, [path.join(actionDirectory, metadata.runs.main)], env, workspace);
  // @actions/core writes `name<<delimiter`, the value, then the delimiter.
  const outputs = {};
  const lines = readFileSync(outputFile, 'utf8').split('\n');
  for (let index = 0; index < lines.length; index++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[index]);
    if (heredoc) outputs[heredoc[1]] = lines[++index];
  }
  return { ms, uploads: Number(outputs.uploaded) };
}

async function runAwsCli(endpoint, directory, bucket) {
  const { ms, output } = await timed('aws', ['s3', 'sync', directory, `s3://${bucket}`, '--no-progress', '--endpoint-url', endpoint], awsEnvironment(endpoint));
  return { ms, uploads: output.split('\n').filter((line) => line.startsWith('upload:')).length };
}

async function createBucket(endpoint, bucket) {
  await timed('aws', ['s3api', 'create-bucket', '--bucket', bucket, '--endpoint-url', endpoint], awsEnvironment(endpoint));
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

requireBinary('aws', 'pip install awscli');
const moto = await startMoto();
const work = mkdtempSync(path.join(tmpdir(), 'bench-s3-sync-'));
const pristine = path.join(work, 'pristine');
const names = makeSite(pristine);

const SCENARIOS = ['first upload', 'touched re-sync', `${CHANGED} files changed`];
const DEFAULT = 's3-sync-invalidate';
const WITH_STATE = 's3-sync-invalidate, state';
const TOOLS = {
  'aws s3 sync': async (directory, bucket) => runAwsCli(moto.url, directory, bucket),
  // The default: no state object; ETags settle content, the stamp the last sync left settles headers.
  [DEFAULT]: async (directory, bucket) => runAction(moto.url, path.dirname(directory), { source: path.basename(directory), bucket }),
  // The optional state, kept outside the served site in a bucket of its own (the site is synced to its bucket's root).
  [WITH_STATE]: async (directory, bucket) =>
    runAction(moto.url, path.dirname(directory), { source: path.basename(directory), bucket, state: `s3://${bucket}-state/site.json` }),
};
const results = Object.fromEntries(Object.keys(TOOLS).map((tool) => [tool, SCENARIOS.map(() => ({ ms: [], uploads: [] }))]));

try {
  console.log(`${FILES} files, ${REPS} repetitions, moto at ${moto.url}; aws-cli ${spawnSync('aws', ['--version'], { encoding: 'utf8' }).stdout.trim() || '(version unknown)'}`);
  for (let rep = 0; rep < REPS; rep++) {
    // Each tool takes each place in the order in turn, and starts on an empty moto.
    const tools = Object.keys(TOOLS);
    const order = tools.map((_, index) => tools[(index + rep) % tools.length]);
    for (const tool of order) {
      await fetch(`${moto.url}/moto-api/reset`, { method: 'POST' });
      const workspace = path.join(work, `rep${rep}-${order.indexOf(tool)}`);
      const directory = path.join(workspace, 'site');
      mkdirSync(workspace, { recursive: true });
      cpSync(pristine, directory, { recursive: true });
      const bucket = `bench-${rep}-${order.indexOf(tool)}-${Date.now() % 100000}`;
      await createBucket(moto.url, bucket);
      await createBucket(moto.url, `${bucket}-state`);
      const steps = [() => undefined, () => touchAll(directory, names), () => changeSome(directory, names)];
      for (const [index, prepare] of steps.entries()) {
        prepare();
        const { ms, uploads } = await TOOLS[tool](directory, bucket);
        results[tool][index].ms.push(ms);
        results[tool][index].uploads.push(uploads);
        console.log(`  rep ${rep + 1}: ${tool.padEnd(40)} ${SCENARIOS[index].padEnd(18)} ${(ms / 1000).toFixed(2).padStart(6)} s  ${uploads} uploads`);
      }
      rmSync(workspace, { recursive: true, force: true });
    }
  }

  console.log(`\nMedians of ${REPS} (wall time of the whole process, uploads made):`);
  const reference = results['aws s3 sync'];
  const header = ['scenario', ...Object.keys(TOOLS).flatMap((tool) => [tool, 'uploads']), 'aws / ours', 'aws / ours with state'];
  const rows = SCENARIOS.map((scenario, index) => {
    const cells = [scenario];
    for (const tool of Object.keys(TOOLS)) cells.push(`${(median(results[tool][index].ms) / 1000).toFixed(2)} s`, String(median(results[tool][index].uploads)));
    cells.push(`${(median(reference[index].ms) / median(results[DEFAULT][index].ms)).toFixed(1)}x`);
    cells.push(`${(median(reference[index].ms) / median(results[WITH_STATE][index].ms)).toFixed(1)}x`);
    return cells;
  });
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  for (const row of [header, ...rows]) console.log(row.map((cell, column) => cell.padEnd(widths[column])).join('  '));
  console.log(`\nRatios above 1 mean s3-sync-invalidate is faster. Targets: first upload >= 1.0x; touched re-sync >= 10x with 0 uploads, without a state object. Load: ${loadavg().map((value) => value.toFixed(1)).join(' ')}`);
} finally {
  moto.stop();
  rmSync(work, { recursive: true, force: true });
}
