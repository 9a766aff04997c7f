/**
 * Decides what to compare, per event, and lists the changed files:
 * - pull_request: the PR's base (merge base with the head), from git, or from
 *   the REST API when there is no checkout;
 * - push: `before`; on a new branch (before = zeros) the merge base with the
 *   default branch; after a force-push (before is no ancestor of the head) the
 *   merge base of before and head;
 * - workflow_dispatch, schedule and others: an explicit `base`, or the commit
 *   of the last successful deployment to an environment;
 * - `base: HEAD`: uncommitted changes.
 * A shallow clone is deepened until the merge base is found.
 */
import { ConfigurationError } from '@deploy-suite/kit';
import { BASE_WORKING_TREE, Input, PULL_REQUEST_FILES_API_LIMIT } from './constants.js';
import type { ChangedFile } from './filters.js';
import { SHA_PATTERN, isPreviousCommit, type EventPayload } from './event.js';
import type { Git } from './git.js';

export interface RunContext {
  eventName: string;
  payload: EventPayload;
  sha: string;
  ref: string;
}

export interface RangeRequest {
  /** Explicit base (ref or SHA), `HEAD` for uncommitted changes, or undefined. */
  base?: string | undefined;
  /** Explicit head; default GITHUB_SHA. */
  ref?: string | undefined;
  defaultBranch?: string | undefined;
  environment?: string | undefined;
  remote: string;
}

export interface GitHubLookups {
  /** Files of a pull request; undefined when the API would truncate the list. */
  pullRequestFiles(pullNumber: number): Promise<ChangedFile[] | undefined>;
  /** The commit of the newest deployment to the environment whose latest status is success. */
  lastSuccessfulDeployment(environment: string): Promise<{ sha: string; id: number } | undefined>;
}

export type DetectionSource = 'git' | 'api' | 'working-tree' | 'all-files' | 'none';

export interface Detection {
  files: ChangedFile[];
  /** Set when files could not be listed and every filter counts as changed. */
  everythingChanged: boolean;
  base?: string | undefined;
  head?: string | undefined;
  source: DetectionSource;
  /** Why this range, for the log and the summary. */
  reason: string;
  warnings: string[];
}

const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target', 'pull_request_review', 'pull_request_review_comment']);
const DEEPEN_STEPS = [50, 100, 200, 400, 800];

export class RangeResolver {
  private readonly warnings: string[] = [];

  constructor(
    private readonly git: Git,
    private readonly context: RunContext,
    private readonly request: RangeRequest,
    private readonly github: GitHubLookups | undefined,
    private readonly log: (line: string) => void,
  ) {}

  async detect(): Promise<Detection> {
    const { eventName, payload } = this.context;
    const headRef = this.request.ref ?? payload.after ?? this.context.sha;
    if (eventName === 'push' && !this.request.base && isPreviousCommit(payload.before)) {
      // The common case, a push to a branch that exists: one diff from the merge base of before and head.
      const fast = await this.tryDiffFromMergeBase(payload.before, headRef, (mergeBase, head) =>
        mergeBase === payload.before ? `push ${mergeBase.slice(0, 7)}..${head.slice(0, 7)}` : `force-push: merge base of ${payload.before?.slice(0, 7)} and ${head.slice(0, 7)}`,
      );
      if (fast) return fast;
    }
    // Every other path needs these answers: ask git for them at once (resolved commits are cached).
    const [hasRepository] = await Promise.all([
      this.git.isRepository(),
      this.git.resolveCommit(headRef),
      isPreviousCommit(payload.before) ? this.git.resolveCommit(payload.before) : undefined,
    ]);

    if (this.request.base === BASE_WORKING_TREE) {
      this.requireRepository(hasRepository, 'base: HEAD compares uncommitted changes');
      return this.result({ files: await this.git.diffWorkingTree(), source: 'working-tree', head: await this.git.resolveCommit('HEAD'), reason: 'uncommitted changes against HEAD' });
    }

    if (PULL_REQUEST_EVENTS.has(eventName) && !this.request.base) {
      const pull = payload.pull_request;
      if (!pull?.base?.sha) throw new ConfigurationError(`the ${eventName} event payload has no pull_request.base.sha`);
      if (!hasRepository) return this.fromPullRequestApi(pull.number, pull.changed_files);
      const head = await this.requireCommit(this.request.ref ?? this.context.sha, Input.Ref);
      const base = await this.requireCommit(pull.base.sha, 'pull_request.base.sha');
      return this.diffFromMergeBase(base, head, `pull request #${pull.number ?? '?'} against ${pull.base.ref ?? 'its base'}`);
    }

    this.requireRepository(hasRepository, `detecting changes of a ${eventName} event`);
    const head = await this.requireCommit(headRef, Input.Ref);

    if (this.request.base) {
      const base = await this.resolveExplicitBase(this.request.base);
      return this.diffFromMergeBase(base, head, `input base "${this.request.base}"`);
    }

    if (eventName === 'push') return this.fromPush(head);

    if (this.request.environment) {
      if (!this.github) throw new ConfigurationError(`input "${Input.Token}" is required to read the deployments of environment "${this.request.environment}"`);
      const deployment = await this.github.lastSuccessfulDeployment(this.request.environment);
      if (!deployment) {
        this.warnings.push(`no successful deployment to "${this.request.environment}" found: every file counts as changed`);
        return this.result({ files: await this.git.listFiles(head), source: 'all-files', head, reason: `first deployment to ${this.request.environment}` });
      }
      const base = await this.ensureCommit(deployment.sha);
      if (!base) {
        throw new ConfigurationError(`the last successful deployment to "${this.request.environment}" (#${deployment.id}) is commit ${deployment.sha}, which the remote no longer has`);
      }
      return this.diffFromMergeBase(base, head, `last successful deployment to ${this.request.environment} (#${deployment.id})`);
    }

    this.warnings.push(`a ${eventName} event has no base to compare with: set "${Input.Base}" or "${Input.Environment}"; every file counts as changed`);
    return this.result({ files: await this.git.listFiles(head), source: 'all-files', head, reason: `${eventName} without a base` });
  }

