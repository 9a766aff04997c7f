/**
 * Local stand-ins for the third-party actions the suite's workflows pin by SHA: each does on this
 * machine what the real one does on a runner, and refuses any input it does not implement.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import picomatch from 'picomatch';
import { WorkflowError, unsupported, type Location } from './errors.js';

const run = promisify(execFile);

export interface StandInContext {
  inputs: Record<string, string>;
  workspace: string;
  /** The local git repository that stands in for github.com/<repository>. */
  repository: string;
  repositoryName: string;
  sha: string;
  ref: string;
  aws?: Record<string, string>;
  artifacts: string;
  print(line: string): void;
  mask(value: string): void;
  location: Location;
}

export interface StandInResult {
  outputs: Record<string, string>;
  exportedEnv: Record<string, string>;
  /** Folders added to PATH for the later steps (as GITHUB_PATH does). */
  paths?: string[];
}

interface StandIn {
  /** Inputs the stand-in implements; any other input given stops the run. */
  inputs: string[];
  /** Inputs accepted and deliberately without effect here (credentials, caching); named in the log. */
  inert?: string[];
  run(context: StandInContext): Promise<StandInResult>;
}

const none: StandInResult = { outputs: {}, exportedEnv: {} };

async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', ['-c', 'advice.detachedHead=false', '-c', 'protocol.file.allow=always', ...args], { cwd, maxBuffer: 64 * 1024 * 1024 });
  return stdout.trim();
}

const checkout: StandIn = {
  inputs: ['repository', 'ref', 'path', 'fetch-depth', 'fetch-tags', 'clean', 'sparse-checkout', 'sparse-checkout-cone-mode'],
  inert: ['token', 'persist-credentials', 'ssh-key', 'show-progress', 'set-safe-directory'],
  async run(context) {
    const { inputs } = context;
    if (inputs.repository && inputs.repository !== context.repositoryName) {
      throw unsupported(`actions/checkout of another repository (${inputs.repository})`, context.location);
    }
    const target = path.resolve(context.workspace, inputs.path || '.');
    if (target !== context.workspace && !target.startsWith(context.workspace + path.sep)) throw new WorkflowError(`actions/checkout: path ${inputs.path} leaves the workspace`, context.location);
    const depth = Number(inputs['fetch-depth'] || '1');
    if (!Number.isInteger(depth) || depth < 0) throw new WorkflowError(`actions/checkout: fetch-depth is ${inputs['fetch-depth']}: expected a whole number`, context.location);
    const ref = inputs.ref || context.sha;
    if (inputs.clean !== 'false' && existsSync(target)) for (const entry of readdirSync(target)) rmSync(path.join(target, entry), { recursive: true, force: true });
    mkdirSync(target, { recursive: true });
    const url = `file://${context.repository}`;
    await git(target, 'init', '-q');
    await git(target, 'remote', 'add', 'origin', url);
    const deepen = depth > 0 ? [`--depth=${depth}`] : [];
    const tags = inputs['fetch-tags'] === 'true' || depth === 0 ? ['--tags'] : ['--no-tags'];
    if (depth === 0) await git(target, 'fetch', '-q', ...tags, 'origin', '+refs/heads/*:refs/remotes/origin/*');
    // A branch or tag name, a full ref or a commit SHA, as actions/checkout accepts them.
    const branch = ref.replace(/^refs\/heads\//, '');
    const isSha = /^[0-9a-f]{40}$/.test(ref);
    await git(target, 'fetch', '-q', ...deepen, ...(depth === 0 ? [] : tags), 'origin', isSha || ref.startsWith('refs/') ? ref : branch);
    const commit = await git(target, 'rev-parse', 'FETCH_HEAD');
    const sparse = (inputs['sparse-checkout'] ?? '').split('\n').map((line) => line.trim()).filter(Boolean);
    if (sparse.length > 0) await git(target, 'sparse-checkout', 'set', inputs['sparse-checkout-cone-mode'] === 'false' ? '--no-cone' : '--cone', ...sparse);
    if (!isSha && (ref.startsWith('refs/heads/') || !ref.startsWith('refs/'))) {
      const isBranch = (await git(context.repository, 'branch', '--list', branch)) !== '';
      if (isBranch) {
        await git(target, 'checkout', '-q', '-B', branch, commit);
        context.print(`Checked out ${context.repositoryName}@${branch} (${commit.slice(0, 7)}) into ${path.relative(context.workspace, target) || '.'}`);
        return none;
      }
    }
    await git(target, 'checkout', '-q', '--detach', commit);
    context.print(`Checked out ${context.repositoryName}@${ref} (${commit.slice(0, 7)}) into ${path.relative(context.workspace, target) || '.'}${depth > 0 ? `, depth ${depth}` : ''}`);
    return none;
  },
};

const configureAwsCredentials: StandIn = {
  inputs: ['aws-region', 'role-to-assume', 'aws-access-key-id', 'aws-secret-access-key', 'aws-session-token', 'role-session-name', 'role-duration-seconds', 'mask-aws-account-id', 'output-credentials'],
  inert: ['audience', 'role-skip-session-tagging', 'web-identity-token-file', 'retry-max-attempts', 'unset-current-credentials', 'disable-retry', 'special-characters-workaround'],
  async run(context) {
    if (!context.aws) {
      throw new WorkflowError('aws-actions/configure-aws-credentials: the local runner has no AWS environment to hand out (LocalRunOptions.aws, e.g. moto\'s endpoint and keys)', context.location);
    }
    const region = context.inputs['aws-region'];
    if (!region) throw new WorkflowError('aws-actions/configure-aws-credentials: input aws-region is required', context.location);
    const exportedEnv: Record<string, string> = { ...context.aws, AWS_REGION: region, AWS_DEFAULT_REGION: region };
    for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) if (exportedEnv[key]) context.mask(exportedEnv[key]);
    const role = context.inputs['role-to-assume'];
    context.print(`AWS credentials for ${region}${role ? ` (role ${role} stands in as the local keys)` : ''}${context.aws.AWS_ENDPOINT_URL ? ` at ${context.aws.AWS_ENDPOINT_URL}` : ''}`);
    const outputs: Record<string, string> = { 'aws-account-id': context.aws.AWS_ACCOUNT_ID ?? '123456789012' };
    if (context.inputs['output-credentials'] === 'true') {
      outputs['aws-access-key-id'] = exportedEnv.AWS_ACCESS_KEY_ID ?? '';
      outputs['aws-secret-access-key'] = exportedEnv.AWS_SECRET_ACCESS_KEY ?? '';
    }
    return { outputs, exportedEnv };
  },
};

