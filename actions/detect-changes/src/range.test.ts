/**
 * The per-event base decision, against a small in-memory repository and remote
 * (a typed fake of the git commands; the real git runs in the integration tests).
 */
import { describe, expect, it, vi } from 'vitest';
import { ConfigurationError } from '@deploy-suite/kit';
import { NULL_SHA } from './event.js';
import { ChangeList, type ChangedFile } from './changes.js';
import { RangeResolver, type GitHubLookups, type GitPort, type RangeRequest, type RunContext } from './range.js';

const shas = new Map<string, string>();
const names = new Map<string, string>();
/** A commit's SHA from a readable name. */
function sha(name: string): string {
  let value = shas.get(name);
  if (!value) {
    value = (shas.size + 1).toString(16).padStart(40, 'c');
    shas.set(name, value);
    names.set(value, name);
  }
  return value;
}
const nameOf = (value: string): string => names.get(value) ?? value;

/** An in-memory clone and its remote: commits with parents, refs on each side, shallow or not. */
class FakeGit implements GitPort {
  readonly parents = new Map<string, string[]>();
  readonly remoteRefs = new Map<string, string>();
  readonly localRefs = new Map<string, string>();
  readonly local = new Set<string>();
  readonly fetches: string[][] = [];
  repository = true;
  shallow = false;
  remote = true;
  /** Commits the remote no longer has (rewritten history, garbage-collected). */
  readonly gone = new Set<string>();

  /** Adds a chain of commits (each the parent of the next) present locally and on the remote. */
  chain(...commits: string[]): this {
    commits.forEach((name, index) => this.commit(name, index > 0 ? [commits[index - 1] as string] : []));
    return this;
  }

  commit(name: string, parents: string[], where: 'both' | 'remote' = 'both'): this {
    this.parents.set(sha(name), parents.map(sha));
    if (where === 'both') this.local.add(sha(name));
    return this;
  }

  async isRepository() {
    return this.repository;
  }

  async resolveCommit(ref: string) {
    return this.localCommit(ref);
  }

  /** What resolveCommit answers, for the fake's own use (so a test can count what detection asks). */
  private localCommit(ref: string): string | undefined {
    const target = this.localRefs.get(ref) ?? ref;
    return this.local.has(target) ? target : undefined;
  }

  private ancestors(commit: string): Set<string> {
    const seen = new Set<string>();
    const queue = [commit];
    while (queue.length > 0) {
      const next = queue.shift() as string;
      if (seen.has(next) || !this.local.has(next)) continue;
      seen.add(next);
      queue.push(...(this.parents.get(next) ?? []));
    }
    return seen;
  }

  async mergeBase(a: string, b: string) {
    const [left, right] = [await this.resolveCommit(a), await this.resolveCommit(b)];
    if (!left || !right) return undefined;
    const ofLeft = this.ancestors(left);
    for (const commit of this.ancestors(right)) if (ofLeft.has(commit)) return commit;
    return undefined;
  }

  async diffSinceMergeBase(base: string, head: string) {
    const mergeBase = await this.mergeBase(base, head);
    return mergeBase ? this.diff(mergeBase, head) : undefined;
  }

  async tryDiff(base: string, head: string) {
    const [left, right] = [this.localCommit(base), this.localCommit(head)];
    return left && right ? this.diff(left, right) : undefined;
  }

  async diff(base: string, head: string): Promise<ChangeList> {
    return ChangeList.of([{ filename: `${nameOf(base)}..${nameOf(head)}`, status: 'modified' }]);
  }

  async diffWorkingTree(): Promise<ChangeList> {
    return ChangeList.of([{ filename: 'uncommitted', status: 'modified' }]);
  }

  async listFiles(commit: string): Promise<ChangeList> {
    return ChangeList.of([{ filename: `all of ${nameOf(commit)}`, status: 'added' }]);
  }

  async isShallow() {
    return this.shallow;
  }

  async hasRemote() {
    return this.remote;
  }

