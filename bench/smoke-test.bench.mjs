#!/usr/bin/env node
// The smoke-test action's load probe side by side with wrk, at the same concurrency,
// against one local endpoint served by another process (bench/smoke-test/server.mjs).
// The probe runs as the runner runs it (the committed bundle, INPUT_* variables) and its
// figures are read back from the `report` output; wrk's come from bench/smoke-test/report.lua.
// Rounds alternate between the two tools; the table shows medians and the probe/wrk ratios.
// Target: the probe reaches at least half of wrk's requests per second, so it measures the
// service rather than itself. Both clients use one thread: this machine has two cores, and
// the server needs one. `pnpm bench smoke-test`; BENCH_ROUNDS=n and BENCH_SECONDS=n change the run.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const here = path.join(root, 'bench', 'smoke-test');
const bundle = path.join(root, 'actions', 'smoke-test', 'dist', 'index.js');
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const node = process.env.ACTION_NODE || process.execPath;

const scenarios = [
  { name: 'instant endpoint', path: '/', concurrency: 50 },
  { name: '10 ms endpoint', path: '/delay/10', concurrency: 100 },
];

function fail(message) {
  console.error(message);
  process.exit(1);
}

if (spawnSync('wrk', ['--version']).error) {
  fail('wrk is not installed, and this benchmark compares against it. Install it: apt-get install wrk (Debian/Ubuntu) or brew install wrk (macOS).');
}
try {
  readFileSync(bundle);
} catch {
  fail(`no bundle at ${path.relative(root, bundle)}: build it first with node scripts/build.mjs smoke-test`);
}

function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(node, [path.join(here, 'server.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.once('error', reject);
    child.stdout.once('data', (chunk) => resolve({ child, port: Number(String(chunk).trim()) }));
  });
}

function run(command, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function wrk(url, concurrency) {
  const { code, stdout, stderr } = await run('wrk', ['-t1', `-c${concurrency}`, `-d${seconds}s`, '--timeout', '10s', '-s', path.join(here, 'report.lua'), url], process.env);
  if (code !== 0) fail(`wrk failed (${code}): ${stderr}`);
  const figures = JSON.parse(stdout.trim().split('\n').pop());
  return {
    rps: figures.requests / (figures.durationUs / 1e6),
    p95: figures.p95Us / 1000,
    errors: figures.socketErrors + figures.statusErrors,
  };
}

/** GITHUB_OUTPUT's `name<<delimiter` blocks. */
function readOutputs(file) {
  const outputs = {};
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let index = 0; index < lines.length; index++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[index]);
    if (!heredoc) continue;
    const body = [];
    for (index++; lines[index] !== heredoc[2]; index++) body.push(lines[index]);
    outputs[heredoc[1]] = body.join('\n');
  }
  return outputs;
}

async function probe(url, concurrency, requests) {
  const directory = mkdtempSync(path.join(tmpdir(), 'smoke-bench-'));
  const output = path.join(directory, 'output');
  writeFileSync(output, '');
  const inputs = {
    URLS: url,
    CHECKS: '',
    TIMEOUT: '5m',
    INTERVAL: '1s',
    'CONSECUTIVE-SUCCESSES': '1',
    'REQUEST-TIMEOUT': '10s',
    'MAX-REDIRECTS': '5',
    'LOAD-REQUESTS': String(requests),
    'LOAD-CONCURRENCY': String(concurrency),
    'MAX-P95': '',
    'MAX-ERROR-RATE': '0%',
    INSECURE: 'false',
  };
  const env = { PATH: process.env.PATH, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: path.join(directory, 'summary'), GITHUB_WORKSPACE: directory };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name}`] = value;
  const { code, stdout, stderr } = await run(node, [bundle], env);
  if (code !== 0) fail(`the probe failed (${code}):\n${stdout}${stderr}`);
  const { load } = JSON.parse(readOutputs(output).report);
  return { rps: load.throughput, p95: load.latencyMs.p95, errors: load.errors };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const { child: server, port } = await startServer();
const rows = [];
let belowTarget = false;
try {
  for (const scenario of scenarios) {
    const url = `http://127.0.0.1:${port}${scenario.path}`;
    // Warm the server's JIT, then size the probe's run from wrk's rate so both run about as long.
    await wrk(url, scenario.concurrency);
    const results = { wrk: [], probe: [] };
    let requests;
    for (let round = 0; round < rounds; round++) {
      const reference = await wrk(url, scenario.concurrency);
      results.wrk.push(reference);
      requests ??= Math.max(1_000, Math.round(reference.rps * seconds));
      results.probe.push(await probe(url, scenario.concurrency, requests));
      process.stderr.write('.');
    }
    const summary = (list) => ({ rps: median(list.map((item) => item.rps)), p95: median(list.map((item) => item.p95)), errors: list.reduce((sum, item) => sum + item.errors, 0) });
    const reference = summary(results.wrk);
    const measured = summary(results.probe);
    const ratio = measured.rps / reference.rps;
    if (ratio < 0.5) belowTarget = true;
    rows.push({ scenario: scenario.name, concurrency: scenario.concurrency, requests, reference, measured, ratio });
  }
} finally {
  server.kill('SIGTERM');
}

process.stderr.write('\n');
console.log(`smoke-test load probe vs wrk 4 (-t1), ${rounds} alternating rounds of ~${seconds}s each, medians; probe and server (bench/smoke-test/server.mjs) on node ${spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim()}`);
console.log('');
console.log('| scenario | concurrency | wrk req/s | probe req/s | probe/wrk | wrk p95 | probe p95 | p95 probe/wrk | errors wrk/probe |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const row of rows) {
  console.log(
    `| ${row.scenario} | ${row.concurrency} | ${row.reference.rps.toFixed(0)} | ${row.measured.rps.toFixed(0)} | ${row.ratio.toFixed(2)} | ${row.reference.p95.toFixed(2)} ms | ${row.measured.p95.toFixed(2)} ms | ${(row.measured.p95 / row.reference.p95).toFixed(2)} | ${row.reference.errors}/${row.measured.errors} |`,
  );
}
console.log('');
console.log(`target: probe/wrk req/s >= 0.50 -> ${belowTarget ? 'MISSED' : 'met'}`);
process.exit(belowTarget ? 1 : 0);
