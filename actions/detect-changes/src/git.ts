/**
 * The few git commands detection needs, run with execFile (no shell, so no
 * quoting issues with refs or paths). Output is NUL-separated (-z) so any
 * file name survives; renames are off so a rename is a delete plus an add,
 * as dorny/paths-filter reports them.
 */
import type { ChangeStatus } from './constants.js';
import { ActionFailure } from '@deploy-suite/kit';
import { ChangeList } from './changes.js';
import { hasLineBreak } from './glob.js';
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

const statusOf = (field: string): string => STATUS_BY_LETTER[field.charAt(0)] ?? 'modified';
/** A rename or copy record's status field (a path named like one only sends the parse the long way). */
const RENAME_OR_COPY = /(?:^|\0)[RC][0-9]*\0/;

/**
 * Parses complete `git diff --name-status -z` output: a status, then the path
 * (two paths, old and new, for a rename or copy), each ended by NUL. With
 * renames off every record is a pair: one native split, then the paths are
 * every other field and a status is looked up only when asked for.
 */
export function parseNameStatus(output: string): ChangeList {
  const end = output.lastIndexOf('\0');
  if (end === -1) return ChangeList.EMPTY;
  const text = output.slice(0, end);
  const fields = text.split('\0');
  // Statuses never hold a line break: the text has one exactly when a path does.
  const plain = !hasLineBreak(text);
  if (fields.length % 2 === 1 || fields.includes('') || RENAME_OR_COPY.test(text)) return parseRecords(fields, plain);
  const paths = new Array<string>(fields.length / 2);
  // isAscending in the same loop: one pass over 18,000 paths instead of two on a cold process.
  let ascending = true;
  for (let index = 0; index < paths.length; index++) {
    const path = fields[2 * index + 1] as string;
    if (ascending && index > 0 && !((paths[index - 1] as string) < path)) ascending = false;
    paths[index] = path;
  }
  return new ChangeList(paths, (index) => statusOf(fields[2 * index] as string), { plainPaths: plain, ascending });
}

/** Record by record, for output with renames or copies (their new name is kept). */
function parseRecords(fields: readonly string[], plain: boolean): ChangeList {
  const paths: string[] = [];
  const statuses: string[] = [];
  for (let index = 0; index < fields.length; ) {
    const status = fields[index] as string;
    if (status === '') break;
    const renamed = (status.startsWith('R') || status.startsWith('C')) && index + 2 < fields.length;
    const path = fields[renamed ? index + 2 : index + 1];
    if (path === undefined) break;
    paths.push(path);
    statuses.push(statusOf(status));
    index += renamed ? 3 : 2;
  }
  return new ChangeList(paths, (index) => statuses[index] as string, { plainPaths: plain });
}

/** NUL-separated output (`-z`) as its fields, without the empty one after the last NUL. */
const nulSeparated = (output: string): string[] => output.split('\0').filter(Boolean);

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
  async diffSinceMergeBase(base: string, head: string): Promise<ChangeList | undefined> {
    const output = await this.tryRun(gitCommands.diffSinceMergeBase(base, head));
    return output === undefined ? undefined : parseNameStatus(output);
  }

  /** `git diff base head`, or undefined when git cannot (a commit missing here). */
  async tryDiff(base: string, head: string): Promise<ChangeList | undefined> {
    const output = await this.tryRun(gitCommands.diff(base, head));
    return output === undefined ? undefined : parseNameStatus(output);
  }

  async diff(base: string, head: string): Promise<ChangeList> {
    return parseNameStatus(await this.run(gitCommands.diff(base, head)));
  }

  /** Uncommitted changes: the working tree and index against HEAD, plus untracked files as added. */
  async diffWorkingTree(): Promise<ChangeList> {
    const [tracked, untracked] = await Promise.all([
      this.run(['diff', '--no-renames', '--name-status', '-z', 'HEAD', '--']),
      this.run(['ls-files', '-z', '--others', '--exclude-standard']),
    ]);
    return parseNameStatus(tracked).concat(new ChangeList(nulSeparated(untracked), () => 'added'));
  }

  /** Every file in a commit, as added: for a first push, or when no base can be known. */
  async listFiles(commit: string): Promise<ChangeList> {
    return new ChangeList(nulSeparated(await this.run(['ls-tree', '-r', '-z', '--name-only', commit])), () => 'added');
  }
}
