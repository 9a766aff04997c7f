/**
 * Decides what to compare, per event, and lists the changed files. In order:
 * - `base: HEAD`: uncommitted changes; any other `base`: that branch, tag or
 *   commit (merge base with the head);
 * - `environment`: on every event, the commit of the last successful
 *   deployment to it, diffed tree to tree with the head, so what a failed or
 *   cancelled deploy left out is deployed by the next run, and what the
 *   environment has that the head dropped counts too. A deployed commit that
 *   is gone (history rewritten) counts every file as changed, with a warning;
 * - with no deployment (or no environment), the event's own base:
 *   pull_request: the PR's base (merge base with the head), from git, or from
 *   the REST API when there is no checkout; push: `before` (after a
 *   force-push, the merge base of before and head; on a new branch, the merge
 *   base with the default branch); other events: nothing, every file counts.
 * A shallow clone is deepened until the merge base is found.
 */
import { ConfigurationError } from '@deploy-suite/kit';
import { BASE_WORKING_TREE, Input, PULL_REQUEST_FILES_API_LIMIT } from './constants.js';
import { ChangeList, type ChangedFile } from './changes.js';
import { PULL_REQUEST_EVENTS, SHA_PATTERN, branchOf, directRange, headOf, isPreviousCommit, newBranchBase, type BaseSource, type DirectRange, type RunContext } from './event.js';
import type { Git } from './git.js';

export type { BaseSource, RunContext } from './event.js';

export interface RangeRequest {
  /** Explicit base (ref or SHA), `HEAD` for uncommitted changes, or undefined. */
  base?: string | undefined;
  /** Explicit head (branch, tag or SHA); default the event's head. */
  ref?: string | undefined;
  defaultBranch?: string | undefined;
  environment?: string | undefined;
  remote: string;
}

export interface GitHubLookups {
  /** Files of a pull request; undefined when the API would truncate the list. */
  pullRequestFiles(pullNumber: number): Promise<ChangedFile[] | undefined>;
  /** The commit of the newest deployment to the environment whose latest status is success. */
  lastSuccessfulDeployment(environment: string): Promise<Deployment | undefined>;
}

/** The git commands detection runs (the Git class; a fake in unit tests). */
export type GitPort = Pick<
  Git,
  'isRepository' | 'resolveCommit' | 'mergeBase' | 'diffSinceMergeBase' | 'diff' | 'tryDiff' | 'diffWorkingTree' | 'listFiles' | 'isShallow' | 'hasRemote' | 'fetch'
>;

export type DetectionSource = 'git' | 'api' | 'working-tree' | 'all-files';

export interface Detection {
  files: ChangeList;
  /** Set when files could not be listed and every filter counts as changed. */
  everythingChanged: boolean;
  base?: string | undefined;
  baseSource: BaseSource;
  head?: string | undefined;
  source: DetectionSource;
  /** Why this range, for the log and the summary. */
  reason: string;
  warnings: string[];
}

type Result = Omit<Detection, 'warnings' | 'everythingChanged'> & { everythingChanged?: boolean };

const DEEPEN_STEPS = [50, 100, 200, 400, 800];

/** A deployment as the API names it: its commit and its id. */
export interface Deployment {
  sha: string;
  /** Undefined when the API gives none. */
  id: number | undefined;
}

const deploymentReason = (environment: string, deployment: Deployment): string => `the last successful deployment to ${environment} (#${deployment.id ?? '?'})`;
const short = (sha: string | undefined): string => (sha ?? '').slice(0, 7);

export class RangeResolver {
  private readonly warnings: string[] = [];

  constructor(
    private readonly git: GitPort,
    private readonly context: RunContext,
    private readonly request: RangeRequest,
    private readonly github: GitHubLookups | undefined,
    private readonly log: (line: string) => void,
  ) {}

