/**
 * The few git commands detection needs, run with execFile (no shell, so no
 * quoting issues with refs or paths). Output is NUL-separated (-z) so any
 * file name survives; renames are off so a rename is a delete plus an add,
 * as dorny/paths-filter reports them.
 */
import type { ChangeStatus } from './constants.js';
import { ActionFailure } from '@deploy-suite/kit';
import type { ChangedFile } from './filters.js';
import { gitCommands, startGit, type PrefetchedCommands } from './git-process.js';

export class GitError extends Error {
  override readonly name = 'GitError';
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`git ${args.join(' ')} failed (exit ${exitCode}): ${stderr.trim().split('\n').slice(-3).join(' ')}`);
  }
}

const STATUS_BY_LETTER: Record<string, ChangeStatus> = {
  A: 'added',
  C: 'copied',
  D: 'deleted',
  M: 'modified',
  R: 'renamed',
  T: 'modified',
  U: 'unmerged',
  X: 'modified',
};

/**
 * Parses complete `git diff --name-status -z` output: a status, then the path
 * (two paths, old and new, for a rename or copy), each ended by NUL. A loop of
 * indexOf, not split: a large change is parsed on a cold process.
 */
export function parseNameStatus(output: string): ChangedFile[] {
  const files: ChangedFile[] = [];
  let at = 0;
  for (;;) {
    const statusEnd = output.indexOf('\0', at);
    if (statusEnd <= at) break;
    const letter = output.charAt(at);
    let nameStart = statusEnd + 1;
    let nameEnd = output.indexOf('\0', nameStart);
    // With renames off these do not occur; keep the new name if they ever do.
    if ((letter === 'R' || letter === 'C') && nameEnd !== -1) {
      nameStart = nameEnd + 1;
      nameEnd = output.indexOf('\0', nameStart);
    }
    if (nameEnd === -1) break;
    files.push({ filename: output.slice(nameStart, nameEnd), status: STATUS_BY_LETTER[letter] ?? 'modified' });
    at = nameEnd + 1;
  }
  return files;
}

const UNREACHABLE_REMOTE = /could not read from remote|unable to access|does not appear to be a git repository|connection refused|could not resolve host|authentication failed|timed out/i;

export class Git {
  /** Resolved commits: a ref that named a commit once still does within one run. */
  private readonly commits = new Map<string, string>();

  constructor(
    readonly directory: string,
    private readonly log: (line: string) => void = () => {},
    private readonly prefetched?: PrefetchedCommands,
  ) {}

  /** Runs git (or adopts the same command already started by the prefetch); rejects with GitError on failure. */
  async run(args: readonly string[]): Promise<string> {
    const prefetched = this.prefetched?.take(this.directory, args);
    let output = await (prefetched ?? startGit(this.directory, args));
    // The prefetch ran before any fetch of this run: a commit it lacked (`bad object`) may be here now.
    if (prefetched && output.exitCode !== 0) output = await startGit(this.directory, args);
    if (output.exitCode !== 0) throw new GitError(args, output.exitCode, output.stderr);
    return output.stdout;
  }

  /** Like run, but undefined instead of an error (for probes). */
  async tryRun(args: readonly string[]): Promise<string | undefined> {
    try {
      return await this.run(args);
    } catch (error) {
      if (error instanceof GitError) return undefined;
      throw error;
    }
  }

  async isRepository(): Promise<boolean> {
    return (await this.tryRun(gitCommands.isRepository()))?.trim() === 'true';
  }

  /** The commit SHA a ref or SHA names locally, or undefined. */
  async resolveCommit(ref: string): Promise<string | undefined> {
    const known = this.commits.get(ref);
    if (known) return known;
    const commit = (await this.tryRun(gitCommands.resolveCommit(ref)))?.trim() || undefined;
    // FETCH_HEAD moves with every fetch: never cache it.
    if (commit && ref !== 'FETCH_HEAD') this.commits.set(ref, commit);
    return commit;
  }

  async isShallow(): Promise<boolean> {
    return (await this.run(['rev-parse', '--is-shallow-repository'])).trim() === 'true';
  }

  async hasRemote(remote: string): Promise<boolean> {
    return (await this.tryRun(['remote', 'get-url', remote])) !== undefined;
  }

  /** Fetches refs or SHAs from the remote; false when the remote does not have them. */
  async fetch(remote: string, refspecs: readonly string[], options: { depth?: number; deepen?: number; unshallow?: boolean } = {}): Promise<boolean> {
    const args = ['fetch', '--no-tags', '--quiet', '--no-recurse-submodules'];
    if (options.unshallow) args.push('--unshallow');
    else if (options.deepen) args.push(`--deepen=${options.deepen}`);
    else if (options.depth) args.push(`--depth=${options.depth}`);
    args.push(remote, ...refspecs);
    this.log(`git ${args.join(' ')}`);
    try {
      await this.run(args);
      return true;
    } catch (error) {
      if (!(error instanceof GitError)) throw error;
      // A ref the remote lacks is an answer; a remote we cannot reach is a failure to report as such.
      if (UNREACHABLE_REMOTE.test(error.stderr)) {
        const reason = error.stderr.trim().split('\n').find((line) => UNREACHABLE_REMOTE.test(line)) ?? error.stderr.trim();
        throw new ActionFailure(
          `cannot fetch from ${remote} to find the commits to compare: ${reason.replace(/^fatal: /, '')}; check the network and the checkout's credentials, or check out enough history (actions/checkout fetch-depth: 0)`,
        );
      }
      return false;
    }
  }

  async mergeBase(a: string, b: string): Promise<string | undefined> {
    return (await this.tryRun(gitCommands.mergeBase(a, b)))?.trim() || undefined;
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    return (await this.tryRun(['merge-base', '--is-ancestor', ancestor, descendant])) !== undefined;
  }

  /** `git diff base...head`: the changes since their merge base, or undefined when there is none here (a shallow clone). */
  async diffSinceMergeBase(base: string, head: string): Promise<ChangedFile[] | undefined> {
    const output = await this.tryRun(gitCommands.diffSinceMergeBase(base, head));
    return output === undefined ? undefined : parseNameStatus(output);
  }

  /** `git diff base head`, or undefined when git cannot (a commit missing here). */
  async tryDiff(base: string, head: string): Promise<ChangedFile[] | undefined> {
    const output = await this.tryRun(gitCommands.diff(base, head));
    return output === undefined ? undefined : parseNameStatus(output);
  }

  async diff(base: string, head: string): Promise<ChangedFile[]> {
    return parseNameStatus(await this.run(gitCommands.diff(base, head)));
  }

  /** Uncommitted changes: the working tree and index against HEAD, plus untracked files as added. */
  async diffWorkingTree(): Promise<ChangedFile[]> {
    const [tracked, untracked] = await Promise.all([
      this.run(['diff', '--no-renames', '--name-status', '-z', 'HEAD', '--']),
      this.run(['ls-files', '-z', '--others', '--exclude-standard']),
    ]);
    return [...parseNameStatus(tracked), ...untracked.split('\0').filter(Boolean).map((filename) => ({ filename, status: 'added' as const }))];
  }

  /** Every file in a commit, as added: for a first push, or when no base can be known. */
  async listFiles(commit: string): Promise<ChangedFile[]> {
    return (await this.run(['ls-tree', '-r', '-z', '--name-only', commit]))
      .split('\0')
      .filter(Boolean)
      .map((filename) => ({ filename, status: 'added' as const }));
  }
}
