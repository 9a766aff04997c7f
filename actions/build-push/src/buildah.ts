/**
 * buildah as the builder: no daemon, root or rootless, chroot isolation and vfs
 * storage in a root under RUNNER_TEMP (unless the user configured storage;
 * the runner empties RUNNER_TEMP after the job, and later steps of the job
 * reuse the layers), Docker v2 manifests, build secrets as secret mounts, and the layer
 * cache kept in the registry. skopeo pushes what it built (both are on GitHub's
 * Ubuntu runners).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '@deploy-suite/kit';
import { runCommand, type CommandResult } from './exec.js';
import { FAILURE_TAIL_LINES } from './constants.js';
import { withLabels } from './dockerfile.js';
import type { ImageSpec } from './images.js';
import type { Credentials } from './registry.js';

export type Version = [number, number, number];

/** `--secret id=X,env=NAME` arrived in buildah 1.28 (older ones take src=file only). */
const SECRET_ENV_SINCE: Version = [1, 28, 0];
/** `--cache-from/--cache-to` with a registry repository arrived in buildah 1.27. */
const REGISTRY_CACHE_SINCE: Version = [1, 27, 0];

export interface BuildRequest {
  image: ImageSpec;
  /** The first reference it will be pushed as (`host/repo:tag`). */
  reference: string;
  labels: Map<string, string>;
  /** Secret id → the environment variable holding it. */
  secrets: Map<string, string>;
  /** `host/repository` of the layer cache, or undefined for none. */
  cacheRepository?: string | undefined;
  /** Write the cache too (needs push access), not only read it. */
  cachePush: boolean;
  plainHttp: boolean;
  signal?: AbortSignal;
}

export interface BuildFailure {
  /** The instruction that failed, as the builder printed it (`RUN make`). */
  instruction?: string;
  tail: string[];
  exitCode: number;
  timedOut: boolean;
}

export class BuildError extends Error {
  override readonly name = 'BuildError';
  constructor(
    message: string,
    readonly failure: BuildFailure,
  ) {
    super(message);
  }
}

export function compareVersions(a: Version, b: Version): number {
  for (let index = 0; index < 3; index++) if (a[index] !== b[index]) return (a[index] as number) - (b[index] as number);
  return 0;
}

