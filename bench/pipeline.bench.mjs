#!/usr/bin/env node
// pipeline: the whole staging pipeline through the local runner (packages/local-runner) against the local
// staging environment (test/src/staging), for scenario (a) a push changing the API only and (c) a push changing
// nothing deployable. Side by side, in the same runs:
//   - the suite: the wall time of the whole run (runWorkflow, the sample's deploy-staging.yml caller);
//   - the floor: the sum of the durations of every step the run executed (the actions' bundles, the stand-ins
//     and the `run:` scripts), i.e. the same steps run one after the other by hand, measured inside the run.
// wall / floor < 1 means the runner's parallel jobs more than paid for its own work (parsing, expressions,
// checkouts of the workspace, artifacts, the GitHub API calls of `environment:`).
// `pnpm bench pipeline`; BENCH_RUNS=n runs per scenario (default 3); ACTION_NODE=<node 24> as CI.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const load = (file) => tsImport(path.join(root, file), import.meta.url);
const { startLocalStaging } = await load('test/src/staging/index.ts');
const { scenario } = await load('test/src/staging/scenarios.ts');

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

const started = Date.now();
const staging = await startLocalStaging();
const startup = Date.now() - started;
const rows = [];
try {
  for (const name of ['api-only', 'nothing']) {
    const walls = [];
    const floors = [];
    for (let index = 0; index < RUNS; index++) {
      await staging.reset();
      let floor = 0;
      const onProgress = (event) => {
        if (event.type === 'step-finished' && event.outcome !== 'skipped') floor += event.durationMs;
      };
      const begin = Date.now();
      const [run] = await scenario(name).run(staging, onProgress);
      const wall = Date.now() - begin;
      if (run.conclusion !== 'success') throw new Error(`${name}: the run ended ${run.conclusion}\n${run.log.split('\n').slice(-40).join('\n')}`);
      walls.push(wall);
      floors.push(floor);
    }
    rows.push({ name, wall: median(walls), floor: median(floors), walls, floors });
  }
} finally {
  await staging.stop();
}

console.log(`local staging environment started in ${seconds(startup)} (not counted below); ${RUNS} run(s) per scenario, medians`);
console.log('| scenario | suite: whole run | floor: its steps one after the other | ratio | runner overhead (wall - floor) |');
console.log('| --- | --- | --- | --- | --- |');
for (const row of rows) {
  console.log(`| ${row.name === 'api-only' ? '(a) push changing the API' : '(c) push changing nothing deployable'} | ${seconds(row.wall)} | ${seconds(row.floor)} | ${(row.wall / row.floor).toFixed(2)}x | ${seconds(row.wall - row.floor)} |`);
}