  async detect(): Promise<Detection> {
    const { eventName, payload } = this.context;
    const { base, environment } = this.request;
    const isPullRequest = PULL_REQUEST_EVENTS.has(eventName);
    const headRef = headOf(this.context, this.request);
    const direct = directRange(this.context, this.request, this.request.remote);
    if (direct) {
      // The common cases (a push, a pull request, a SHA base, a new branch): one diff from the merge base, when the clone has both.
      const describe = (mergeBase: string, head: string) => this.directReason(direct, mergeBase, head);
      const fast = direct.ancestor ? await this.tryTreeDiff(direct, describe) : await this.tryDiffFromMergeBase(direct.base, direct.head, describe, direct.baseSource);
      if (fast) return fast;
    }
    // The deployment's commit is asked of the API while git answers the rest.
    const deployment = environment && !base ? this.lastDeployment(environment) : undefined;
    if (environment && deployment && SHA_PATTERN.test(headRef)) {
      const deployed = await this.tryDeploymentTreeDiff(environment, await deployment, headRef);
      if (deployed) return deployed;
    }
    // Every other path needs these answers: ask git for them at once (resolved commits are cached).
    const [hasRepository] = await Promise.all([
      this.git.isRepository(),
      this.git.resolveCommit(headRef),
      // (before is needed only without a deployment: then it is resolved where used)
      isPreviousCommit(payload.before) && !deployment ? this.git.resolveCommit(payload.before) : undefined,
    ]);
    if (base === BASE_WORKING_TREE) return this.fromWorkingTree(hasRepository);
    if (isPullRequest && !base && !hasRepository) return this.fromPullRequestApi();
    this.requireRepository(hasRepository, `detecting changes of a ${eventName} event`);
    const head = await this.resolveRef(headRef, Input.Ref);
    if (base) return this.diffFromMergeBase(await this.resolveRef(base, Input.Base), head, `input base "${base}"`, 'input');
    if (environment && deployment) {
      const deployed = await this.fromDeployment(environment, await deployment, head);
      if (deployed) return deployed;
    }
    return this.fromEvent(head);
  }

  /** The lookup, started early; a failure surfaces where it is awaited, never as an unhandled rejection. */
  private lastDeployment(environment: string): Promise<Deployment | undefined> {
    if (!this.github) throw new ConfigurationError(`input "${Input.Token}" is required to read the deployments of environment "${environment}"`);
    const lookup = this.github.lastSuccessfulDeployment(environment);
    lookup.catch(() => undefined);
    return lookup;
  }

  /** The event's own base, when there is no deployment to compare with. */
  private async fromEvent(head: string): Promise<Detection> {
    const { eventName, payload } = this.context;
    if (PULL_REQUEST_EVENTS.has(eventName)) {
      const pull = payload.pull_request;
      if (!pull?.base?.sha) throw new ConfigurationError(`the ${eventName} event payload has no pull_request.base.sha`);
      const base = await this.requireCommit(pull.base.sha, 'pull_request.base.sha');
      return this.diffFromMergeBase(base, head, `pull request #${pull.number ?? '?'} against ${pull.base.ref ?? 'its base'}`, 'pull-request');
    }
    if (eventName === 'push') return this.fromPush(head);
    const why = this.request.environment ? `no successful deployment to "${this.request.environment}" and ` : '';
    this.warnings.push(`${why}a ${eventName} event has no base to compare with: set "${Input.Base}" or "${Input.Environment}"; every file counts as changed`);
    return this.allFiles(head, `${eventName} without a base`);
  }

  /**
   * The common case of a deployment base: the API names a commit this clone
   * has, and the head is a full SHA too, so their tree diff is the answer and
   * git need not be asked anything else (the prefetch started this very diff).
   * Undefined otherwise: fromDeployment then finds the commit, or says it is gone.
   */
  private async tryDeploymentTreeDiff(environment: string, deployment: Deployment | undefined, head: string): Promise<Detection | undefined> {
    if (!deployment || !SHA_PATTERN.test(deployment.sha)) return undefined;
    const files = await this.git.tryDiff(deployment.sha, head);
    if (!files) return undefined;
    return this.result({ files, source: 'git', base: deployment.sha.toLowerCase(), baseSource: 'deployment', head: head.toLowerCase(), reason: deploymentReason(environment, deployment) });
  }

