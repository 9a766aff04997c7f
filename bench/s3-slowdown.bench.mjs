#!/usr/bin/env node
// s3-sync-invalidate under steady S3 throttling: a 201-file first upload, straight to moto and through a
// proxy that answers every 5th PUT with 503 SlowDown (as S3 does when a prefix partition is hot), side by side
// in one run. Prints wall time, PUTs per second and the throttled/unthrottled ratio (target: within 2x).
//   node bench/s3-slowdown.bench.mjs      (BENCH_REPS=5 for more; S3_ACTION_DIR=<dir> to measure another build)
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const actionDirectory = process.env.S3_ACTION_DIR ? path.resolve(process.env.S3_ACTION_DIR) : path.join(root, 'actions', 's3-sync-invalidate');
const REPS = Number(process.env.BENCH_REPS ?? 3);
const FILES = 201;
const EVERY = 5;
const SLOW_DOWN = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startMoto() {
  const found = spawnSync('sh', ['-c', 'command -v moto_server'], { encoding: 'utf8' });
  if (found.status !== 0) {
    console.error('moto_server not found on PATH. To install: pip install "moto[server]"');
    process.exit(1);
  }
  const port = await freePort();
  const child = spawn(found.stdout.trim(), ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
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

/** A proxy in front of moto that answers every EVERY-th PUT with SlowDown and counts what passed. */
async function startThrottlingProxy(target) {
  const upstream = new URL(target);
  let puts = 0;
  const stats = { throttled: 0, passed: 0 };
  const server = createServer((incoming, response) => {
    const chunks = [];
    incoming.on('data', (chunk) => chunks.push(chunk));
    incoming.on('end', () => {
      if (incoming.method === 'PUT' && ++puts % EVERY === 0) {
        stats.throttled++;
        response.writeHead(503, { 'content-type': 'application/xml' }).end(SLOW_DOWN);
        return;
      }
      if (incoming.method === 'PUT') stats.passed++;
      const outgoing = httpRequest({ host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers: incoming.headers }, (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      });
      outgoing.on('error', () => response.writeHead(502).end());
      outgoing.end(Buffer.concat(chunks));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, stats, close: () => new Promise((resolve) => server.close(resolve)) };
}

const metadata = parseYaml(readFileSync(path.join(actionDirectory, 'action.yml'), 'utf8'));

function runAction(endpoint, workspace, inputs) {
  const outputFile = path.join(workspace, '..', `output-${Date.now()}`);
  writeFileSync(outputFile, '');
  const env = {
    ...process.env,
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_EC2_METADATA_DISABLED: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: `${outputFile}.md`,
  };
  for (const [name, spec] of Object.entries(metadata.inputs)) env[`INPUT_${name.toUpperCase()}`] = String(inputs[name] ?? spec.default ?? '');
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.env.ACTION_NODE || process.execPath, [path.join(actionDirectory, metadata.runs.main)], { env, cwd: workspace, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (code !== 0) reject(new Error(`the action exited ${code}:\n${output.slice(-2000)}`));
      else resolve(ms);
    });
  });
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const moto = await startMoto();
const proxy = await startThrottlingProxy(moto.url);
const work = mkdtempSync(path.join(tmpdir(), 'bench-s3-slowdown-'));
const site = path.join(work, 'site');
for (let index = 0; index < FILES; index++) {
  const name = `assets/${Math.floor(index / 50)}/file-${index}.js`;
  mkdirSync(path.join(site, path.dirname(name)), { recursive: true });
  writeFileSync(path.join(site, name), `// ${name}\n${'x'.repeat(2_000 + index)}\n`);
}
const times = { unthrottled: [], throttled: [] };
try {
  console.log(`${FILES} files, a 503 SlowDown on every ${EVERY}th PUT when throttled, ${REPS} repetitions; action ${path.relative(root, actionDirectory) || actionDirectory}`);
  for (let rep = 0; rep < REPS; rep++) {
    const order = rep % 2 === 0 ? ['unthrottled', 'throttled'] : ['throttled', 'unthrottled'];
    for (const mode of order) {
      const bucket = `slowdown-${rep}-${mode}-${Date.now() % 100000}`;
      await fetch(`${moto.url}/${bucket}`, { method: 'PUT' });
      const before = proxy.stats.throttled;
      const ms = await runAction(mode === 'throttled' ? proxy.url : moto.url, work, { source: 'site', bucket });
      times[mode].push(ms);
      const note = mode === 'throttled' ? `, ${proxy.stats.throttled - before} PUTs throttled` : '';
      console.log(`  rep ${rep + 1}: ${mode.padEnd(12)} ${(ms / 1000).toFixed(2).padStart(6)} s  ${(FILES / (ms / 1000)).toFixed(1)} PUTs/s${note}`);
    }
  }
  const unthrottled = median(times.unthrottled);
  const throttled = median(times.throttled);
  console.log(`\nMedians: unthrottled ${(unthrottled / 1000).toFixed(2)} s (${(FILES / (unthrottled / 1000)).toFixed(1)} PUTs/s), throttled ${(throttled / 1000).toFixed(2)} s (${(FILES / (throttled / 1000)).toFixed(1)} PUTs/s)`);
  console.log(`throttled / unthrottled: ${(throttled / unthrottled).toFixed(2)}x (target: at most 2x); load ${loadavg().map((value) => value.toFixed(1)).join(' ')}`);
} finally {
  await proxy.close();
  moto.stop();
  rmSync(work, { recursive: true, force: true });
}
