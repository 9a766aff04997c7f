/**
 * Images without Docker and without the internet: a build context whose
 * Dockerfile starts `FROM scratch` and copies in a static busybox (the shell and
 * tools its RUN steps use), and `skopeo inspect` to read back what a registry holds.
 * The action keeps buildah's storage in a root under its RUNNER_TEMP, which the
 * harness makes fresh for every run: each run is a fresh runner.
 */
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { requireBinary } from './binaries.js';

const run = promisify(execFile);

/** The first lines of every test Dockerfile: a busybox-static base built from scratch. */
export const BUSYBOX_BASE = ['FROM scratch', 'COPY busybox /bin/busybox', 'RUN ["/bin/busybox", "--install", "-s", "/bin"]'];

let busyboxPath: string | undefined;

/** The static busybox binary; a dynamically linked one cannot run in a `FROM scratch` image. */
export function staticBusybox(): string {
  if (busyboxPath) return busyboxPath;
  const binary = requireBinary('busybox');
  let ldd = '';
  try {
    ldd = execFileSync('ldd', [binary], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    // ldd exits 1 for a static binary, saying so.
    ldd = `${(error as { stdout?: string }).stdout ?? ''}${(error as { stderr?: string }).stderr ?? ''}`;
  }
  if (!/not a dynamic executable|statically linked/.test(ldd)) {
    throw new Error(`${binary} is dynamically linked; the test images need a static one: apt-get install busybox-static`);
  }
  busyboxPath = binary;
  return binary;
}

/**
 * Writes a build context into `directory`: busybox, a Dockerfile of the busybox base plus `steps`,
 * and any `files` (relative path → content). Returns the directory.
 */
export function writeBusyboxContext(directory: string, steps: readonly string[] = [], files: Record<string, string> = {}, dockerfileName = 'Dockerfile'): string {
  mkdirSync(directory, { recursive: true });
  copyFileSync(staticBusybox(), path.join(directory, 'busybox'));
  writeFileSync(path.join(directory, dockerfileName), `${[...BUSYBOX_BASE, ...steps].join('\n')}\n`);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(directory, name)), { recursive: true });
    writeFileSync(path.join(directory, name), content);
  }
  return directory;
}

export function requireBuildTools(): void {
  for (const binary of ['buildah', 'skopeo', 'docker-registry']) requireBinary(binary);
  staticBusybox();
}

/** `skopeo inspect` of a reference on a plain-HTTP registry: `raw` gives the manifest, `config` the image config. */
export async function skopeoInspect(reference: string, what: 'info' | 'raw' | 'config' = 'info', credentials?: { username: string; password: string }): Promise<Record<string, unknown>> {
  const args = ['inspect', '--tls-verify=false', ...(what === 'raw' ? ['--raw'] : what === 'config' ? ['--config'] : [])];
  if (credentials) args.push('--creds', `${credentials.username}:${credentials.password}`);
  const { stdout } = await run(requireBinary('skopeo'), [...args, `docker://${reference}`], { maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(stdout) as Record<string, unknown>;
}
