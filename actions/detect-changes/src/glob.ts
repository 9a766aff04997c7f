/**
 * Glob matching with picomatch's meaning (`dot: true`, as dorny/paths-filter
 * calls it), without paying for picomatch on the common shapes.
 *
 * picomatch compiles every glob to a regular expression; loading it and
 * compiling is a good part of a cold start. The shapes teams write most
 * (`dir/**`, `**\/*.ext`, `dir/*.ext`, a literal path, a `{a,b}` choice of
 * them, and `!` of any of those) are answered here with string tests that give
 * the same answer for every path git lists (relative, no empty, `.` or `..`
 * segment, no line break: see `isPlainPath`). Every other glob, and every path
 * outside that shape, goes to picomatch itself, loaded only then. The
 * differential tests (filters.parity.test.ts) hold the two to the same answers.
 */
export type Matcher = (path: string) => boolean;
export type Picomatch = (glob: string | string[], options: { dot: boolean }) => Matcher;

export const PICOMATCH_OPTIONS = { dot: true } as const;

/** A path segment with no character picomatch reads as syntax. */
const LITERAL = /^[^*?[\](){}!+@\\|,"/]+$/;
/** What may follow `*` in a last segment: a literal that is not only dots. */
const SUFFIX = /^[^*?[\](){}!+@\\|,"/]*[^*?[\](){}!+@\\|,"/.][^*?[\](){}!+@\\|,"/]*$/;
/** One `{a,b,c}` of literal alternatives (no nesting, no ranges). */
const BRACES = /^([^{}]*)\{([^{}]*)\}([^{}]*)$/;
const LINE_BREAK = /[\n\r\u2028\u2029]/;

const literalSegments = (segments: readonly string[]): boolean => segments.every((segment) => LITERAL.test(segment) && segment !== '.' && segment !== '..');

/** Paths the fast shapes are exact for: git's relative paths without line breaks. */
export function isPlainPath(path: string): boolean {
  return path !== '' && !LINE_BREAK.test(path);
}

/** Whether a text (a path, or git's whole output) holds a line break. */
export const hasLineBreak = (text: string): boolean => LINE_BREAK.test(text);

/**
 * One glob as a string test, or undefined when only picomatch can answer it.
 * The test is exact for plain paths (isPlainPath).
 */
export function fastMatcher(glob: string, ownText = true): Matcher | undefined {
  if (glob.startsWith('!')) {
    if (glob.startsWith('!(') || glob.startsWith('!!')) return undefined;
    // picomatch answers true for the glob's own text, then negates the pattern's regex (which knows no such rule).
    const inner = fastMatcher(glob.slice(1), false);
    return inner && ((path) => path === glob || !inner(path));
  }
  const braces = BRACES.exec(glob);
  if (braces) {
    const [, head, choices, tail] = braces as unknown as [string, string, string, string];
    const alternatives = choices.split(',');
    if (alternatives.length < 2 || alternatives.some((choice) => choice === '' || choice.includes('..'))) return undefined;
    const matchers = alternatives.map((choice) => fastMatcher(`${head}${choice}${tail}`));
    if (matchers.some((matcher) => matcher === undefined)) return undefined;
    return anyOf(ownText ? [...(matchers as Matcher[]), (path) => path === glob] : (matchers as Matcher[]));
  }
  return shapeMatcher(glob);
}

interface Shape {
  /** Literal segments, each followed by `/` ('' for none). */
  prefix: string;
  /** Whether a `**` follows the prefix. */
  deep: boolean;
  /** The one segment after the prefix (and the `**`); undefined: nothing after `**`. */
  tail: string | undefined;
}

/** Literal prefix segments, an optional `**`, then at most one last segment. */
function shapeOf(glob: string): Shape | undefined {
  if (glob === '' || glob.startsWith('/') || glob.endsWith('/')) return undefined;
  const segments = glob.split('/');
  const globstar = segments.indexOf('**');
  const prefixSegments = globstar === -1 ? segments.slice(0, -1) : segments.slice(0, globstar);
  const tailSegments = globstar === -1 ? segments.slice(-1) : segments.slice(globstar + 1);
  if (!literalSegments(prefixSegments) || tailSegments.length > 1) return undefined;
  return { prefix: prefixSegments.length > 0 ? `${prefixSegments.join('/')}/` : '', deep: globstar !== -1, tail: tailSegments[0] };
}

/** A literal, `*` or `*suffix` last segment after literal prefix segments, or the same at any depth after `prefix**`. */
function shapeMatcher(glob: string): Matcher | undefined {
  const shape = shapeOf(glob);
  if (!shape) return undefined;
  return shape.deep ? deepMatcher(shape.prefix, shape.tail) : flatMatcher(shape.prefix, shape.tail as string);
}

/** `prefix` then one last segment, no `**`. */
function flatMatcher(prefix: string, tail: string): Matcher | undefined {
  if (literalSegments([tail])) {
    const whole = prefix + tail;
    return (path) => path === whole;
  }
  if (tail === '*') return (path) => path.length > prefix.length && path.startsWith(prefix) && path.indexOf('/', prefix.length) === -1;
  if (tail.startsWith('*') && SUFFIX.test(tail.slice(1))) {
    const suffix = tail.slice(1);
    const shortest = prefix.length + suffix.length;
    return (path) => path.length >= shortest && path.startsWith(prefix) && path.endsWith(suffix) && path.indexOf('/', prefix.length) === -1;
  }
  return undefined;
}

/** `prefix**` then nothing, or a literal, `*` or `*suffix` last segment at any depth. */
function deepMatcher(prefix: string, tail: string | undefined): Matcher | undefined {
  const base = prefix.slice(0, -1);
  if (tail === undefined || tail === '*') {
    if (prefix === '') return (path) => path !== '';
    // `dir/**` matches dir itself; `dir/**/*` only what is inside it.
    if (tail === undefined) return (path) => path.startsWith(prefix) || path === base;
    return (path) => path.length > prefix.length && path.startsWith(prefix);
  }
  if (tail === '**') return undefined;
  if (literalSegments([tail])) {
    const name = `/${tail}`;
    if (prefix === '') return (path) => path === tail || path.endsWith(name);
    const direct = prefix + tail;
    return (path) => path === direct || (path.startsWith(prefix) && path.endsWith(name) && path.length > direct.length);
  }
  if (tail.startsWith('*') && SUFFIX.test(tail.slice(1))) {
    const suffix = tail.slice(1);
    if (prefix === '') return (path) => path.endsWith(suffix);
    const shortest = prefix.length + suffix.length;
    return (path) => path.length >= shortest && path.startsWith(prefix) && path.endsWith(suffix);
  }
  return undefined;
}

/** OR of matchers, as one loop. */
export function anyOf(matchers: readonly Matcher[]): Matcher {
  if (matchers.length === 1) return matchers[0] as Matcher;
  return (path) => {
    for (let index = 0; index < matchers.length; index++) if ((matchers[index] as Matcher)(path)) return true;
    return false;
  };
}

/**
 * A list of globs ORed (picomatch's meaning of a list), as data that one shared
 * function tests (inGlobSet): `dir/**` a prefix, `**\/*.ext` a suffix,
 * `dir/**\/*.ext` both, literals one set; only other shapes are closures. One function for every filter is what keeps a cold process
 * fast: its loop is optimized once, on the first filter, and stays so for the
 * rest, where a closure per glob would warm up again for each.
 */
export interface GlobSet {
  /** Every entry the same shape (one hidden class, so the scan stays monomorphic). */
  tests: PathTest[];
  exact: Set<string>;
  others: Matcher[];
}

/** A path at least minLength long that starts with prefix and ends with suffix ('' for either: any). */
interface PathTest {
  prefix: string;
  suffix: string;
  minLength: number;
}

const pathTest = (prefix: string, suffix: string): PathTest => ({ prefix, suffix, minLength: Math.max(1, prefix.length + suffix.length) });

/** Whether a plain path (isPlainPath) matches some glob of the set. */
export function inGlobSet(set: GlobSet, path: string): boolean {
  const tests = set.tests;
  for (let index = 0; index < tests.length; index++) {
    const test = tests[index] as PathTest;
    if (path.length >= test.minLength && path.startsWith(test.prefix) && path.endsWith(test.suffix)) return true;
  }
  if (set.exact.size > 0 && set.exact.has(path)) return true;
  const others = set.others;
  for (let index = 0; index < others.length; index++) if ((others[index] as Matcher)(path)) return true;
  return false;
}

/**
 * The items whose paths (paths[i] is items[i]'s) are in the set, in their
 * order. When the paths are in ascending order (git lists them so; isAscending
 * checks) a prefix is a range found by binary search, so a `dir/**` glob never
 * looks at the paths outside dir/, and a lone one is a slice.
 */
export function selectInGlobSet<T>(set: GlobSet, paths: readonly string[], items: readonly T[], ascending: boolean): T[] {
  if (!ascending || set.others.length > 0) return items.filter((_item, index) => inGlobSet(set, paths[index] as string));
  const ranges = set.tests.map((test) => testRange(test, paths));
  const only = ranges[0];
  if (ranges.length === 1 && set.exact.size === 0 && only) return selectInRange(only, paths, items);
  // Several tests: mark what each selects, then collect within the span of the marks.
  const marks = new Uint8Array(paths.length);
  let low = paths.length;
  let high = 0;
  for (const range of ranges) {
    markRange(marks, range, paths);
    low = Math.min(low, range.start);
    high = Math.max(high, range.end);
  }
  for (const path of set.exact) {
    const at = lowerBound(paths, path, 0);
    if (paths[at] !== path) continue;
    marks[at] = 1;
    low = Math.min(low, at);
    high = Math.max(high, at + 1);
  }
  const selected: T[] = [];
  for (let index = low; index < high; index++) if (marks[index] === 1) selected.push(items[index] as T);
  return selected;
}

/** A test and the range of sorted paths that start with its prefix. */
interface TestRange {
  test: PathTest;
  start: number;
  end: number;
}

function testRange(test: PathTest, paths: readonly string[]): TestRange {
  if (test.prefix === '') return { test, start: 0, end: paths.length };
  const start = lowerBound(paths, test.prefix, 0);
  return { test, start, end: prefixEnd(paths, test.prefix, start) };
}

/**
 * The items of the range that pass the test. Without a suffix every path of
 * the range passes: minLength is then the prefix's length (or 1, and plain
 * paths are never empty).
 */
function selectInRange<T>({ test, start, end }: TestRange, paths: readonly string[], items: readonly T[]): T[] {
  if (test.suffix === '') return items.slice(start, end);
  const selected: T[] = [];
  for (let index = start; index < end; index++) {
    const path = paths[index] as string;
    if (path.length >= test.minLength && path.endsWith(test.suffix)) selected.push(items[index] as T);
  }
  return selected;
}

/** Marks the paths of the range that pass the test (as selectInRange selects them). */
function markRange(marks: Uint8Array, { test, start, end }: TestRange, paths: readonly string[]): void {
  if (test.suffix === '') {
    marks.fill(1, start, end);
    return;
  }
  for (let index = start; index < end; index++) {
    const path = paths[index] as string;
    if (path.length >= test.minLength && path.endsWith(test.suffix)) marks[index] = 1;
  }
}

/** Whether the paths are in ascending (JavaScript string) order, each once. */
export function isAscending(paths: readonly string[]): boolean {
  for (let index = 1; index < paths.length; index++) if (!((paths[index - 1] as string) < (paths[index] as string))) return false;
  return true;
}

/** The first index at or after `from` whose path does not pass `before` (paths passing it come first, as in a sorted list). */
function firstIndexNot(paths: readonly string[], from: number, before: (path: string) => boolean): number {
  let low = from;
  let high = paths.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (before(paths[middle] as string)) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The first index at or after `from` whose path is not below `value`. */
const lowerBound = (paths: readonly string[], value: string, from: number): number => firstIndexNot(paths, from, (path) => path < value);

/** From the first path at or above prefix: the end of the run of paths that start with it (in sorted order they are one run). */
const prefixEnd = (paths: readonly string[], prefix: string, start: number): number => firstIndexNot(paths, start, (path) => path.startsWith(prefix));

/** The GlobSet of a list of globs; exact for plain paths only (isPlainPath). */
export function globSet(globs: readonly string[], picomatch: Picomatch | undefined): GlobSet {
  const set: GlobSet = { tests: [], exact: new Set(), others: [] };
  for (const glob of globs) if (!addChoices(set, glob) && !addShape(set, glob)) set.others.push(fastMatcher(glob) ?? picomatchMatcher(glob, picomatch));
  return set;
}

/** `{a,b}` whose every alternative is a shape addShape takes (and the glob's own text, which picomatch matches too). */
function addChoices(set: GlobSet, glob: string): boolean {
  const braces = BRACES.exec(glob);
  if (!braces || fastMatcher(glob) === undefined) return false;
  const [, head, choices, tail] = braces as unknown as [string, string, string, string];
  const scratch: GlobSet = { tests: [], exact: new Set([glob]), others: [] };
  if (!choices.split(',').every((choice) => addShape(scratch, `${head}${choice}${tail}`))) return false;
  set.tests.push(...scratch.tests);
  for (const path of scratch.exact) set.exact.add(path);
  return true;
}

/** The shapes of deepMatcher and a literal, as set entries (the same answers); false for any other glob. */
function addShape(set: GlobSet, glob: string): boolean {
  const shape = shapeOf(glob);
  if (!shape) return false;
  const { prefix, deep, tail } = shape;
  if (!deep) {
    if (tail === undefined || !literalSegments([tail])) return false;
    set.exact.add(prefix + tail);
    return true;
  }
  if (tail === undefined) {
    // `**` matches every path; `dir/**` dir itself too.
    set.tests.push(pathTest(prefix, ''));
    if (prefix !== '') set.exact.add(prefix.slice(0, -1));
    return true;
  }
  const suffix = literalSegments([tail]) ? `/${tail}` : tail.startsWith('*') && SUFFIX.test(tail.slice(1)) ? tail.slice(1) : undefined;
  if (suffix === undefined) return false;
  if (suffix.startsWith('/')) set.exact.add(prefix + tail);
  set.tests.push(pathTest(prefix, suffix));
  return true;
}

/** A list of globs ORed, as one test. */
export function compileGlobs(globs: readonly string[], picomatch: Picomatch | undefined, plainPaths = true): Matcher {
  // Paths with line breaks: the string tests are not exact for them, picomatch decides every glob.
  if (!plainPaths) return anyOf(globs.map((glob) => picomatchMatcher(glob, picomatch)));
  const set = globSet(globs, picomatch);
  return (path) => inGlobSet(set, path);
}

function picomatchMatcher(glob: string, picomatch: Picomatch | undefined): Matcher {
  if (!picomatch) throw new Error(`picomatch is needed for ${JSON.stringify(glob)} but was not loaded`);
  return picomatch(glob, PICOMATCH_OPTIONS);
}

/** Whether a glob needs picomatch (so it must be loaded before compiling). */
export function needsPicomatch(glob: string): boolean {
  return fastMatcher(glob) === undefined;
}

/** picomatch itself, loaded on first need (a separate chunk of the bundle). */
export async function loadPicomatch(): Promise<Picomatch> {
  const module = await import('picomatch');
  return module.default as unknown as Picomatch;
}