  async fetch(_remote: string, refspecs: readonly string[], options: { depth?: number; deepen?: number; unshallow?: boolean } = {}) {
    this.fetches.push([...refspecs.map((refspec) => nameOf(refspec)), ...(options.deepen ? [`deepen ${options.deepen}`] : []), ...(options.unshallow ? ['unshallow'] : [])]);
    if (options.deepen || options.unshallow) {
      for (const commit of this.parents.keys()) if (!this.gone.has(commit)) this.local.add(commit);
      return true;
    }
    let found = false;
    for (const refspec of refspecs) {
      const [source, destination] = refspec.replace(/^\+/, '').split(':') as [string, string | undefined];
      const target = this.parents.has(source) && !this.gone.has(source) ? source : (this.remoteRefs.get(source) ?? this.remoteRefs.get(`refs/heads/${source}`) ?? this.remoteRefs.get(`refs/tags/${source}`));
      if (!target) continue;
      found = true;
      this.local.add(target);
      this.localRefs.set(destination ?? 'FETCH_HEAD', target);
    }
    return found;
  }
}

function lookups(deployment?: string, files?: ChangedFile[]): GitHubLookups & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async pullRequestFiles(pullNumber) {
      asked.push(`pull ${pullNumber}`);
      return files;
    },
    async lastSuccessfulDeployment(environment) {
      asked.push(`deployments ${environment}`);
      return deployment ? { sha: sha(deployment), id: 7 } : undefined;
    },
  };
}

interface Case {
  git: FakeGit;
  event?: string;
  payload?: RunContext['payload'];
  head?: string;
  ref?: string;
  request?: Partial<RangeRequest>;
  github?: GitHubLookups;
}

async function detect({ git, event = 'push', payload = {}, head = 'head', ref = 'refs/heads/main', request = {}, github }: Case) {
  const log: string[] = [];
  const resolver = new RangeResolver(git, { eventName: event, payload, sha: sha(head), ref }, { remote: 'origin', ...request }, github, (line) => log.push(line));
  const detection = await resolver.detect();
  return { ...detection, base: detection.base && nameOf(detection.base), head: detection.head && nameOf(detection.head), files: detection.files.paths, log };
}

const push = (before: string, head = 'head') => ({ before: sha(before), after: sha(head), repository: { default_branch: 'main' } });