function artifactPaths(context: StandInContext): string[] {
  const paths = (context.inputs.path ?? '').split('\n').map((line) => line.trim()).filter(Boolean);
  for (const entry of paths) if (/[*?[\]!]/.test(entry)) throw unsupported(`actions/upload-artifact path pattern "${entry}" (globs)`, context.location);
  return paths;
}

const uploadArtifact: StandIn = {
  inputs: ['name', 'path', 'if-no-files-found', 'overwrite'],
  inert: ['retention-days', 'compression-level', 'include-hidden-files'],
  async run(context) {
    const name = context.inputs.name || 'artifact';
    const destination = path.join(context.artifacts, name);
    if (existsSync(destination) && context.inputs.overwrite !== 'true') throw new WorkflowError(`actions/upload-artifact: an artifact named ${name} already exists in this run (set overwrite: true)`, context.location);
    rmSync(destination, { recursive: true, force: true });
    const found = artifactPaths(context).map((entry) => path.resolve(context.workspace, entry)).filter((entry) => existsSync(entry));
    if (found.length === 0) {
      const policy = context.inputs['if-no-files-found'] || 'warn';
      const message = `No files were found with the provided path: ${context.inputs.path}. No artifacts will be uploaded.`;
      if (policy === 'error') throw new WorkflowError(`actions/upload-artifact: ${message}`, context.location);
      if (policy === 'warn') context.print(`::warning::${message}`);
      return none;
    }
    mkdirSync(destination, { recursive: true });
    // One path keeps its own layout (a folder's contents, or the file); several keep theirs relative to their common folder.
    const base = found.length === 1 ? (statSync(found[0]!).isDirectory() ? found[0]! : path.dirname(found[0]!)) : commonFolder(found);
    for (const entry of found) cpSync(entry, path.join(destination, path.relative(base, entry)), { recursive: true });
    context.print(`Artifact ${name} uploaded to ${destination}`);
    return { outputs: { 'artifact-id': name, 'artifact-url': `file://${destination}` }, exportedEnv: {} };
  },
};

function commonFolder(paths: string[]): string {
  let common = path.dirname(paths[0]!);
  while (!paths.every((entry) => entry.startsWith(common + path.sep))) common = path.dirname(common);
  return common;
}

