#!/usr/bin/env node
// Bundles every JavaScript action with @vercel/ncc into actions/<name>/dist/,
// which is committed: the runner installs nothing. `node scripts/build.mjs [name...]`.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeValidator } from './schema-validator.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const requested = process.argv.slice(2);
const buildable = readdirSync(path.join(root, 'actions')).filter((name) => existsSync(path.join(root, 'actions', name, 'src', 'index.ts')));
// A misspelt name must not pass as "0 action bundle(s)": the stale bundle would stay.
const unknown = requested.filter((name) => !buildable.includes(name));
if (unknown.length > 0) {
  console.error(`no JavaScript action named ${unknown.map((name) => `"${name}"`).join(', ')}; the actions are: ${buildable.join(', ')}`);
  process.exit(1);
}
const actions = buildable.filter((name) => requested.length === 0 || requested.includes(name));
const ncc = path.join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');

// Builds next to dist/ and swaps on success: a failed build leaves the committed bundle in place.
function bundle(name) {
  const directory = path.join(root, 'actions', name);
  const staging = path.join(directory, 'dist.building');
  rmSync(staging, { recursive: true, force: true });
  return new Promise((resolve, reject) => {
    const args = [ncc, 'build', 'src/index.ts', '--out', staging, '--minify', '--license', 'licenses.txt', '--target', 'es2022', '--quiet'];
    const child = spawn(process.execPath, args, { cwd: directory, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('close', (code) => {
      if (code !== 0) {
        rmSync(staging, { recursive: true, force: true });
        reject(new Error(`ncc failed for ${name} (exit ${code}); dist/ was left as it was`));
        return;
      }
      rmSync(path.join(directory, 'dist'), { recursive: true, force: true });
      renameSync(staging, path.join(directory, 'dist'));
      resolve();
    });
  });
}

// deploy-plan bundles the environment schema's validator, generated from the schema first.
if (actions.includes('deploy-plan') && writeValidator()) console.log('regenerated actions/deploy-plan/src/generated/environment-validator.js from the schema');

const started = Date.now();
const queue = [...actions];
const workers = Array.from({ length: 2 }, async () => {
  for (let name = queue.shift(); name; name = queue.shift()) {
    const t0 = Date.now();
    await bundle(name);
    console.log(`built actions/${name}/dist in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  }
});
try {
  await Promise.all(workers);
  console.log(`${actions.length} action bundle(s) in ${((Date.now() - started) / 1000).toFixed(1)}s`);
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
