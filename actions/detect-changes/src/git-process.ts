/** Running git: one place that spawns it, shared by the Git wrapper and the prefetch. */
import { spawn } from 'node:child_process';

export interface GitOutput {
  /** null when git could not be started or was killed. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `git <args>` in a directory (no shell), with paths printed verbatim. */
export function startGit(directory: string, args: readonly string[]): Promise<GitOutput> {
  return new Promise((resolve) => {
    // No terminal prompt: a fetch that needs credentials must fail, not wait for a password forever.
    const child = spawn('git', ['-c', 'core.quotepath=off', ...args], {
      cwd: directory,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
    });
    // Raw chunks, decoded once at the end: cheaper than a decoder per chunk for a large diff.
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error) => resolve({ exitCode: null, stdout: '', stderr: error.message }));
    child.on('close', (exitCode) => resolve({ exitCode, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') }));
  });
}

/** Git commands already started, keyed by directory and arguments; each result is used once. */
export class PrefetchedCommands {
  private readonly started = new Map<string, Promise<GitOutput>>();

  private static key(directory: string, args: readonly string[]): string {
    return [directory, ...args].join('\0');
  }

  start(directory: string, args: readonly string[]): void {
    this.started.set(PrefetchedCommands.key(directory, args), startGit(directory, args));
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
  resolveCommit: (ref: string) => ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`],
  mergeBase: (a: string, b: string) => ['merge-base', a, b],
  diffSinceMergeBase: (base: string, head: string) => ['diff', '--no-renames', '--name-status', '-z', `${base}...${head}`, '--'],
  diff: (base: string, head: string) => ['diff', '--no-renames', '--name-status', '-z', base, head, '--'],
};