describe('push', () => {
  it('compares with before: base-source before', async () => {
    const result = await detect({ git: new FakeGit().chain('root', 'before', 'head'), payload: push('before') });
    expect(result).toMatchObject({ base: 'before', baseSource: 'before', files: ['before..head'], source: 'git', reason: expect.stringMatching(/^push /), warnings: [] });
  });

  it('a push GitHub reports as not forced: before is the merge base, one tree diff (no merge-base asked)', async () => {
    const git = new FakeGit().chain('root', 'before', 'head');
    const mergeBase = vi.spyOn(git, 'mergeBase');
    const result = await detect({ git, payload: { ...push('before'), forced: false } });
    expect(result).toMatchObject({ base: 'before', baseSource: 'before', files: ['before..head'], reason: expect.stringMatching(/^push /) });
    expect(mergeBase).not.toHaveBeenCalled();
  });

  it('not forced, but before missing from a shallow clone: found the long way', async () => {
    const git = new FakeGit().chain('before', 'middle', 'head');
    git.local.delete(sha('middle'));
    git.local.delete(sha('before'));
    git.shallow = true;
    const result = await detect({ git, payload: { ...push('before'), forced: false } });
    expect(result).toMatchObject({ base: 'before', baseSource: 'before', files: ['before..head'] });
    expect(git.fetches.length).toBeGreaterThan(0);
  });

  it('after a force-push compares from the merge base of before and head', async () => {
    const git = new FakeGit().chain('root', 'rewritten').commit('head', ['root']);
    const result = await detect({ git, payload: push('rewritten') });
    expect(result).toMatchObject({ base: 'root', baseSource: 'before', files: ['root..head'], reason: expect.stringMatching(/^force-push: merge base of/) });
  });

  it('a new branch compares with its merge base with the default branch, fetched when missing', async () => {
    const git = new FakeGit().chain('root', 'fork', 'head').commit('main-tip', ['fork'], 'remote');
    git.remoteRefs.set('refs/heads/main', sha('main-tip'));
    const result = await detect({ git, payload: { before: NULL_SHA, after: sha('head'), repository: { default_branch: 'main' } }, ref: 'refs/heads/feature' });
    expect(result).toMatchObject({ base: 'fork', baseSource: 'merge-base', files: ['fork..head'] });
    expect(git.fetches).toEqual([['+refs/heads/main:refs/remotes/origin/main']]);
  });

  it('a new branch whose default branch is tracked (a checkout with history): its merge base, nothing fetched', async () => {
    const git = new FakeGit().chain('root', 'fork', 'head').commit('main-tip', ['fork']);
    git.localRefs.set('refs/remotes/origin/main', sha('main-tip'));
    const result = await detect({ git, payload: { before: NULL_SHA, after: sha('head'), repository: { default_branch: 'main' } }, ref: 'refs/heads/feature' });
    expect(result).toMatchObject({ base: 'fork', baseSource: 'merge-base', files: ['fork..head'], reason: 'new branch feature: merge base with main' });
    expect(git.fetches).toEqual([]);
  });

  it('the first push of the default branch lists every file: base-source none', async () => {
    const result = await detect({ git: new FakeGit().chain('head'), payload: { before: NULL_SHA, after: sha('head'), repository: { default_branch: 'main' } } });
    expect(result).toMatchObject({ base: undefined, baseSource: 'none', source: 'all-files', files: ['all of head'] });
  });

  it('a before that the remote lost falls back to the merge base with the default branch, with a warning', async () => {
    const git = new FakeGit().chain('root', 'head').commit('lost', ['root'], 'remote');
    git.gone.add(sha('lost'));
    git.localRefs.set('refs/remotes/origin/main', sha('root'));
    const result = await detect({ git, payload: push('lost') });
    expect(result).toMatchObject({ base: 'root', baseSource: 'merge-base', warnings: [expect.stringMatching(/"before" commit .* is gone from the remote/)] });
  });

  it('deepens a shallow clone until the merge base is found', async () => {
    const git = new FakeGit().chain('before', 'middle', 'head');
    git.local.delete(sha('middle'));
    git.local.delete(sha('before'));
    git.shallow = true;
    const result = await detect({ git, payload: push('before') });
    expect(result).toMatchObject({ base: 'before', baseSource: 'before', files: ['before..head'] });
    expect(git.fetches).toEqual([['before'], ['before', 'head', 'deepen 50']]);
    expect(result.log).toContain('shallow clone: deepening by 50 commits to find the merge base');
  });
});