export function parseVersion(text: string): Version | undefined {
  const match = /version\s+v?(\d+)\.(\d+)\.(\d+)/i.exec(text);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

/** The instruction of the last `STEP n/m: ...` line, or of buildah's `building at STEP "..."` error. */
export function failedInstruction(lines: readonly string[]): string | undefined {
  for (let index = lines.length - 1; index >= 0; index--) {
    const line = lines[index] as string;
    const error = /building at STEP "(.*)"/.exec(line);
    if (error) return error[1];
  }
  for (let index = lines.length - 1; index >= 0; index--) {
    const step = /^STEP \d+\/\d+: (.*)$/.exec(lines[index] as string);
    if (step) return step[1];
  }
  return undefined;
}

/** Whether a failed push is worth another attempt: a 5xx or 429, a dropped or refused connection, a timeout. */
export function isTransientPushFailure(output: string): boolean {
  return /\b(?:50[0-4]|429)\b|TOOMANYREQUESTS|connection reset|broken pipe|unexpected EOF|\bEOF\b|i\/o timeout|timeout|connection refused|server misbehaving|Service Unavailable|Bad Gateway|Internal Server Error/i.test(output);
}

export class Buildah {
  readonly name = 'buildah';
  private readonly globalArgs: string[];
  private readonly work: string;
  private readonly authfile: string;
  private version: Version = [0, 0, 0];

  constructor(
    runnerTemp: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly log: Logger,
  ) {
    mkdirSync(runnerTemp, { recursive: true });
    this.work = mkdtempSync(path.join(runnerTemp, 'build-push-'));
    this.authfile = path.join(this.work, 'auth.json');
    // Created empty, owner-only, before any login writes to it; buildah refuses a missing one.
    writeFileSync(this.authfile, '{"auths":{}}', { mode: 0o600 });
    // The user's own storage configuration wins; otherwise a root in RUNNER_TEMP, shared by the job's steps.
    const configured = env.STORAGE_DRIVER || env.CONTAINERS_STORAGE_CONF || env.BUILDAH_ROOT;
    const storage = path.join(runnerTemp, 'build-push-storage');
    this.globalArgs = configured ? [] : ['--root', path.join(storage, 'root'), '--runroot', path.join(storage, 'run'), '--storage-driver', 'vfs'];
  }

  /** Where the layers are kept, for the log. */
  get storageDescription(): string {
    return this.globalArgs.length > 0 ? `vfs storage in ${this.globalArgs[1]}` : 'the storage configured in the environment';
  }

  /** Where a run keeps its auth file and build files; removed by cleanup() (and the post step). */
  get workDirectory(): string {
    return this.work;
  }

  async checkVersion(): Promise<Version> {
    const result = await runCommand('buildah', ['--version'], { env: this.env }).catch(() => undefined);
    const version = result?.exitCode === 0 ? parseVersion(result.output) : undefined;
    if (!version) throw new Error('buildah is not installed (apt-get install buildah), or does not run');
    const skopeo = await runCommand('skopeo', ['--version'], { env: this.env }).catch(() => undefined);
    if (skopeo?.exitCode !== 0) throw new Error('skopeo, which pushes what buildah built, is not installed (apt-get install skopeo), or does not run');
    this.version = version;
    return version;
  }

  /** Logs in with the password on stdin; the credentials go to this run's auth file only. */
  async login(host: string, credentials: Credentials, plainHttp: boolean): Promise<void> {
    const args = ['login', '--authfile', this.authfile, '--username', credentials.username, '--password-stdin', ...(plainHttp ? ['--tls-verify=false'] : []), host];
    const result = await runCommand('buildah', args, { env: this.env, input: credentials.password });
    if (result.exitCode !== 0) throw new Error(`logging in to ${host} as ${credentials.username} failed: ${lastMeaningful(result).replace(/^logging into "[^"]*": /, '')}`);
  }

  buildArguments(request: BuildRequest, dockerfile: string, iidfile: string, secretFiles: Map<string, string>): string[] {
    const { image } = request;
    const args = [...this.globalArgs, 'build', '--format', 'docker', '--layers', '--file', dockerfile, '--iidfile', iidfile, '--tag', request.reference];
    if (!this.env.BUILDAH_ISOLATION) args.push('--isolation', 'chroot');
    if (image.target) args.push('--target', image.target);
    if (image.platform) args.push('--platform', image.platform);
    for (const [key, value] of image.buildArgs) args.push('--build-arg', `${key}=${value}`);
    for (const [id, variable] of request.secrets) {
      const file = secretFiles.get(id);
      args.push('--secret', file ? `id=${id},src=${file}` : `id=${id},env=${variable}`);
    }
    args.push('--authfile', this.authfile);
    if (request.plainHttp) args.push('--tls-verify=false');
    if (request.cacheRepository && compareVersions(this.version, REGISTRY_CACHE_SINCE) >= 0) {
      args.push('--cache-from', request.cacheRepository);
      if (request.cachePush) args.push('--cache-to', request.cacheRepository);
    }
    args.push(image.context);
    return args;
  }

  /** Builds the image; returns its local id. A failure carries the failing instruction and the output's tail. */
  async build(request: BuildRequest): Promise<string> {
    if (request.cacheRepository && compareVersions(this.version, REGISTRY_CACHE_SINCE) < 0) {
      this.log.warning(`buildah ${this.version.join('.')} cannot keep a layer cache in a registry (1.27 or later can); building without it`);
    }
    const iidfile = path.join(this.work, `${request.image.name}.iid`);
    // The labels as one instruction in a copy of the Dockerfile (see dockerfile.ts); the context stays where it is.
    const dockerfile = path.join(this.work, `${request.image.name}.Dockerfile`);
    writeFileSync(dockerfile, withLabels(readFileSync(request.image.dockerfile, 'utf8'), request.labels, request.image.target) ?? readFileSync(request.image.dockerfile, 'utf8'));
    const secretFiles = this.secretFiles(request);
    try {
      const result = await runCommand('buildah', this.buildArguments(request, dockerfile, iidfile, secretFiles), { env: this.env, onLine: this.log.info, signal: request.signal, tail: 200 });
      if (result.exitCode !== 0 || result.timedOut) {
        const failure: BuildFailure = { tail: result.lines.slice(-FAILURE_TAIL_LINES), exitCode: result.exitCode, timedOut: result.timedOut };
        const instruction = failedInstruction(result.lines);
        if (instruction !== undefined) failure.instruction = instruction;
        const what = result.timedOut ? `was stopped at its time limit (input "timeout")${instruction ? ` during ${instruction}` : ''}` : instruction ? `failed at ${instruction}` : `failed (exit ${result.exitCode})`;
        throw new BuildError(`building image "${request.image.name}" ${what}: ${lastMeaningful(result)}`, failure);
      }
      return readFileSync(iidfile, 'utf8').trim();
    } finally {
      for (const file of secretFiles.values()) rmSync(file, { force: true });
    }
  }

  /** Before 1.28 a secret can only come from a file: written 0600 in this run's directory, removed after the build. */
  private secretFiles(request: BuildRequest): Map<string, string> {
    const files = new Map<string, string>();
    if (compareVersions(this.version, SECRET_ENV_SINCE) >= 0) return files;
    for (const [id, variable] of request.secrets) {
      const file = path.join(this.work, `secret-${request.image.name}-${id}`);
      writeFileSync(file, this.env[variable] ?? '', { mode: 0o600 });
      files.set(id, file);
    }
    return files;
  }

  /**
   * Pushes one tag as a Docker v2 manifest with skopeo, reading buildah's storage; returns the manifest digest.
   * Not `buildah push`: buildah 1.28 retries three times on its own whatever `--retry` says, which would
   * multiply the attempts the `retries` input promises. skopeo makes one attempt.
   */
  async push(imageId: string, reference: string, plainHttp: boolean, signal?: AbortSignal): Promise<string> {
    return this.copyToRegistry(`${this.storageTransport()}${imageId.replace(/^sha256:/, '')}`, reference, plainHttp, signal);
  }

  /** Pushes an OCI archive written by `saveArchive` (on another runner, without registry credentials). */
  async pushArchive(file: string, reference: string, plainHttp: boolean, signal?: AbortSignal): Promise<string> {
    return this.copyToRegistry(`oci-archive:${file}`, reference, plainHttp, signal);
  }

  /** Writes a built image to an OCI archive, for a later job to push. */
  async saveArchive(imageId: string, file: string, signal?: AbortSignal): Promise<void> {
    mkdirSync(path.dirname(file), { recursive: true });
    rmSync(file, { force: true });
    const result = await runCommand('skopeo', ['copy', '--quiet', `${this.storageTransport()}${imageId.replace(/^sha256:/, '')}`, `oci-archive:${file}`], { env: this.env, signal, tail: 20 });
    if (result.exitCode !== 0 || result.timedOut) throw new Error(`writing the archive ${file} failed: ${result.timedOut ? 'timed out' : lastMeaningful(result)}`);
  }

  private async copyToRegistry(source: string, reference: string, plainHttp: boolean, signal?: AbortSignal): Promise<string> {
    const digestfile = path.join(this.work, `${createHash('sha256').update(source).digest('hex').slice(0, 12)}.digest`);
    const args = ['copy', '--quiet', '--retry-times', '0', '--format', 'v2s2', '--digestfile', digestfile, '--dest-authfile', this.authfile, ...(plainHttp ? ['--dest-tls-verify=false'] : []), source, `docker://${reference}`];
    const result = await runCommand('skopeo', args, { env: this.env, signal, tail: 40 });
    // The registry's answer follows skopeo's account of what it was copying where.
    const reason = lastMeaningful(result).replace(/^(?:copying system image from manifest list: )?(?:trying to reuse blob \S+ at destination: )?/, '');
    if (result.exitCode !== 0 || result.timedOut) throw new PushError(result.timedOut ? 'the push was stopped at its time limit (input "timeout")' : reason, !result.timedOut && isTransientPushFailure(result.output));
    return readFileSync(digestfile, 'utf8').trim();
  }

  /** `containers-storage:` with this run's root, or the user's configured storage. */
  private storageTransport(): string {
    const [, root, , runroot, , driver] = this.globalArgs;
    return this.globalArgs.length > 0 ? `containers-storage:[${driver}@${root}+${runroot}]` : 'containers-storage:';
  }

  async cleanup(): Promise<void> {
    rmSync(this.work, { recursive: true, force: true, maxRetries: 3 });
  }
}

export class PushError extends Error {
  override readonly name = 'PushError';
  constructor(
    message: string,
    readonly transient: boolean,
  ) {
    super(message);
  }
}

/** The builder's own last error line (`Error: ...`, skopeo's `level=fatal msg="..."`), else the last non-empty line. */
function lastMeaningful(result: CommandResult): string {
  const lines = result.lines
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const fatal = /level=fatal msg="((?:[^"\\]|\\.)*)"/.exec(line);
      return fatal ? `Error: ${(fatal[1] as string).replace(/\\(.)/g, '$1')}` : line;
    });
  const error = [...lines].reverse().find((line) => /^(?:Error|error):/.test(line));
  return (error ?? lines.at(-1) ?? `exit code ${result.exitCode}`).replace(/^(?:Error|error):\s*/, '');
}
