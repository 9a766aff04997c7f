/**
 * CloudFront side: which URL paths a sync changed, how to fit them into a few
 * invalidation paths (CloudFront bills per path, a wildcard counts as one), and
 * creating the invalidation and waiting for it.
 */
import { CreateInvalidationCommand, GetDistributionCommand, GetInvalidationCommand, type CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { createHash } from 'node:crypto';
import { describeAwsError } from '@deploy-suite/aws';
import { ActionFailure, waitUntil } from '@deploy-suite/kit';
import type { Logger } from './remote.js';

export interface DistributionOrigin {
  /** The distribution's domain, for the log and summary. */
  domainName: string;
  /** The bucket origin's OriginPath without slashes at either end ('' when none or no origin serves the bucket). */
  originPath: string;
  /** Whether an origin of the distribution points at the bucket. */
  servesBucket: boolean;
}

/** Checks the distribution exists (before anything is changed) and finds the path the bucket is served under. */
export async function describeDistribution(cloudfront: CloudFrontClient, distributionId: string, bucket: string): Promise<DistributionOrigin> {
  let distribution;
  try {
    distribution = (await cloudfront.send(new GetDistributionCommand({ Id: distributionId }))).Distribution;
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchDistribution') {
      throw new ActionFailure(`CloudFront distribution "${distributionId}" does not exist; check the "distribution-id" input`);
    }
    throw new ActionFailure(describeAwsError(`reading CloudFront distribution ${distributionId}`, error));
  }
  // S3 origins are named <bucket>.s3.amazonaws.com, <bucket>.s3.<region>.amazonaws.com or <bucket>.s3-website...
  const origin = distribution?.DistributionConfig?.Origins?.Items?.find((item) => item.DomainName?.startsWith(`${bucket}.s3`));
  return {
    domainName: distribution?.DomainName ?? distributionId,
    originPath: (origin?.OriginPath ?? '').replace(/^\/+|\/+$/g, ''),
    servesBucket: origin !== undefined,
  };
}

/** Encodes a key's segments as CloudFront expects; `*` is encoded so a file name cannot act as a wildcard. */
function encodePath(path: string): string {
  return path
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/\*/g, '%2A'))
    .join('/');
}

/** The URL path of an object, or undefined when the bucket origin does not serve it. */
export function urlPathOf(key: string, originPath: string): string | undefined {
  if (originPath === '') return `/${encodePath(key)}`;
  if (!key.startsWith(`${originPath}/`)) return undefined;
  return `/${encodePath(key.slice(originPath.length + 1))}`;
}

/** The paths CloudFront may have cached an object under: `dir/index.html` is also served as `dir/`. */
export function cachedPathsOf(key: string, originPath: string): string[] {
  const url = urlPathOf(key, originPath);
  if (url === undefined) return [];
  return url.endsWith('/index.html') ? [url, url.slice(0, -'index.html'.length)] : [url];
}

interface DirectoryNode {
  path: string;
  children: Map<string, DirectoryNode>;
  /** Changed paths that live directly in this directory (files, and the directory itself for index pages). */
  changed: string[];
  /** Unchanged objects anywhere below. */
  unchangedBelow: number;
  changedBelow: number;
}

function node(path: string): DirectoryNode {
  return { path, children: new Map(), changed: [], unchangedBelow: 0, changedBelow: 0 };
}

/**
 * The invalidation paths for a set of changed URL paths: the paths themselves
 * when there are at most `maxPaths`, else the set of paths and `dir/*` wildcards
 * of at most `maxPaths` entries that re-fetches the fewest unchanged objects
 * (ties: fewer paths). `allPaths` are every object path the distribution serves
 * from the bucket, changed or not.
 */
