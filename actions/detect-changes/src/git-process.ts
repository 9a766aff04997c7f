/** Running git: one place that spawns it, shared by the Git wrapper and the prefetch. */
import { spawn } from 'node:child_process';
import { closeSync, fstatSync, openSync, readSync, rmSync } from 'node:fs';
import path from 'node:path';

export interface GitOutput {
  /** null when git could not be started or was killed. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `git <args>` in a directory (no shell), with paths printed verbatim.
 * `spool`: git writes its output to a file instead of a pipe. A pipe holds
 * 64 KB; a large diff started while Node is busy loading the bundle would stop
 * at that much and wait for the event loop to drain it, so the prefetch gives
 * git a file (in RUNNER_TEMP or the system temp directory, removed once read).
 */
export function startGit(directory: string, args: readonly string[], spool?: string): Promise<GitOutput> {
  const file = spool ? openSpool(spool) : undefined;
  return new Promise((resolve) => {
    // No terminal prompt: a fetch that needs credentials must fail, not wait for a password forever.
    const child = spawn('git', ['-c', 'core.quotepath=off', ...args], {
      cwd: directory,
      stdio: ['ignore', file ? file.fd : 'pipe', 'pipe'],
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
    });
    // Raw chunks, decoded once at the end: cheaper than a decoder per chunk for a large diff.
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error) => resolve({ exitCode: null, stdout: file ? file.close() : '', stderr: error.message }));
    child.on('close', (exitCode) => resolve({ exitCode, stdout: file ? file.close() : Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') }));
  });
}

/** A file for a child's output: its descriptor, and close() to read it whole and remove it; undefined (a pipe then) when it cannot be created. */
function openSpool(directory: string): { fd: number; close(): string } | undefined {
  const name = path.join(directory, `detect-changes-${process.pid}-${++spools}.out`);
  let fd: number;
  try {
    fd = openSync(name, 'wx+');
  } catch {
    return undefined;
  }
  let output: string | undefined;
  return {
    fd,
    // Once: a child that could not start reports both 'error' and 'close'.
    close() {
      if (output !== undefined) return output;
      try {
        const size = fstatSync(fd).size;
        const buffer = Buffer.allocUnsafe(size);
        let read = 0;
        while (read < size) read += readSync(fd, buffer, read, size - read, read);
        output = buffer.toString('utf8');
      } catch {
        output = '';
      } finally {
        closeSync(fd);
        rmSync(name, { force: true });
      }
      return output;
    },
  };
}
let spools = 0;

/** Git commands already started, keyed by directory and arguments; each result is used once. */
export class PrefetchedCommands {
  private readonly started = new Map<string, Promise<GitOutput>>();

  private static key(directory: string, args: readonly string[]): string {
    return [directory, ...args].join('\0');
  }

  /** `spool`: a directory for git's output file (see startGit), for a large output. */
  start(directory: string, args: readonly string[], spool?: string): void {
    this.started.set(PrefetchedCommands.key(directory, args), startGit(directory, args, spool));
  }

  take(directory: string, args: readonly string[]): Promise<GitOutput> | undefined {
    const key = PrefetchedCommands.key(directory, args);
    const output = this.started.get(key);
    this.started.delete(key);
    return output;
  }
}

/** The commands detection runs for the common ranges, in one place so a prefetch asks for exactly these. */
export const gitCommands = {
  isRepository: () => ['rev-parse', '--is-inside-work-tree'],
  resolveCommit: (ref: string) => ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`],
  mergeBase: (a: string, b: string) => ['merge-base', a, b],
  diffSinceMergeBase: (base: string, head: string) => ['diff', '--no-renames', '--name-status', '-z', `${base}...${head}`, '--'],
  diff: (base: string, head: string) => ['diff', '--no-renames', '--name-status', '-z', base, head, '--'],
};