  /**
   * The last successful deployment as the base: a tree-to-tree diff (not from
   * the merge base), since the environment holds exactly that commit's files.
   * Undefined when there is no deployment: the caller falls back to the event.
   */
  private async fromDeployment(environment: string, deployment: Deployment | undefined, head: string): Promise<Detection | undefined> {
    if (!deployment) {
      this.log(`no successful deployment to ${environment} yet: comparing with the ${this.context.eventName} event's own base`);
      return undefined;
    }
    const what = deploymentReason(environment, deployment);
    // Usually the clone has the commit: diff at once, and only on failure look for it.
    const [local, files] = SHA_PATTERN.test(deployment.sha) ? await Promise.all([this.git.resolveCommit(deployment.sha), this.git.diff(deployment.sha, head).catch(() => undefined)]) : [];
    if (local && files) return this.result({ files, source: 'git', base: local, baseSource: 'deployment', head, reason: what });
    const deployed = await this.ensureCommit(deployment.sha);
    if (!deployed) {
      this.warnings.push(
        `${what} is commit ${deployment.sha}, which neither this clone nor its remote has any more (history rewritten by a force-push?): every file counts as changed`,
      );
      return this.allFiles(head, `${what} is gone`);
    }
    return this.result({ files: await this.git.diff(deployed, head), source: 'git', base: deployed, baseSource: 'deployment', head, reason: what });
  }

  private async fromPush(head: string): Promise<Detection> {
    const before = this.context.payload.before;
    const defaultBranch = this.request.defaultBranch ?? this.context.payload.repository?.default_branch;
    if (!isPreviousCommit(before)) {
      const compareWith = newBranchBase(this.context, this.request);
      if (compareWith) {
        const base = await this.defaultBranchCommit(compareWith);
        return this.diffFromMergeBase(base, head, this.newBranchReason(compareWith), 'merge-base');
      }
      return this.allFiles(head, 'first push of the default branch: every file is added');
    }
    const beforeCommit = await this.ensureCommit(before);
    if (!beforeCommit) {
      if (!defaultBranch) throw new ConfigurationError(`the pushed "before" commit ${before} cannot be fetched and the default branch is unknown: set "${Input.DefaultBranch}"`);
      this.warnings.push(`the "before" commit ${before.slice(0, 12)} is gone from the remote (force-push?): comparing with the merge base with ${defaultBranch}`);
      const base = await this.defaultBranchCommit(defaultBranch);
      return this.diffFromMergeBase(base, head, `force-push: merge base with ${defaultBranch}`, 'merge-base');
    }
    return this.diffFromMergeBase(beforeCommit, head, '', 'before', (mergeBase) => this.pushReason(mergeBase, head));
  }

  private directReason(direct: DirectRange, mergeBase: string, head: string): string {
    switch (direct.baseSource) {
      case 'input':
        return `input base "${direct.base}"`;
      case 'before':
        return this.pushReason(mergeBase, head);
      case 'merge-base':
        return this.newBranchReason(newBranchBase(this.context, this.request) ?? '');
      default: {
        const pull = this.context.payload.pull_request;
        return `pull request #${pull?.number ?? '?'} against ${pull?.base?.ref ?? 'its base'}`;
      }
    }
  }

  private newBranchReason(defaultBranch: string): string {
    return `new branch ${branchOf(this.context)}: merge base with ${defaultBranch}`;
  }

  private pushReason(mergeBase: string, head: string): string {
    const before = this.context.payload.before;
    return mergeBase === before ? `push ${short(before)}..${short(head)}` : `force-push: merge base of ${short(before)} and ${short(head)}`;
  }

  private async fromWorkingTree(hasRepository: boolean): Promise<Detection> {
    this.requireRepository(hasRepository, 'base: HEAD compares uncommitted changes');
    const [files, head] = await Promise.all([this.git.diffWorkingTree(), this.git.resolveCommit('HEAD')]);
    return this.result({ files, source: 'working-tree', baseSource: 'input', head, reason: 'uncommitted changes against HEAD' });
  }