describe('environment: the last successful deployment, on every event', () => {
  it('a push compares with the deployed commit, tree to tree, not with before', async () => {
    const github = lookups('deployed');
    const git = new FakeGit().chain('root', 'deployed', 'failed-deploy', 'before', 'head');
    const result = await detect({ git, payload: push('before'), request: { environment: 'staging' }, github });
    expect(result).toMatchObject({ base: 'deployed', baseSource: 'deployment', files: ['deployed..head'], reason: 'the last successful deployment to staging (#7)' });
    expect(github.asked).toEqual(['deployments staging']);
  });

  it('a deployed commit the clone has and a SHA head: the tree diff alone answers (no other git question)', async () => {
    const git = new FakeGit().chain('root', 'deployed', 'before', 'head');
    const asked = [vi.spyOn(git, 'isRepository'), vi.spyOn(git, 'resolveCommit'), vi.spyOn(git, 'mergeBase')];
    const result = await detect({ git, payload: push('before'), request: { environment: 'staging' }, github: lookups('deployed') });
    expect(result).toMatchObject({ base: 'deployed', head: 'head', baseSource: 'deployment', files: ['deployed..head'], reason: 'the last successful deployment to staging (#7)' });
    for (const question of asked) expect(question).not.toHaveBeenCalled();
  });

  it('a deployment from another branch: the diff is between the trees (what the environment has that head dropped counts)', async () => {
    const git = new FakeGit().chain('root', 'head').commit('hotfix', ['root']);
    const result = await detect({ git, payload: push('root'), request: { environment: 'staging' }, github: lookups('hotfix') });
    // Not root..head (the merge base): the hotfix's files differ from head's too.
    expect(result).toMatchObject({ base: 'hotfix', baseSource: 'deployment', files: ['hotfix..head'] });
  });

  it('a deployed commit missing from a shallow clone is fetched by SHA', async () => {
    const git = new FakeGit().chain('deployed', 'head');
    git.local.delete(sha('deployed'));
    git.shallow = true;
    const result = await detect({ git, event: 'workflow_dispatch', request: { environment: 'staging' }, github: lookups('deployed') });
    expect(result).toMatchObject({ base: 'deployed', baseSource: 'deployment' });
    expect(git.fetches).toEqual([['deployed']]);
  });

  it('no deployment yet: the push falls back to before, and says so', async () => {
    const result = await detect({ git: new FakeGit().chain('before', 'head'), payload: push('before'), request: { environment: 'staging' }, github: lookups() });
    expect(result).toMatchObject({ base: 'before', baseSource: 'before', warnings: [] });
    expect(result.log).toContain("no successful deployment to staging yet: comparing with the push event's own base");
  });

  it('no deployment yet on a manual run: every file, with a warning naming both inputs', async () => {
    const result = await detect({ git: new FakeGit().chain('head'), event: 'workflow_dispatch', request: { environment: 'staging' }, github: lookups() });
    expect(result).toMatchObject({ baseSource: 'none', source: 'all-files', warnings: [expect.stringMatching(/no successful deployment to "staging" and a workflow_dispatch event has no base/)] });
  });

  it('a deployed commit that history lost counts every file as changed, with a warning (no failure)', async () => {
    const git = new FakeGit().chain('root', 'head').commit('rewritten', ['root'], 'remote');
    git.gone.add(sha('rewritten'));
    const result = await detect({ git, payload: push('root'), request: { environment: 'staging' }, github: lookups('rewritten') });
    expect(result).toMatchObject({ base: undefined, baseSource: 'none', source: 'all-files', files: ['all of head'] });
    expect(result.warnings).toEqual([expect.stringMatching(/last successful deployment to staging \(#7\) is commit c+\w+, which neither this clone nor its remote has any more .*every file counts as changed/)]);
  });

  it('a pull request with a checkout compares with the deployment too', async () => {
    const payload = { pull_request: { number: 5, base: { sha: sha('root'), ref: 'main' }, head: { sha: sha('head') } } };
    const result = await detect({ git: new FakeGit().chain('root', 'deployed', 'head'), event: 'pull_request', payload, request: { environment: 'preview' }, github: lookups('deployed') });
    expect(result).toMatchObject({ base: 'deployed', baseSource: 'deployment' });
  });

  it('an explicit base wins over the environment', async () => {
    const github = lookups('deployed');
    const result = await detect({ git: new FakeGit().chain('old', 'deployed', 'head'), event: 'workflow_dispatch', request: { environment: 'staging', base: sha('old') }, github });
    expect(result).toMatchObject({ base: 'old', baseSource: 'input' });
    expect(github.asked).toEqual([]);
  });

  it('without a token the environment is an input error', async () => {
    await expect(detect({ git: new FakeGit().chain('head'), event: 'schedule', request: { environment: 'staging' } })).rejects.toThrow(/input "token" is required to read the deployments of environment "staging"/);
  });
});

describe('ref and base: branch, tag or commit', () => {
  it('ref names a tag the clone does not have: fetched from the remote', async () => {
    const git = new FakeGit().chain('root').commit('v1.4.2', ['root'], 'remote');
    git.remoteRefs.set('refs/tags/v1.4.2', sha('v1.4.2'));
    const result = await detect({ git, event: 'workflow_dispatch', request: { ref: 'v1.4.2', base: sha('root') } });
    expect(result).toMatchObject({ head: 'v1.4.2', base: 'root', baseSource: 'input' });
    expect(git.fetches).toEqual([['+refs/heads/v1.4.2:refs/remotes/origin/v1.4.2'], ['+refs/tags/v1.4.2:refs/tags/v1.4.2']]);
  });

  it('ref names a branch: its remote-tracking branch', async () => {
    const git = new FakeGit().chain('root', 'release-tip');
    git.localRefs.set('refs/remotes/origin/release', sha('release-tip'));
    const result = await detect({ git, event: 'workflow_dispatch', request: { ref: 'release', environment: 'staging' }, github: lookups('root') });
    expect(result).toMatchObject({ head: 'release-tip', base: 'root', baseSource: 'deployment' });
  });

  it('an unknown ref or base is one input error naming it', async () => {
    const git = new FakeGit().chain('head');
    await expect(detect({ git, event: 'workflow_dispatch', request: { ref: 'v9' } })).rejects.toThrow(/^input "ref": "v9" is not a branch, tag or commit/);
    await expect(detect({ git, event: 'workflow_dispatch', request: { base: 'nope' } })).rejects.toThrow(/^input "base": "nope" is not a branch, tag or commit/);
    await expect(detect({ git, event: 'workflow_dispatch', request: { base: 'nope' } })).rejects.toBeInstanceOf(ConfigurationError);
  });

  it('base: HEAD compares uncommitted changes', async () => {
    const result = await detect({ git: new FakeGit().chain('head'), request: { base: 'HEAD' } });
    expect(result).toMatchObject({ source: 'working-tree', baseSource: 'input', files: ['uncommitted'] });
  });
});

describe('pull requests and runs without a base', () => {
  const payload = (changed = 2) => ({ pull_request: { number: 9, changed_files: changed, base: { sha: sha('base-tip'), ref: 'main' }, head: { sha: sha('head') } } });

  it('with a checkout: from the merge base with the PR base', async () => {
    const git = new FakeGit().chain('root', 'head').commit('base-tip', ['root']);
    const result = await detect({ git, event: 'pull_request', payload: payload() });
    expect(result).toMatchObject({ base: 'root', baseSource: 'pull-request', files: ['root..head'] });
  });

  it('without a checkout: the files from the API', async () => {
    const git = new FakeGit();
    git.repository = false;
    const result = await detect({ git, event: 'pull_request', payload: payload(), github: lookups(undefined, [{ filename: 'a.ts', status: 'added' }]) });
    expect(result).toMatchObject({ source: 'api', baseSource: 'pull-request', files: ['a.ts'], base: 'base-tip', head: 'head' });
  });

  it('without a checkout, past the API limit: every filter counts as changed', async () => {
    const git = new FakeGit();
    git.repository = false;
    const result = await detect({ git, event: 'pull_request', payload: payload(5000), github: lookups() });
    expect(result).toMatchObject({ everythingChanged: true, files: [], warnings: [expect.stringMatching(/more than 3000 files/)] });
  });

  it('without a checkout or a token: an input error', async () => {
    const git = new FakeGit();
    git.repository = false;
    await expect(detect({ git, event: 'pull_request', payload: payload() })).rejects.toThrow(/input "token" is required to list the pull request's files/);
  });

  it('a schedule without base or environment: every file, with a warning', async () => {
    const result = await detect({ git: new FakeGit().chain('head'), event: 'schedule' });
    expect(result).toMatchObject({ baseSource: 'none', warnings: [expect.stringMatching(/a schedule event has no base to compare with: set "base" or "environment"/)] });
  });

  it('no repository: an input error naming working-directory', async () => {
    const git = new FakeGit();
    git.repository = false;
    await expect(detect({ git, event: 'schedule' })).rejects.toThrow(/^input "working-directory": no git repository there/);
  });
});
