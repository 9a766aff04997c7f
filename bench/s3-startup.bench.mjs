#!/usr/bin/env node
// s3-sync-invalidate's start-up against a bare `node -e 0`, side by side in one run, under the Node that runs
// the bundles (ACTION_NODE, else this one): process start to exit of a run without inputs (it fails at once
// with the input error, before any AWS SDK code is loaded). Prints medians and the ratio (targets: at most
// 250 ms and 2.5x `node -e 0`).
//   node bench/s3-startup.bench.mjs      (BENCH_REPS=40 for more repetitions)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(root, 'actions', 's3-sync-invalidate', 'dist', 'index.js');
const node = process.env.ACTION_NODE || process.execPath;
const REPS = Number(process.env.BENCH_REPS ?? 20);
const workspace = mkdtempSync(path.join(tmpdir(), 'bench-s3-startup-'));
const env = { PATH: process.env.PATH, GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: workspace, RUNNER_TEMP: workspace };

function time(args, expectedStatus) {
  const started = process.hrtime.bigint();
  const result = spawnSync(node, args, { env, cwd: workspace, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== expectedStatus) throw new Error(`${args.join(' ')} exited ${result.status}:\n${result.stdout}${result.stderr}`);
  return { ms, output: result.stdout };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

const bare = [];
const action = [];
try {
  const { output } = time([bundle], 1);
  if (!/::error::s3-sync-invalidate: input "\w+" is required/.test(output)) throw new Error(`unexpected output of a run without inputs:\n${output}`);
  for (let rep = 0; rep < REPS; rep++) {
    // Alternate, so both see the same load.
    bare.push(time(['-e', '0'], 0).ms);
    action.push(time([bundle], 1).ms);
  }
  const [b, a] = [median(bare), median(action)];
  console.log(`${REPS} repetitions each, ${node}`);
  console.log(`node -e 0:                              ${b.toFixed(0)} ms`);
  console.log(`s3-sync-invalidate to its input error:  ${a.toFixed(0)} ms  (${(a / b).toFixed(2)}x; targets: at most 250 ms and 2.5x)`);
  console.log(`load ${loadavg().map((value) => value.toFixed(1)).join(' ')}`);
} finally {
  rmSync(workspace, { recursive: true, force: true });
}
