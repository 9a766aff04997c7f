#!/usr/bin/env node
// build-push: the committed bundle against what it replaces, side by side in one run, interleaved, against a
// real local registry (docker-registry), on a sample service whose Dockerfile has a compile-like RUN step
// of a few seconds. Every run starts from an empty buildah storage root, as a fresh runner does.
//   (1) first build + push of a new commit:
//       floor:  `buildah bud` + `buildah push` by hand (chroot isolation, vfs, Docker v2 manifest);
//       action: the bundle with `cache: none` (the same work plus its checks, labels and tags),
//               and with its default `cache: registry` (which also pushes each step to <repo>/buildcache).
//   (2) re-deploy of an unchanged commit:
//       without the action: a fresh runner builds again (no local layers) and pushes;
//       action: promotion (the content key exists: tags added through the registry API, nothing built).
//   (3) a commit that changes one source file, on a fresh runner: the action with `cache: none` against
//       `cache: registry` (the dependency step comes from <repo>/buildcache, only the compile step runs).
// `pnpm bench build-push`; BENCH_RUNS=n runs per command (default 5); ACTION_NODE=<node 24> runs the bundle
// on the runtime of `runs.using: node24`, as CI does. Needs root (buildah chroot), buildah, skopeo,
// docker-registry and busybox-static.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const actionDir = path.join(root, 'actions', 'build-push');
const node = process.env.ACTION_NODE || process.execPath;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const work = mkdtempSync(path.join(tmpdir(), 'bench-build-push-'));

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

async function must(command, args, options) {
  const result = await run(command, args, options);
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.code}):\n${result.output.slice(-3000)}`);
  return result;
}

function freePort() {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// The registry.
const port = await freePort();
const registryConfig = path.join(work, 'registry.yml');
writeFileSync(registryConfig, `version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: ${path.join(work, 'registry')}\nhttp:\n  addr: 127.0.0.1:${port}\n`);
const registryProcess = spawn('docker-registry', ['serve', registryConfig], { stdio: 'ignore' });
const host = `127.0.0.1:${port}`;
for (let tries = 0; ; tries++) {
  try {
    if ((await fetch(`http://${host}/v2/`)).ok) break;
  } catch {
    if (tries > 100) throw new Error('the registry did not start');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// The sample service: sources copied in, a compile-like step of a few seconds, the result copied out.
const workspace = path.join(work, 'workspace');
const context = path.join(workspace, 'service');
mkdirSync(path.join(context, 'src'), { recursive: true });
copyFileSync('/bin/busybox', path.join(context, 'busybox'));
writeFileSync(path.join(context, 'deps.txt'), 'left-pad==1.3.0\n');
for (let index = 0; index < 200; index++) writeFileSync(path.join(context, 'src', `module${index}.c`), `int f${index}(void) { return ${index}; }\n`.repeat(50));
writeFileSync(
  path.join(context, 'Dockerfile'),
  [
    'FROM scratch AS build',
    'COPY busybox /bin/busybox',
    'RUN ["/bin/busybox", "--install", "-s", "/bin"]',
    'COPY deps.txt /deps.txt',
    // "Installing dependencies": the slow step that changes rarely.
    'RUN mkdir /deps && for round in 1 2 3 4 5 6; do sha256sum /bin/busybox > /deps/lock.txt; done && sleep 2 && cp /deps.txt /deps/',
    'COPY src /src',
    // "Compiling": checksums of every source, many times over, plus the wait of a linker.
    'RUN mkdir /out && for round in 1 2 3 4 5; do sha256sum /src/*.c > /out/objects.txt; done && sleep 1 && tar -cf /out/app.tar /src',
    'FROM scratch',
    'COPY --from=build /bin/busybox /bin/busybox',
    'COPY --from=build /deps /deps',
    'COPY --from=build /out /app',
  ].join('\n'),
);

const metadata = parseYaml(readFileSync(path.join(actionDir, 'action.yml'), 'utf8'));

/** Runs the bundle as the runner does: action.yml defaults, INPUT_* variables, file commands, a fresh RUNNER_TEMP. */
async function runAction(inputs, sha) {
  const temp = mkdtempSync(path.join(work, 'step-'));
  const files = Object.fromEntries(['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY', 'GITHUB_ENV', 'GITHUB_PATH'].map((name) => [name, path.join(temp, name)]));
  for (const file of Object.values(files)) writeFileSync(file, '');
  mkdirSync(path.join(temp, 'runner-temp'));
  const env = { ...process.env, ...files, GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: workspace, GITHUB_SHA: sha, GITHUB_REF: 'refs/heads/develop', GITHUB_REPOSITORY: 'acme/monorepo', GITHUB_SERVER_URL: 'https://github.com', RUNNER_TEMP: path.join(temp, 'runner-temp') };
  for (const [name, spec] of Object.entries(metadata.inputs)) env[`INPUT_${name.toUpperCase()}`] = String(inputs[name] ?? spec.default ?? '');
  const main = await must(node, [path.join(actionDir, metadata.runs.main)], { cwd: workspace, env });
  // The post step, as the runner runs it after the job: part of what the action costs.
  const state = readFileSync(files.GITHUB_STATE, 'utf8');
  const post = await must(node, [path.join(actionDir, metadata.runs.post)], { cwd: workspace, env: { ...env, ...stateVariables(state) } });
  const outputs = readFileSync(files.GITHUB_OUTPUT, 'utf8');
  rmSync(temp, { recursive: true, force: true });
  return { ms: main.ms + post.ms, built: /built<<[^\n]*\ntrue/.test(outputs) || /^built=true$/m.test(outputs), log: main.output };
}

function stateVariables(text) {
  const variables = {};
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const heredoc = /^([^<=]+)<<(.+)$/.exec(lines[index]);
    if (!heredoc) continue;
    const body = [];
    for (index++; lines[index] !== heredoc[2]; index++) body.push(lines[index]);
    variables[`STATE_${heredoc[1]}`] = body.join('\n');
  }
  return variables;
}

