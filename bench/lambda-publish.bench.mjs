#!/usr/bin/env node
// lambda-publish, side by side in one run, on a 5,000-file function directory (a node_modules tree):
//   1. packaging: our deterministic zip (the action's zip module, bundled from source with ncc, run as its
//      own process that writes the zip; as the action runs it, and on one thread) vs `zip -qrX`, the same
//      directory, process start to exit, with the ratio of each repetition and the load average
//   2. a re-deploy of unchanged code after a fresh checkout (every mtime new), against moto:
//      the action's committed bundle (skip-unchanged: no upload, no version) vs what a workflow does
//      without it: `zip -qrX` + `aws lambda update-function-code --zip-file` + `aws lambda publish-version`
//      (zip stores mtimes, so a checkout changes the package and Lambda publishes a new version every run)
// Tools alternate in order per repetition. Prints medians, ratios, uploads and versions made.
//   node bench/lambda-publish.bench.mjs      (BENCH_REPS=7 for more repetitions; BENCH_PART=packaging for part 1 only)
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const actionDirectory = path.join(root, 'actions', 'lambda-publish');
const work = path.join(root, 'bench', '.work', 'lambda-publish');
const REPS = Number(process.env.BENCH_REPS ?? 5);
const FILES = 5000;
const node = process.env.ACTION_NODE || process.execPath;

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
      if ((await fetch(`${url}/moto-api/`)).ok) return { url, stop: () => child.kill('SIGTERM') };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error('moto_server did not start within 30 s');
}

/** A node_modules tree: 250 packages of 20 files (JS, JSON, maps, READMEs), 100 B to 8 KB, deterministic. */
function makeFunction(directory) {
  let seed = 11;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const words = ['const', 'function', 'return', 'module', 'exports', 'require', 'value', 'options', 'if', 'else', 'for', 'await', 'async', 'this', 'null', 'undefined'];
  writeFileSync(path.join(directory, 'index.js'), "exports.handler = async () => require('pkg-0');\n");
  for (let index = 1; index < FILES; index++) {
    const pkg = `pkg-${Math.floor(index / 20)}`;
    const kind = ['index.js', 'lib/util.js', 'lib/core.js', 'package.json', 'README.md', 'dist/index.js.map'][index % 6];
    const name = path.join('node_modules', pkg, `${index}-${kind}`);
    let body = '';
    const size = 100 + Math.floor(random() * 8000);
    while (body.length < size) body += `${words[Math.floor(random() * words.length)]} `;
    mkdirSync(path.join(directory, path.dirname(name)), { recursive: true });
    writeFileSync(path.join(directory, name), body);
  }
}

function touchAll(directory) {
  const when = new Date();
  for (const entry of readdirSync(directory, { recursive: true })) utimesSync(path.join(directory, entry), when, when);
}

const GNU_TIME = spawnSync('sh', ['-c', 'command -v /usr/bin/time'], { encoding: 'utf8' }).status === 0 ? '/usr/bin/time' : undefined;

/** Wall time, and CPU time (user + system, through GNU time when there is one): on a shared machine CPU is the steadier figure. */
function timed(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const [file, argv] = GNU_TIME ? [GNU_TIME, ['-f', '@@cpu %U %S', command, ...args]] : [command, args];
    const child = spawn(file, argv, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const cpu = /@@cpu ([\d.]+) ([\d.]+)/.exec(output);
      const cpuMs = cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : undefined;
      if (code !== 0) reject(new Error(`${command} ${args.join(' ')} exited ${code}:\n${output.slice(-3000)}`));
      else resolve({ ms, cpuMs, output: output.replace(/@@cpu .*\n?/, '') });
    });
  });
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

const aws = (endpoint, args) => timed('aws', [...args, '--endpoint-url', endpoint, '--output', 'json'], { env: awsEnvironment(endpoint) });

/** The action's zip module, bundled from source (the same code the action runs), as a process that zips and writes. */
async function buildPacker() {
  const require = createRequire(import.meta.url);
  const ncc = require('@vercel/ncc');
  const { code, assets } = await ncc(path.join(actionDirectory, 'src', 'zip.ts'), { quiet: true, minify: true, target: 'es2022', cache: false });
  const directory = path.join(work, 'packer');
  mkdirSync(directory, { recursive: true });
  writeFileSync(path.join(directory, 'zip.js'), code);
  for (const [name, asset] of Object.entries(assets)) writeFileSync(path.join(directory, name), asset.source);
  writeFileSync(path.join(directory, 'package.json'), '{"type":"module"}');
  writeFileSync(
    path.join(directory, 'pack.js'),
    "import { writeFileSync } from 'node:fs';\nimport { zipDirectory } from './zip.js';\nconst options = process.argv[4] ? { workers: Number(process.argv[4]) } : {};\nconst { bytes } = await zipDirectory(process.argv[2], 'zip-directory', options);\nwriteFileSync(process.argv[3], bytes);\n",
  );
  return path.join(directory, 'pack.js');
}

