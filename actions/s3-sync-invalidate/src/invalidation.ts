/**
 * Which URL paths a sync changed, and how to fit them into a few invalidation
 * paths: CloudFront bills per path and a `dir/*` wildcard counts as one, so
 * past the budget the paths are collapsed into the wildcards that re-fetch the
 * fewest unchanged objects.
 */
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
  /** best[k]: the least cost covering every changed path below with at most k entries (solveTree). */
  best: number[];
  /** The cost table after merging each child in turn, for emitPaths to walk back. */
  steps: number[][];
}

function node(path: string): DirectoryNode {
  return { path, children: new Map(), changed: [], unchangedBelow: 0, changedBelow: 0, best: [], steps: [] };
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
  const root = buildTree(changedSet, allPaths);
  // Cost = unchanged objects re-fetched, then paths: one re-fetched object outweighs any number of paths.
  const weight = maxPaths + 1;
  solveTree(root, maxPaths, weight);
  const result: string[] = [];
  emitPaths(root, maxPaths, weight, result);
  return result.sort();
}

/** The directory tree of the paths, each directory counting the changed and unchanged objects below it. */
function buildTree(changed: ReadonlySet<string>, allPaths: Iterable<string>): DirectoryNode {
  const root = node('/');
  for (const path of changed) {
    // `dir/` (an index page's directory) belongs to `dir/` itself, which `dir/*` covers.
    const chain = directoriesOf(root, path);
    (chain[chain.length - 1] as DirectoryNode).changed.push(path);
    for (const directory of chain) directory.changedBelow++;
  }
  for (const path of new Set(allPaths)) {
    if (changed.has(path) || path.endsWith('/')) continue;
    for (const directory of directoriesOf(root, path)) directory.unchangedBelow++;
  }
  return root;
}

/** The directories from the root down to the one holding `path`, created as needed. */
function directoriesOf(root: DirectoryNode, path: string): DirectoryNode[] {
  const chain = [root];
  let current = root;
  for (let slash = path.indexOf('/', 1); slash !== -1; slash = path.indexOf('/', slash + 1)) {
    const directory = path.slice(0, slash + 1);
    let child = current.children.get(directory);
    if (!child) current.children.set(directory, (child = node(directory)));
    chain.push((current = child));
  }
  return chain;
}

const collapseCost = (directory: DirectoryNode, weight: number): number => directory.unchangedBelow * weight + 1;

/** Tree knapsack: fills `best` and `steps` of every directory with changes below it. */
function solveTree(directory: DirectoryNode, maxPaths: number, weight: number): void {
  const size = Math.min(maxPaths, directory.changedBelow);
  let combined = Array.from({ length: size + 1 }, (_, k) => (k >= directory.changed.length ? directory.changed.length : Infinity));
  directory.steps = [combined];
  for (const child of directory.children.values()) {
    if (child.changedBelow === 0) continue;
    solveTree(child, maxPaths, weight);
    combined = mergeChild(combined, child.best, size);
    directory.steps.push(combined);
  }
  const collapse = collapseCost(directory, weight);
  // On a tie the deeper paths win: they say more precisely what changed.
  directory.best = combined.map((cost, k) => (k >= 1 && collapse < cost ? collapse : cost));
}

/** merged[k] = the least cost of splitting k entries between what came before and one more child. */
function mergeChild(before: readonly number[], child: readonly number[], size: number): number[] {
  const merged = new Array<number>(size + 1).fill(Infinity);
  for (let k = 0; k <= size; k++) {
    for (let j = 0; j <= Math.min(k, child.length - 1); j++) {
      const cost = (before[k - j] as number) + (child[j] as number);
      if (cost < (merged[k] as number)) merged[k] = cost;
    }
  }
  return merged;
}

/** Walks the solved tree, giving each directory the budget that produced the optimum, and collects its paths. */
function emitPaths(directory: DirectoryNode, budget: number, weight: number, result: string[]): void {
  const k = Math.min(budget, directory.best.length - 1);
  if (k >= 1 && collapseCost(directory, weight) < ((directory.steps[directory.steps.length - 1] as number[])[k] as number)) {
    result.push(`${directory.path}*`);
    return;
  }
  // Walk the merges backwards: the child merged last got the budget that makes its table add up.
  const children = [...directory.children.values()].filter((child) => child.changedBelow > 0);
  let remaining = k;
  for (let index = children.length - 1; index >= 0; index--) {
    const child = children[index] as DirectoryNode;
    const before = directory.steps[index] as number[];
    const after = (directory.steps[index + 1] as number[])[remaining] as number;
    for (let j = 0; j <= Math.min(remaining, child.best.length - 1); j++) {
      if ((before[remaining - j] as number) + (child.best[j] as number) === after) {
        emitPaths(child, j, weight, result);
        remaining -= j;
        break;
      }
    }
  }
  result.push(...directory.changed);
}

export interface InvalidationPlan {
  paths: string[];
  /** Changed keys the distribution does not serve (outside its origin path): not invalidated. */
  unserved: string[];
}

/**
 * The paths to invalidate after a sync: `all` is `/*` when anything changed; `changed` covers the changed,
 * relabelled and deleted objects (new objects were never cached) within `maxPaths`.
 */
export function planInvalidation(
  mode: 'changed' | 'all',
  sync: { changedKeys: readonly string[]; newKeys: readonly string[]; servedKeys: readonly string[] },
  originPath: string,
  maxPaths: number,
): InvalidationPlan {
  if (mode === 'all') return { paths: sync.changedKeys.length + sync.newKeys.length > 0 ? ['/*'] : [], unserved: [] };
  const changed = sync.changedKeys.flatMap((key) => cachedPathsOf(key, originPath));
  const unserved = sync.changedKeys.filter((key) => urlPathOf(key, originPath) === undefined);
  const served = sync.servedKeys.flatMap((key) => cachedPathsOf(key, originPath));
  return { paths: invalidationPaths(changed, served, maxPaths), unserved };
}