  private async fromPush(head: string): Promise<Detection> {
    const before = this.context.payload.before;
    const branch = this.context.ref.replace(/^refs\/heads\//, '');
    const defaultBranch = this.request.defaultBranch ?? this.context.payload.repository?.default_branch;
    if (!isPreviousCommit(before)) {
      if (defaultBranch && branch !== defaultBranch) {
        const base = await this.defaultBranchCommit(defaultBranch);
        return this.diffFromMergeBase(base, head, `new branch ${branch}: merge base with ${defaultBranch}`);
      }
      return this.result({ files: await this.git.listFiles(head), source: 'all-files', head, reason: 'first push of the default branch: every file is added' });
    }
    const beforeCommit = await this.ensureCommit(before);
    if (!beforeCommit) {
      if (!defaultBranch) throw new ConfigurationError(`the pushed "before" commit ${before} cannot be fetched and the default branch is unknown: set "${Input.DefaultBranch}"`);
      this.warnings.push(`the "before" commit ${before.slice(0, 12)} is gone from the remote (force-push?): comparing with the merge base with ${defaultBranch}`);
      const base = await this.defaultBranchCommit(defaultBranch);
      return this.diffFromMergeBase(base, head, `force-push: merge base with ${defaultBranch}`);
    }
    const reason = `push ${before.slice(0, 7)}..${head.slice(0, 7)}`;
    return this.diffFromMergeBase(beforeCommit, head, reason, (mergeBase) => (mergeBase === beforeCommit ? reason : `force-push: merge base of ${before.slice(0, 7)} and ${head.slice(0, 7)}`));
  }

  private async fromPullRequestApi(pullNumber: number | undefined, changedFiles: number | undefined): Promise<Detection> {
    if (!this.github) throw new ConfigurationError(`there is no git checkout to compare, so input "${Input.Token}" is required to list the pull request's files through the API`);
    if (pullNumber === undefined) throw new ConfigurationError('the pull_request payload has no number');
    const files = changedFiles !== undefined && changedFiles > PULL_REQUEST_FILES_API_LIMIT ? undefined : await this.github.pullRequestFiles(pullNumber);
    if (!files) {
      this.warnings.push(
        `pull request #${pullNumber} changes more than ${PULL_REQUEST_FILES_API_LIMIT} files, the most the API lists, and there is no checkout to diff: every filter counts as changed`,
      );
      return this.result({ files: [], everythingChanged: true, source: 'api', reason: `pull request #${pullNumber} (API, too many files)` });
    }
    const pull = this.context.payload.pull_request;
    return this.result({ files, source: 'api', base: pull?.base?.sha, head: pull?.head?.sha, reason: `pull request #${pullNumber} (API)` });
  }

  private async diffFromMergeBase(base: string, head: string, reason: string, describe?: (mergeBase: string) => string): Promise<Detection> {
    const fast = await this.tryDiffFromMergeBase(base, head, (mergeBase) => (describe ? describe(mergeBase) : reason));
    if (fast) return fast;
    const mergeBase = await this.findMergeBase(base, head);
    if (!mergeBase) {
      this.warnings.push(`${base.slice(0, 12)} and ${head.slice(0, 12)} share no history: comparing their trees directly`);
      return this.result({ files: await this.git.diff(base, head), source: 'git', base, head, reason });
    }
    return this.result({ files: await this.git.diff(mergeBase, head), source: 'git', base: mergeBase, head, reason: describe ? describe(mergeBase) : reason });
  }

  /**
   * The merge base and the diff from it, asked of git at once; undefined when
   * either is not answerable here yet (a commit missing, a shallow clone).
   */
  private async tryDiffFromMergeBase(base: string, headRef: string, describe: (mergeBase: string, head: string) => string): Promise<Detection | undefined> {
    // A full SHA that git could diff is a commit: no need to ask git to resolve it.
    const [mergeBase, head, files] = await Promise.all([
      this.git.mergeBase(base, headRef),
      SHA_PATTERN.test(headRef) ? headRef.toLowerCase() : this.git.resolveCommit(headRef),
      this.git.diffSinceMergeBase(base, headRef),
    ]);
    if (mergeBase && head && files) return this.result({ files, source: 'git', base: mergeBase, head, reason: describe(mergeBase, head) });
    return undefined;
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
    const shallow = await this.git.isShallow();
    const fetched = await this.git.fetch(this.request.remote, [ref], shallow ? { depth: 1 } : {});
    return fetched ? ((await this.git.resolveCommit(ref)) ?? (await this.git.resolveCommit('FETCH_HEAD'))) : undefined;
  }

  private async requireCommit(ref: string, what: string): Promise<string> {
    const commit = await this.ensureCommit(ref);
    if (!commit) throw new ConfigurationError(`${what === Input.Ref ? `input "${Input.Ref}" / the event's head` : what}: commit "${ref}" does not exist in the repository or its remote`);
    return commit;
  }

  private async defaultBranchCommit(branch: string): Promise<string> {
    const remoteRef = `refs/remotes/${this.request.remote}/${branch}`;
    const local = await this.git.resolveCommit(remoteRef);
    if (local) return local;
    if (await this.git.hasRemote(this.request.remote)) {
      const shallow = await this.git.isShallow();
      await this.git.fetch(this.request.remote, [`+refs/heads/${branch}:${remoteRef}`], shallow ? { depth: 1 } : {});
    }
    const fetched = (await this.git.resolveCommit(remoteRef)) ?? (await this.git.resolveCommit(branch));
    if (!fetched) throw new ConfigurationError(`the default branch "${branch}" was not found locally or on ${this.request.remote}: set "${Input.DefaultBranch}" or "${Input.Base}"`);
    return fetched;
  }

  /** A branch, tag or SHA given as `base`: local, the remote-tracking branch, or fetched. */
  private async resolveExplicitBase(base: string): Promise<string> {
    const candidates = SHA_PATTERN.test(base) ? [base] : [base, `refs/remotes/${this.request.remote}/${base}`];
    for (const candidate of candidates) {
      const commit = await this.git.resolveCommit(candidate);
      if (commit) return commit;
    }
    if (await this.git.hasRemote(this.request.remote)) {
      const shallow = await this.git.isShallow();
      const depth = shallow ? { depth: 1 } : {};
      if (!SHA_PATTERN.test(base) && (await this.git.fetch(this.request.remote, [`+refs/heads/${base}:refs/remotes/${this.request.remote}/${base}`], depth))) {
        const commit = await this.git.resolveCommit(`refs/remotes/${this.request.remote}/${base}`);
        if (commit) return commit;
      }
      if (await this.git.fetch(this.request.remote, [base], depth)) {
        const commit = (await this.git.resolveCommit(base)) ?? (await this.git.resolveCommit('FETCH_HEAD'));
        if (commit) return commit;
      }
    }
    throw new ConfigurationError(`input "${Input.Base}": "${base}" is not a branch, tag or commit of this repository or its remote`);
  }

  private requireRepository(hasRepository: boolean, why: string): void {
    if (!hasRepository) {
      throw new ConfigurationError(`input "${Input.WorkingDirectory}": no git repository there (${why}); check out the repository first (actions/checkout)`);
    }
  }

  private result(detection: Omit<Detection, 'warnings' | 'everythingChanged'> & { everythingChanged?: boolean }): Detection {
    return { everythingChanged: false, ...detection, warnings: this.warnings };
  }
}