const metadata = parseYaml(readFileSync(path.join(actionDirectory, 'action.yml'), 'utf8'));

/** The committed bundle as the runner runs it: action.yml defaults, INPUT_*, GITHUB_OUTPUT. */
async function runAction(endpoint, workspace, inputs) {
  const outputFile = path.join(work, `output-${Date.now()}`);
  writeFileSync(outputFile, '');
  const env = { ...awsEnvironment(endpoint), GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: workspace, GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: `${outputFile}.md`, GITHUB_SHA: 'bench', GITHUB_REF: 'refs/heads/develop' };
  for (const [name, spec] of Object.entries(metadata.inputs)) {
    const value = inputs[name] ?? (typeof spec.default === 'string' && spec.default.includes('${{') ? 'bench' : spec.default) ?? '';
    env[`INPUT_${name.toUpperCase()}`] = String(value);
  }
  const { ms, output } = await timed(node, [path.join(actionDirectory, metadata.runs.main)], { env, cwd: workspace });
  const outputs = {};
  const lines = readFileSync(outputFile, 'utf8').split('\n');
  for (let index = 0; index < lines.length; index++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[index]);
    if (heredoc) outputs[heredoc[1]] = lines[++index];
  }
  const zipped = /zipped \d+ files .* in ([\d.]+)(ms|s) /.exec(output);
  return { ms, outputs, zipMs: zipped ? Number(zipped[1]) * (zipped[2] === 's' ? 1000 : 1) : undefined };
}

