#!/usr/bin/env node
// db-migrate: apply 500 small migrations to an empty database, against the floor.
//
// Side by side, interleaved, in one run, each on a fresh empty database:
//   floor:  `psql` applying the same 500 files in one session (`-f 001.sql ... -f 500.sql`), no history,
//           no lock, no checksums: the least any tool can do
//   action: the committed bundle, process start to exit, with the runner's environment (lock,
//           checksums, one transaction + history row per migration)
// Prints medians and the ratio action / floor (target: within 2x).
// `pnpm bench db-migrate` or `node bench/db-migrate.bench.mjs [runs]` (default 7). Uses ACTION_NODE when set.
// Starts its own PostgreSQL (initdb/postgres on PATH or /usr/lib/postgresql/*/bin; as the `postgres` user when root).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv[2] ?? 7);
const node = process.env.ACTION_NODE || process.execPath;
const MIGRATIONS = 500;
const PASSWORD = 'bench-Pa55:word@x';

function binary(name) {
  const directories = [...(process.env.PATH ?? '').split(':')];
  if (existsSync('/usr/lib/postgresql')) for (const version of readdirSync('/usr/lib/postgresql').sort().reverse()) directories.push(`/usr/lib/postgresql/${version}/bin`);
  for (const directory of directories) if (directory && existsSync(path.join(directory, name))) return path.join(directory, name);
  throw new Error(`${name} not found: install the PostgreSQL server and client (apt-get install postgresql)`);
}

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startPostgres() {
  const asUser = process.getuid?.() === 0 ? { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) } : {};
  const directory = mkdtempSync(path.join(tmpdir(), 'bench-dbm-pg-'));
  if (asUser.uid !== undefined) chownSync(directory, asUser.uid, asUser.gid);
  writeFileSync(path.join(directory, 'pw'), PASSWORD);
  if (asUser.uid !== undefined) chownSync(path.join(directory, 'pw'), asUser.uid, asUser.gid);
  const data = path.join(directory, 'data');
  const init = spawnSync(binary('initdb'), ['-D', data, '-U', 'bench', '--pwfile', path.join(directory, 'pw'), '-A', 'scram-sha-256', '--no-sync', '-E', 'UTF8', '--locale', 'C'], { ...asUser, encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const port = await freePort();
  const server = spawn(binary('postgres'), ['-D', data, '-p', String(port), '-h', '127.0.0.1', '-k', directory, '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'], { ...asUser, stdio: 'ignore' });
  const url = (database) => `postgres://bench:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}/${database}`;
  for (let attempt = 0; ; attempt++) {
    if (spawnSync(binary('psql'), [url('postgres'), '-Atc', 'select 1']).status === 0) break;
    if (attempt > 150) throw new Error('postgres did not start');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, stop: () => new Promise((resolve) => { server.on('close', () => { rmSync(directory, { recursive: true, force: true }); resolve(); }); server.kill('SIGINT'); }) };
}

function time(command, args, options) {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 });
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${command} failed (${result.status}): ${result.stderr}${result.stdout.toString().slice(-2000)}`);
  return { elapsed, stdout: result.stdout.toString() };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const workspace = mkdtempSync(path.join(tmpdir(), 'bench-dbm-ws-'));
const migrationsDirectory = path.join(workspace, 'db', 'migrations');
mkdirSync(migrationsDirectory, { recursive: true });
const files = [];
for (let version = 1; version <= MIGRATIONS; version++) {
  const file = `${String(version).padStart(3, '0')}_table_${version}.sql`;
  writeFileSync(
    path.join(migrationsDirectory, file),
    `-- migration ${version}\nCREATE TABLE table_${version} (id bigint PRIMARY KEY, name text NOT NULL);\nINSERT INTO table_${version} (id, name) VALUES (1, 'row ${version}');\n`,
  );
  files.push(path.join(migrationsDirectory, file));
}

console.log(`Starting PostgreSQL; ${MIGRATIONS} migrations, ${runs} runs each ...`);
const postgres = await startPostgres();
const psql = binary('psql');
let databases = 0;
const freshDatabase = () => {
  const name = `bench_${databases++}`;
  time(psql, [postgres.url('postgres'), '-Atqc', `CREATE DATABASE ${name}`], {});
  return name;
};
const entry = path.join(root, 'actions/db-migrate/dist/index.js');
const temp = mkdtempSync(path.join(tmpdir(), 'bench-dbm-run-'));
const actionEnv = (database) => {
  for (const file of ['output', 'summary']) writeFileSync(path.join(temp, file), '');
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_ACTIONS: 'true',
    GITHUB_SHA: '0'.repeat(40),
    GITHUB_REPOSITORY: 'acme/monorepo',
    GITHUB_RUN_ID: '1',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: path.join(temp, 'output'),
    GITHUB_STEP_SUMMARY: path.join(temp, 'summary'),
    RUNNER_TEMP: temp,
    'INPUT_DATABASE-URL': postgres.url(database),
    INPUT_MIGRATIONS: 'db/migrations',
    INPUT_COMMAND: '',
    'INPUT_WORKING-DIRECTORY': '.',
    'INPUT_DRY-RUN': 'false',
    INPUT_TARGET: '',
    INPUT_ROLLBACK: '0',
    'INPUT_LOCK-TIMEOUT': '5m',
    'INPUT_STATEMENT-TIMEOUT': '10m',
    'INPUT_CONNECT-TIMEOUT': '30s',
    'INPUT_COMMAND-TIMEOUT': '30m',
    INPUT_BACKUP: '',
    'INPUT_HISTORY-TABLE': 'migration_history',
  };
};
const psqlArgs = (database) => [postgres.url(database), '-X', '-q', '-v', 'ON_ERROR_STOP=1', ...files.flatMap((file) => ['-f', file])];

try {
  // Warm up, and check both really applied everything.
  const checkAction = freshDatabase();
  time(node, [entry], { cwd: workspace, env: actionEnv(checkAction) });
  const checkFloor = freshDatabase();
  time(psql, psqlArgs(checkFloor), {});
  for (const database of [checkAction, checkFloor]) {
    const tables = time(psql, [postgres.url(database), '-Atqc', "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'table\\_%'"], {}).stdout.trim();
    if (tables !== String(MIGRATIONS)) throw new Error(`${database}: expected ${MIGRATIONS} tables, found ${tables}`);
  }
  const history = time(psql, [postgres.url(checkAction), '-Atqc', 'SELECT count(*) FROM migration_history'], {}).stdout.trim();
  if (history !== String(MIGRATIONS)) throw new Error(`the action recorded ${history} migrations, expected ${MIGRATIONS}`);

  const floor = [];
  const action = [];
  const nodeOnly = [];
  for (let run = 0; run < runs; run++) {
    nodeOnly.push(time(node, ['-e', '0'], {}).elapsed);
    const forFloor = freshDatabase();
    floor.push(time(psql, psqlArgs(forFloor), {}).elapsed);
    const forAction = freshDatabase();
    action.push(time(node, [entry], { cwd: workspace, env: actionEnv(forAction) }).elapsed);
  }
  const ratio = median(action) / median(floor);
  console.log(`\nnode ${execFileSync(node, ['--version'], { encoding: 'utf8' }).trim()}, ${runs} runs, medians (ms):`);
  console.log(`  node -e 0 (for reference)                  ${median(nodeOnly).toFixed(1)}`);
  console.log(`  floor: psql, ${MIGRATIONS} files in one session      ${median(floor).toFixed(1)}`);
  console.log(`  db-migrate, start to exit                  ${median(action).toFixed(1)}`);
  console.log(`  ratio action / floor                       ${ratio.toFixed(2)}x   (target <= 2.00x)`);
} finally {
  await postgres.stop();
  rmSync(workspace, { recursive: true, force: true });
  rmSync(temp, { recursive: true, force: true });
}