  private async fromPullRequestApi(): Promise<Detection> {
    const pull = this.context.payload.pull_request;
    if (!pull?.base?.sha) throw new ConfigurationError(`the ${this.context.eventName} event payload has no pull_request.base.sha`);
    if (!this.github) throw new ConfigurationError(`there is no git checkout to compare, so input "${Input.Token}" is required to list the pull request's files through the API`);
    if (pull.number === undefined) throw new ConfigurationError('the pull_request payload has no number');
    if (this.request.environment) this.log(`no git checkout: listing the pull request's files through the API, not comparing with the deployment to ${this.request.environment}`);
    const tooMany = pull.changed_files !== undefined && pull.changed_files > PULL_REQUEST_FILES_API_LIMIT;
    const files = tooMany ? undefined : await this.github.pullRequestFiles(pull.number);
    const common = { source: 'api', base: pull.base.sha, baseSource: 'pull-request', head: pull.head?.sha } as const;
    if (!files) {
      this.warnings.push(
        `pull request #${pull.number} changes more than ${PULL_REQUEST_FILES_API_LIMIT} files, the most the API lists, and there is no checkout to diff: every filter counts as changed`,
      );
      return this.result({ ...common, files: ChangeList.EMPTY, everythingChanged: true, reason: `pull request #${pull.number} (API, too many files)` });
    }
    return this.result({ ...common, files: ChangeList.of(files), reason: `pull request #${pull.number} (API)` });
  }

  private async allFiles(head: string, reason: string): Promise<Detection> {
    return this.result({ files: await this.git.listFiles(head), source: 'all-files', baseSource: 'none', head, reason });
  }

  private async diffFromMergeBase(base: string, head: string, reason: string, baseSource: BaseSource, describe?: (mergeBase: string) => string): Promise<Detection> {
    const fast = await this.tryDiffFromMergeBase(base, head, (mergeBase) => (describe ? describe(mergeBase) : reason), baseSource);
    if (fast) return fast;
    const mergeBase = await this.findMergeBase(base, head);
    if (!mergeBase) {
      this.warnings.push(`${base.slice(0, 12)} and ${head.slice(0, 12)} share no history: comparing their trees directly`);
      return this.result({ files: await this.git.diff(base, head), source: 'git', base, baseSource, head, reason: describe ? describe(base) : reason });
    }
    return this.result({ files: await this.git.diff(mergeBase, head), source: 'git', base: mergeBase, baseSource, head, reason: describe ? describe(mergeBase) : reason });
  }

  /**
   * The merge base and the diff from it, asked of git at once; undefined when
   * either is not answerable here yet (a commit missing, a shallow clone).
   */
  private async tryDiffFromMergeBase(base: string, headRef: string, describe: (mergeBase: string, head: string) => string, baseSource: BaseSource = 'before'): Promise<Detection | undefined> {
    // A full SHA that git could diff is a commit: no need to ask git to resolve it.
    const [mergeBase, head, files] = await Promise.all([
      this.git.mergeBase(base, headRef),
      SHA_PATTERN.test(headRef) ? headRef.toLowerCase() : this.git.resolveCommit(headRef),
      this.git.diffSinceMergeBase(base, headRef),
    ]);
    if (mergeBase && head && files) return this.result({ files, source: 'git', base: mergeBase, baseSource, head, reason: describe(mergeBase, head) });
    return undefined;
  }

  /** A base known to be an ancestor of the head (its merge base): one tree-to-tree diff, when the clone has both. */
  private async tryTreeDiff(direct: DirectRange, describe: (mergeBase: string, head: string) => string): Promise<Detection | undefined> {
    const files = await this.git.tryDiff(direct.base, direct.head);
    if (!files) return undefined;
    const [base, head] = [direct.base.toLowerCase(), direct.head.toLowerCase()];
    return this.result({ files, source: 'git', base, baseSource: direct.baseSource, head, reason: describe(base, head) });
  }