export function invalidationPaths(changed: Iterable<string>, allPaths: Iterable<string>, maxPaths: number): string[] {
  const changedSet = new Set(changed);
  if (changedSet.size <= maxPaths) return [...changedSet].sort();
  if (maxPaths < 2) return ['/*'];
  const root = node('/');
  const directoryOf = (path: string): DirectoryNode => {
    let current = root;
    let end = 1;
    for (let slash = path.indexOf('/', end); slash !== -1; slash = path.indexOf('/', end)) {
      const directory = path.slice(0, slash + 1);
      let child = current.children.get(directory);
      if (!child) current.children.set(directory, (child = node(directory)));
      current = child;
      end = slash + 1;
    }
    return current;
  };
  const ancestorsOf = (directory: DirectoryNode, path: string): DirectoryNode[] => {
    const chain: DirectoryNode[] = [root];
    let current = root;
    for (let slash = path.indexOf('/', 1); slash !== -1 && current !== directory; slash = path.indexOf('/', slash + 1)) {
      current = current.children.get(path.slice(0, slash + 1)) as DirectoryNode;
      chain.push(current);
    }
    return chain;
  };
  for (const path of changedSet) {
    // `dir/` (an index page's directory) belongs to `dir/` itself, which `dir/*` covers.
    const directory = directoryOf(path);
    directory.changed.push(path);
    for (const ancestor of ancestorsOf(directory, path)) ancestor.changedBelow++;
  }
  for (const path of new Set(allPaths)) {
    if (changedSet.has(path) || path.endsWith('/')) continue;
    const directory = directoryOf(path);
    for (const ancestor of ancestorsOf(directory, path)) ancestor.unchangedBelow++;
  }

  // Tree knapsack: best[k] is the least cost covering every changed path below
  // the node with at most k entries. Cost = unchanged objects re-fetched, then paths.
  const weight = maxPaths + 1;
  const solved = new Map<DirectoryNode, { best: number[]; steps: number[][] }>();
  const solve = (directory: DirectoryNode): number[] => {
    const size = Math.min(maxPaths, directory.changedBelow);
    let combined = Array.from({ length: size + 1 }, (_, k) => (k >= directory.changed.length ? directory.changed.length : Infinity));
    const steps: number[][] = [combined];
    for (const child of directory.children.values()) {
      if (child.changedBelow === 0) continue;
      const childBest = solve(child);
      const merged = new Array<number>(size + 1).fill(Infinity);
      for (let k = 0; k <= size; k++) {
        for (let j = 0; j <= Math.min(k, childBest.length - 1); j++) {
          const cost = (combined[k - j] as number) + (childBest[j] as number);
          if (cost < (merged[k] as number)) merged[k] = cost;
        }
      }
      combined = merged;
      steps.push(combined);
    }
    const collapse = directory.unchangedBelow * weight + 1;
    // On a tie the deeper paths win: they say more precisely what changed.
    const best = combined.map((cost, k) => (k >= 1 && collapse < cost ? collapse : cost));
    solved.set(directory, { best, steps });
    return best;
  };
  solve(root);

  const result: string[] = [];
  const emit = (directory: DirectoryNode, budget: number): void => {
    const { best, steps } = solved.get(directory) as { best: number[]; steps: number[][] };
    const k = Math.min(budget, best.length - 1);
    const collapse = directory.unchangedBelow * weight + 1;
    if (k >= 1 && collapse < ((steps[steps.length - 1] as number[])[k] as number)) {
      result.push(`${directory.path}*`);
      return;
    }
    // Walk the merges backwards, giving each child the budget that produced the optimum.
    const children = [...directory.children.values()].filter((child) => child.changedBelow > 0);
    let remaining = k;
    for (let index = children.length - 1; index >= 0; index--) {
      const child = children[index] as DirectoryNode;
      const before = steps[index] as number[];
      const after = (steps[index + 1] as number[])[remaining] as number;
      const childBest = solved.get(child)!.best;
      for (let j = 0; j <= Math.min(remaining, childBest.length - 1); j++) {
        if ((before[remaining - j] as number) + (childBest[j] as number) === after) {
          emit(child, j);
          remaining -= j;
          break;
        }
      }
    }
    result.push(...directory.changed);
  };
  emit(root, maxPaths);
  return result.sort();
}

export interface InvalidationResult {
  id: string;
  status: string;
}

function isCompleted(status: string | undefined): boolean {
  // CloudFront says "Completed"; moto says "COMPLETED".
  return status?.toLowerCase() === 'completed';
}

export async function createInvalidation(cloudfront: CloudFrontClient, distributionId: string, paths: readonly string[]): Promise<InvalidationResult> {
  // One reference per batch: the SDK's retries of this request then cannot create a second invalidation.
  const callerReference = `deploy-suite-${Date.now()}-${createHash('sha256').update(paths.join('\n')).digest('hex').slice(0, 12)}`;
  const response = await cloudfront.send(
    new CreateInvalidationCommand({
      DistributionId: distributionId,
      InvalidationBatch: { CallerReference: callerReference, Paths: { Quantity: paths.length, Items: [...paths] } },
    }),
  );
  const id = response.Invalidation?.Id;
  if (!id) throw new ActionFailure(`CloudFront accepted the invalidation of ${distributionId} but returned no id`);
  return { id, status: response.Invalidation?.Status ?? 'InProgress' };
}

export async function waitForInvalidation(
  cloudfront: CloudFrontClient,
  distributionId: string,
  invalidation: InvalidationResult,
  timeoutMs: number,
  log: Logger,
): Promise<InvalidationResult> {
  if (isCompleted(invalidation.status)) return invalidation;
  return waitUntil(
    async () => {
      const response = await cloudfront.send(new GetInvalidationCommand({ DistributionId: distributionId, Id: invalidation.id }));
      const status = response.Invalidation?.Status ?? 'unknown';
      return isCompleted(status) ? { done: true, value: { id: invalidation.id, status } } : { done: false, status };
    },
    { description: `invalidation ${invalidation.id} of ${distributionId}`, timeoutMs, initialDelayMs: 1_000, maxDelayMs: 15_000, factor: 1.5, progressIntervalMs: 15_000, progress: log },
  );
}