const downloadArtifact: StandIn = {
  inputs: ['name', 'path', 'pattern', 'merge-multiple'],
  inert: ['github-token'],
  async run(context) {
    const { inputs } = context;
    const destination = path.resolve(context.workspace, inputs.path || '.');
    if (inputs.name) {
      const source = path.join(context.artifacts, inputs.name);
      if (!existsSync(source)) throw new WorkflowError(`actions/download-artifact: Artifact not found for name: ${inputs.name}`, context.location);
      cpSync(source, destination, { recursive: true });
      context.print(`Downloaded artifact ${inputs.name} to ${destination}`);
      return { outputs: { 'download-path': destination }, exportedEnv: {} };
    }
    // Without a name: every artifact of the run (those matching `pattern`), each in its own folder
    // unless merge-multiple puts their files together.
    const isWanted = inputs.pattern ? picomatch(inputs.pattern) : () => true;
    const names = (existsSync(context.artifacts) ? readdirSync(context.artifacts) : []).filter((name) => isWanted(name)).sort();
    const merge = inputs['merge-multiple'] === 'true';
    for (const name of names) cpSync(path.join(context.artifacts, name), merge ? destination : path.join(destination, name), { recursive: true });
    context.print(`Downloaded ${names.length} artifact(s)${names.length > 0 ? ` (${names.join(', ')})` : ''} to ${destination}`);
    return { outputs: { 'download-path': destination }, exportedEnv: {} };
  },
};

/** The major[.minor] a version spec asks for ('24', '24.x', 'v20.1', '3.11'), or undefined for any. */
function wantedVersion(spec: string): string | undefined {
  const trimmed = spec.trim().replace(/^v/, '').replace(/\.x$/, '');
  return trimmed === '' || ['lts/*', 'latest', 'current', 'node', 'stable'].includes(trimmed) ? undefined : trimmed;
}

function satisfies(installed: string, wanted: string | undefined): boolean {
  return wanted === undefined || installed === wanted || installed.startsWith(`${wanted}.`);
}

const setupNode: StandIn = {
  inputs: ['node-version'],
  inert: ['cache', 'cache-dependency-path', 'registry-url', 'always-auth', 'check-latest', 'token', 'scope', 'architecture'],
  async run(context) {
    const wanted = wantedVersion(context.inputs['node-version'] ?? '');
    // The node on PATH, or the action Node (ACTION_NODE, e.g. Node 24 for the bundles), whichever fits.
    const candidates = ['node', ...(process.env.ACTION_NODE ? [process.env.ACTION_NODE] : [])];
    for (const candidate of candidates) {
      const { stdout } = await run(candidate, ['--version']).catch(() => ({ stdout: '' }));
      const installed = stdout.trim().replace(/^v/, '');
      if (installed && satisfies(installed, wanted)) {
        context.print(`Node ${installed} (${candidate}) satisfies node-version ${context.inputs['node-version'] || '(unset)'}`);
        return { outputs: { 'node-version': `v${installed}` }, exportedEnv: {}, paths: candidate === 'node' ? [] : [path.dirname(candidate)] };
      }
    }
    throw new WorkflowError(`actions/setup-node: node-version ${context.inputs['node-version']} is not installed here (neither node on PATH nor ACTION_NODE); the stand-in installs nothing`, context.location);
  },
};

const setupPython: StandIn = {
  inputs: ['python-version'],
  inert: ['cache', 'cache-dependency-path', 'check-latest', 'token', 'architecture', 'update-environment', 'allow-prereleases', 'freethreaded'],
  async run(context) {
    const wanted = wantedVersion(context.inputs['python-version'] ?? '');
    const { stdout, stderr } = await run('python3', ['--version']).catch(() => ({ stdout: '', stderr: '' }));
    const installed = `${stdout}${stderr}`.trim().replace(/^Python /, '');
    if (!installed || !satisfies(installed, wanted)) {
      throw new WorkflowError(`actions/setup-python: python-version ${context.inputs['python-version']} is not installed here (python3 is ${installed || 'missing'}); the stand-in installs nothing`, context.location);
    }
    context.print(`Python ${installed} (python3 on PATH) satisfies python-version ${context.inputs['python-version'] || '(unset)'}`);
    return { outputs: { 'python-version': installed, 'python-path': 'python3' }, exportedEnv: {} };
  },
};

export const STAND_INS: Record<string, StandIn> = {
  'actions/checkout': checkout,
  'aws-actions/configure-aws-credentials': configureAwsCredentials,
  'actions/upload-artifact': uploadArtifact,
  'actions/download-artifact': downloadArtifact,
  'actions/setup-node': setupNode,
  'actions/setup-python': setupPython,
};

export async function runStandIn(name: string, context: StandInContext): Promise<StandInResult> {
  const standIn = STAND_INS[name];
  if (!standIn) throw unsupported(`the action ${name} (no local stand-in; stand-ins: ${Object.keys(STAND_INS).join(', ')})`, context.location);
  for (const input of Object.keys(context.inputs)) {
    if (!standIn.inputs.includes(input) && !standIn.inert?.includes(input)) throw unsupported(`input "${input}" of the ${name} stand-in`, context.location);
  }
  const inert = Object.keys(context.inputs).filter((input) => standIn.inert?.includes(input));
  if (inert.length > 0) context.print(`(${name} stand-in: ${inert.join(', ')} ha${inert.length === 1 ? 's' : 've'} no effect locally)`);
  return standIn.run(context);
}