/** `buildah bud` + `buildah push` by hand, in a fresh storage root. */
async function byHand(reference) {
  const storage = mkdtempSync(path.join(work, 'storage-'));
  const global = ['--root', path.join(storage, 'root'), '--runroot', path.join(storage, 'run'), '--storage-driver', 'vfs'];
  const build = await must('buildah', [...global, 'bud', '--isolation', 'chroot', '--format', 'docker', '--layers', '-t', reference, context]);
  const push = await must('buildah', [...global, 'push', '--format', 'v2s2', '--tls-verify=false', reference, `docker://${reference}`]);
  rmSync(storage, { recursive: true, force: true });
  return { ms: build.ms + push.ms };
}

const newSha = () => randomBytes(20).toString('hex');
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

const times = { floor: [], actionNoCache: [], actionCache: [], rebuild: [], promotion: [], changedNoCache: [], changedCache: [] };
try {
  // Warm-up: the page cache holds buildah, skopeo and the bundle for every contestant alike.
  await byHand(`${host}/warmup:1`);
  for (let round = 1; round <= RUNS; round++) {
    const id = randomBytes(3).toString('hex');
    times.floor.push((await byHand(`${host}/floor-${id}:${newSha()}`)).ms);
    const sha = newSha();
    const first = await runAction({ registry: host, repository: `nocache-${id}`, context: 'service', cache: 'none' }, sha);
    if (!first.built) throw new Error(`the first run did not build:\n${first.log}`);
    times.actionNoCache.push(first.ms);
    times.actionCache.push((await runAction({ registry: host, repository: `cache-${id}`, context: 'service' }, newSha())).ms);
    // (2) the same commit again: a fresh runner without the action builds and pushes again ...
    times.rebuild.push((await byHand(`${host}/nocache-${id}:${sha}`)).ms);
    // ... the action finds the image for this commit and adds tags.
    const again = await runAction({ registry: host, repository: `nocache-${id}`, context: 'service', cache: 'none', version: `1.0.${round}` }, sha);
    if (again.built) throw new Error(`the re-deploy built again:\n${again.log}`);
    times.promotion.push(again.ms);
    // (3) one source file changes: a fresh runner with and without the registry cache.
    writeFileSync(path.join(context, 'src', 'module0.c'), `int f0(void) { return ${round}; }\n`);
    times.changedNoCache.push((await runAction({ registry: host, repository: `cache-${id}`, context: 'service', cache: 'none' }, newSha())).ms);
    const cached = await runAction({ registry: host, repository: `cache-${id}`, context: 'service' }, newSha());
    if (!cached.log.includes('Cache pulled from remote')) throw new Error(`the cached rebuild took nothing from the cache:\n${cached.log}`);
    times.changedCache.push(cached.ms);
    console.log(`round ${round}/${RUNS}: floor ${seconds(times.floor.at(-1))}, action ${seconds(first.ms)} (cache none) ${seconds(times.actionCache.at(-1))} (cache registry), rebuild ${seconds(times.rebuild.at(-1))}, promotion ${seconds(again.ms)}, one file changed ${seconds(times.changedNoCache.at(-1))} (cache none) ${seconds(times.changedCache.at(-1))} (cache registry)`);
  }
} finally {
  registryProcess.kill();
  rmSync(work, { recursive: true, force: true });
}

const m = Object.fromEntries(Object.entries(times).map(([name, values]) => [name, median(values)]));
console.log(`\nmedians of ${RUNS} runs (Node ${(await run(node, ['--version'])).output.trim()} for the bundle):`);
console.log('| case | reference | action | ratio |');
console.log('| --- | --- | --- | --- |');
console.log(`| first build + push (cache none) | buildah bud + push ${seconds(m.floor)} | ${seconds(m.actionNoCache)} | ${(m.actionNoCache / m.floor).toFixed(2)}x of the floor (target at most 1.10x) |`);
console.log(`| first build + push (cache registry, the default) | buildah bud + push ${seconds(m.floor)} | ${seconds(m.actionCache)} | ${(m.actionCache / m.floor).toFixed(2)}x of the floor |`);
console.log(`| one source file changed, fresh runner | cache none ${seconds(m.changedNoCache)} | cache registry ${seconds(m.changedCache)} | ${(m.changedNoCache / m.changedCache).toFixed(2)}x faster with the cache |`);
console.log(`| re-deploy of an unchanged commit | fresh rebuild + push ${seconds(m.rebuild)} | promotion ${seconds(m.promotion)} | ${(m.rebuild / m.promotion).toFixed(1)}x faster (target under 2 s and at least 8x) |`);
