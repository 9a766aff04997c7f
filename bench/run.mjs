#!/usr/bin/env node
// Runs every benchmark under bench/ (each `bench/<name>.bench.mjs` is a standalone
// script that prints its own side-by-side table and ratios), or the ones named.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const directory = path.dirname(fileURLToPath(import.meta.url));
const requested = process.argv.slice(2);
const benches = readdirSync(directory)
  .filter((file) => file.endsWith('.bench.mjs'))
  .filter((file) => requested.length === 0 || requested.some((name) => file.startsWith(name)));
let failed = 0;
for (const file of benches) {
  console.log(`\n=== ${file} ===`);
  const result = spawnSync(process.execPath, [path.join(directory, file)], { stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
