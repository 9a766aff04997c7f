/**
 * Service binaries are prerequisites, not optional extras: a missing one fails
 * the run with the command that installs it, never a silent skip.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, readdirSync } from 'node:fs';
import path from 'node:path';

export const INSTALL_HINTS: Record<string, string> = {
  moto_server: 'install moto with its server extras: pip install "moto[server]"',
  initdb: 'install the PostgreSQL server: apt-get install postgresql (Debian/Ubuntu) or brew install postgresql',
  pg_ctl: 'install the PostgreSQL server: apt-get install postgresql',
  postgres: 'install the PostgreSQL server: apt-get install postgresql',
  pg_dump: 'install the PostgreSQL client: apt-get install postgresql-client',
  psql: 'install the PostgreSQL client: apt-get install postgresql-client',
  git: 'install git: apt-get install git',
  aws: 'install the AWS CLI: pip install awscli',
  buildah: 'install buildah: apt-get install buildah (.ci/run does this as root)',
  'docker-registry': 'install the registry: apt-get install docker-registry (.ci/run does this as root)',
  skopeo: 'install skopeo: apt-get install skopeo (.ci/run does this as root)',
  busybox: 'install a static busybox (the base of the test images): apt-get install busybox-static (.ci/run does this as root)',
  openssl: 'install OpenSSL: apt-get install openssl',
  wrk: 'install wrk: apt-get install wrk',
};

/** Extra places a distribution keeps binaries that are not on PATH. */
function extraDirectories(): string[] {
  const roots = ['/usr/lib/postgresql'];
  const directories: string[] = [];
  for (const root of roots) {
    try {
      for (const version of readdirSync(root).sort().reverse()) directories.push(path.join(root, version, 'bin'));
    } catch {
      // not there: fine
    }
  }
  return directories;
}

/** The absolute path of a binary, or an error naming it and how to install it. */
export function requireBinary(name: string): string {
  for (const directory of [...(process.env.PATH ?? '').split(path.delimiter), ...extraDirectories()]) {
    if (!directory) continue;
    const candidate = path.join(directory, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  throw new Error(`"${name}" is needed by the tests and was not found on PATH. To install: ${INSTALL_HINTS[name] ?? `install ${name}`}`);
}

/** uid/gid of an unprivileged account to run servers that refuse root (PostgreSQL). */
export function unprivilegedUser(name = 'postgres'): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error(`running as root, PostgreSQL needs an unprivileged user "${name}" to run as: useradd --system ${name}`);
  }
}