const median = (values) => {
  const sorted = [...values].filter((value) => value !== undefined).sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('base64');

requireBinary('zip', 'apt-get install zip');
requireBinary('aws', 'pip install awscli');
rmSync(work, { recursive: true, force: true });
const workspace = path.join(work, 'workspace');
const source = path.join(workspace, 'function');
mkdirSync(source, { recursive: true });
makeFunction(source);
let t0 = Date.now();
const packer = await buildPacker();
console.log(`${FILES} files; our zip module bundled from source in ${((Date.now() - t0) / 1000).toFixed(1)} s; ${REPS} repetitions; node ${spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim()}`);

// 1. Packaging: ours as the action runs it (worker threads on a multi-core machine), ours on one thread, zip.
const TOOLS = ['ours', 'ours-1', 'zip'];
const packing = Object.fromEntries(TOOLS.map((tool) => [tool, []]));
const packingCpu = Object.fromEntries(TOOLS.map((tool) => [tool, []]));
const shas = Object.fromEntries(TOOLS.map((tool) => [tool, new Set()]));
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const runTool = (tool, out) => {
  if (tool === 'zip') return timed('zip', ['-qrX', out, '.'], { cwd: source });
  return timed(node, [packer, source, out, ...(tool === 'ours-1' ? ['0'] : [])]);
};
console.log(`load average before: ${load()}`);
for (let rep = 0; rep < REPS; rep++) {
  touchAll(source);
  // Rotated per repetition, so no tool always runs first (or right after another's page cache work).
  for (const tool of TOOLS.map((_, index) => TOOLS[(index + rep) % TOOLS.length])) {
    const out = path.join(work, `${tool}.zip`);
    rmSync(out, { force: true });
    const { ms, cpuMs } = await runTool(tool, out);
    packing[tool].push(ms);
    packingCpu[tool].push(cpuMs);
    shas[tool].add(sha256(out));
    if (rep === 0) console.log(`  ${tool}: ${(readFileSync(out).length / 1024 / 1024).toFixed(2)} MB`);
  }
  const ratio = (tool, series) => (series[tool][rep] / series.zip[rep]).toFixed(2);
  const cpuRatios = GNU_TIME ? `, CPU ${ratio('ours', packingCpu)}x / ${ratio('ours-1', packingCpu)}x` : '';
  console.log(`  rep ${rep + 1}: ours ${packing.ours[rep].toFixed(0)} ms, one thread ${packing['ours-1'][rep].toFixed(0)} ms, zip ${packing.zip[rep].toFixed(0)} ms: wall ${ratio('ours', packing)}x / ${ratio('ours-1', packing)}x${cpuRatios} (load ${load()})`);
}
const wallOf = (tool) => median(packing[tool]);
const cpuOf = (tool) => median(packingCpu[tool]);
console.log(`\nPackaging (median of ${REPS}, process start to exit, every mtime new before each repetition; load average after: ${load()}):`);
const describe = (tool) => `${wallOf(tool).toFixed(0)} ms wall, ${GNU_TIME ? `${cpuOf(tool).toFixed(0)} ms CPU` : 'CPU not measured (no GNU time)'}   distinct SHA-256 over the runs: ${shas[tool].size}`;
console.log(`  ours (deterministic zip)      ${describe('ours')}`);
console.log(`  ours on one thread            ${describe('ours-1')}`);
console.log(`  zip -qrX                      ${describe('zip')}`);
const same = new Set([...shas.ours, ...shas['ours-1']]).size === 1;
console.log(`  ours gives the same bytes on one thread and on several: ${same ? 'yes' : 'NO'}`);
if (!same) process.exitCode = 1;
for (const tool of ['ours', 'ours-1']) {
  console.log(`  ${tool === 'ours' ? 'ours' : 'one thread'} / zip = ${(wallOf(tool) / wallOf('zip')).toFixed(2)}x wall${GNU_TIME ? `, ${(cpuOf(tool) / cpuOf('zip')).toFixed(2)}x CPU` : ''} (target: within 1.5x)`);
}

// 2. Re-deploy of unchanged code after a fresh checkout.
if (process.env.BENCH_PART === 'packaging') {
  rmSync(work, { recursive: true, force: true });
  process.exit(0);
}
const moto = await startMoto();
try {
  const endpoint = moto.url;
  await aws(endpoint, ['iam', 'create-role', '--role-name', 'bench', '--assume-role-policy-document', '{}']);
  const role = 'arn:aws:iam::123456789012:role/bench';
  const seedZip = path.join(work, 'seed.zip');
  await timed('zip', ['-qrX', seedZip, '.'], { cwd: source });
  for (const name of ['bench-ours', 'bench-cli']) {
    await aws(endpoint, ['lambda', 'create-function', '--function-name', name, '--runtime', 'nodejs22.x', '--handler', 'index.handler', '--role', role, '--zip-file', `fileb://${seedZip}`]);
  }
  // First deploy of ours: publishes version 1 and creates the alias; the runs below are re-deploys.
  const first = await runAction(endpoint, workspace, { 'function-name': 'bench-ours', 'zip-directory': 'function' });
  if (first.outputs.version !== '1') throw new Error(`the first deploy published ${first.outputs.version}, not 1`);
  const redeploy = { ours: [], cli: [], oursZip: [] };
  for (let rep = 0; rep < REPS; rep++) {
    touchAll(source);
    for (const tool of rep % 2 ? ['cli', 'ours'] : ['ours', 'cli']) {
      if (tool === 'ours') {
        const result = await runAction(endpoint, workspace, { 'function-name': 'bench-ours', 'zip-directory': 'function' });
        if (result.outputs.changed !== 'false') throw new Error(`ours re-deployed unchanged code: ${JSON.stringify(result.outputs)}`);
        redeploy.ours.push(result.ms);
        redeploy.oursZip.push(result.zipMs);
      } else {
        const started = Date.now();
        const out = path.join(work, 'cli.zip');
        rmSync(out, { force: true });
        await timed('zip', ['-qrX', out, '.'], { cwd: source });
        await aws(endpoint, ['lambda', 'update-function-code', '--function-name', 'bench-cli', '--zip-file', `fileb://${out}`]);
        await aws(endpoint, ['lambda', 'publish-version', '--function-name', 'bench-cli']);
        redeploy.cli.push(Date.now() - started);
      }
    }
  }
  const count = async (name) => JSON.parse((await aws(endpoint, ['lambda', 'list-versions-by-function', '--function-name', name])).output).Versions.length - 1;
  const [oursVersions, cliVersions] = [await count('bench-ours'), await count('bench-cli')];
  const ours = median(redeploy.ours);
  const cli = median(redeploy.cli);
  console.log(`\nRe-deploy of unchanged code after a fresh checkout (median of ${REPS}, against moto):`);
  console.log(`  ours (action bundle, skip-unchanged)                      ${ours.toFixed(0)} ms   packaging inside: ${median(redeploy.oursZip).toFixed(0)} ms   uploads: 0   versions after ${REPS} re-deploys: ${oursVersions}`);
  console.log(`  zip -qrX + update-function-code + publish-version        ${cli.toFixed(0)} ms   uploads: ${REPS}   versions after ${REPS} re-deploys: ${cliVersions}`);
  console.log(`  reference / ours = ${(cli / ours).toFixed(1)}x faster`);
} finally {
  moto.stop();
  rmSync(work, { recursive: true, force: true });
}