  /** merge-base, deepening a shallow clone step by step, then unshallowing, until it is found. */
  private async findMergeBase(base: string, head: string): Promise<string | undefined> {
    for (const step of [...DEEPEN_STEPS, 0]) {
      const found = await this.git.mergeBase(base, head);
      if (found) return found;
      if (!(await this.git.isShallow()) || !(await this.git.hasRemote(this.request.remote))) return undefined;
      if (step === 0) {
        this.log('merge base still not found: fetching the whole history');
        await this.git.fetch(this.request.remote, [], { unshallow: true });
        return this.git.mergeBase(base, head);
      }
      this.log(`shallow clone: deepening by ${step} commits to find the merge base`);
      if (!(await this.git.fetch(this.request.remote, [base, head], { deepen: step }))) await this.git.fetch(this.request.remote, [], { deepen: step });
    }
    return undefined;
  }

  /** The commit, fetched from the remote when the clone does not have it; undefined when nobody has it. */
  private async ensureCommit(ref: string): Promise<string | undefined> {
    const local = await this.git.resolveCommit(ref);
    if (local) return local;
    if (!(await this.git.hasRemote(this.request.remote))) return undefined;
    const fetched = await this.git.fetch(this.request.remote, [ref], (await this.git.isShallow()) ? { depth: 1 } : {});
    return fetched ? ((await this.git.resolveCommit(ref)) ?? (await this.git.resolveCommit('FETCH_HEAD'))) : undefined;
  }

  private async requireCommit(ref: string, what: string): Promise<string> {
    const commit = await this.ensureCommit(ref);
    if (!commit) throw new ConfigurationError(`${what}: commit "${ref}" does not exist in the repository or its remote`);
    return commit;
  }

  private async defaultBranchCommit(branch: string): Promise<string> {
    const remoteRef = `refs/remotes/${this.request.remote}/${branch}`;
    const tracked = await this.git.resolveCommit(remoteRef);
    if (tracked) return tracked;
    if (await this.git.hasRemote(this.request.remote)) {
      await this.git.fetch(this.request.remote, [`+refs/heads/${branch}:${remoteRef}`], (await this.git.isShallow()) ? { depth: 1 } : {});
      const fetched = await this.git.resolveCommit(remoteRef);
      if (fetched) return fetched;
    }
    const local = await this.git.resolveCommit(branch);
    if (!local) throw new ConfigurationError(`the default branch "${branch}" was not found locally or on ${this.request.remote}: set "${Input.DefaultBranch}" or "${Input.Base}"`);
    return local;
  }

  /**
   * A branch, tag or SHA (`base`, `ref`, the event's head): local, the
   * remote-tracking branch, or fetched from the remote as a branch, a tag or a commit.
   */
  private async resolveRef(ref: string, input: string): Promise<string> {
    const remote = this.request.remote;
    const isSha = SHA_PATTERN.test(ref);
    for (const candidate of isSha ? [ref] : [ref, `refs/remotes/${remote}/${ref}`, `refs/tags/${ref}`]) {
      const commit = await this.git.resolveCommit(candidate);
      if (commit) return commit;
    }
    if (await this.git.hasRemote(remote)) {
      const depth = (await this.git.isShallow()) ? { depth: 1 } : {};
      const refspecs = isSha ? [] : [`+refs/heads/${ref}:refs/remotes/${remote}/${ref}`, `+refs/tags/${ref}:refs/tags/${ref}`];
      for (const refspec of refspecs) {
        if (await this.git.fetch(remote, [refspec], depth)) {
          const commit = await this.git.resolveCommit(refspec.slice(refspec.indexOf(':') + 1));
          if (commit) return commit;
        }
      }
      if (await this.git.fetch(remote, [ref], depth)) {
        const commit = (await this.git.resolveCommit(ref)) ?? (await this.git.resolveCommit('FETCH_HEAD'));
        if (commit) return commit;
      }
    }
    const what = input === Input.Ref && !this.request.ref ? `the event's head "${ref}"` : `input "${input}": "${ref}"`;
    throw new ConfigurationError(`${what} is not a branch, tag or commit of this repository or its remote`);
  }

  private requireRepository(hasRepository: boolean, why: string): void {
    if (!hasRepository) {
      throw new ConfigurationError(`input "${Input.WorkingDirectory}": no git repository there (${why}); check out the repository first (actions/checkout)`);
    }
  }

  private result(detection: Result): Detection {
    return { everythingChanged: false, ...detection, warnings: this.warnings };
  }
}
