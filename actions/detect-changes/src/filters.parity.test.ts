/**
 * Differential tests: our matchers (string tests for the common shapes,
 * picomatch for the rest, loaded only then) against a plain model of dorny's
 * semantics (filters.reference.ts) over a grid of globs × paths × change
 * statuses × quantifiers. They must agree everywhere, except with the opt-in
 * `negation: gitignore`, which is checked against gitignore's own reading.
 */
import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { ChangeList, type ChangedFile } from './changes.js';
import { compileFilters, matchFilters, parseFilters, type FilterOptions, type FilterResult } from './filters.js';
import { fastMatcher, isPlainPath, type Picomatch } from './glob.js';
import { referenceGitignore, referenceMatch } from './filters.reference.js';

const pm = picomatch as unknown as Picomatch;

/** Globs of every shape the fast path claims, and shapes it leaves to picomatch. */
const GLOBS = [
  '**', '*', '**/*', 'src/**', 'src/**/*', 'src/*', 'src/*.ts', 'src/**/*.ts', '**/*.md', '**/*.test.ts', '*.md', '*.json', '**/.md', '**/README.md',
  'README.md', 'src/a.ts', 'src/api', 'docs/**', '.github/**', '.github/**/*.yml', 'web/**/*.md', 'services/api/**', 'a.b/**', 'src/**/index.ts',
  '**/*.{md,ts}', 'services/{api,worker}/**', '{src,docs}/**', 'pages/[id].tsx', 'app/(marketing)/page.tsx', 'src/**/[ab].ts', '!(docs)/**',
  'docs/!(*.md)', '+(src|web)/**', '**/docs/**', 'src/*/a.ts', 'a{b}/**', 'src/', './src/**', '**/*.', 'src/?.ts', 'we b/**', 'x$y/**', 'my#dir/*.md',
  '*md', '**/*.d.ts', 'src/**/*.d.ts', 'src/**/.env', '**/.env', 'pages/**', 'dir.md/**',
];
const NEGATED = GLOBS.filter((glob) => !glob.startsWith('!') && !glob.startsWith('./')).map((glob) => `!${glob}`);
const ALL_GLOBS = [...GLOBS, ...NEGATED];

/** Paths as git lists them (relative, no `.`/`..` segments), with edge cases for each shape. */
const PATHS = [
  'src', 'src/a.ts', 'src/b.js', 'src/a/b.ts', 'src/.ts', 'src/.env', 'src/x/.env', 'src/x/index.ts', 'src/index.ts', 'src/x.d.ts', 'src/a/b/c.d.ts',
  'srcx/a.ts', 'src.ts', 'README.md', 'docs/README.md', '.md', 'a/.md', 'docs', 'docs/a.md', 'docs/a.txt', 'docs/x/y.md', 'a/docs/b.ts', 'a/docs',
  '.github/workflows/ci.yml', '.github/x.yml', '.github', 'web/a.md', 'web/x/y.md', 'web/a.ts', 'services/api', 'services/api/main.ts', 'services/apix/a',
  'services/worker/w.ts', 'services/x/a.ts', 'pages/[id].tsx', 'pages/i.tsx', 'pages/d.tsx', 'app/(marketing)/page.tsx', 'app/marketing/page.tsx',
  'package.json', 'a/package.json', 'a.b/c', 'a.b', 'ab/c', 'a{b}/c', 'x.test.ts', 'a/b.test.ts', 'a/b.test.ts.orig', 'we b/c', 'x$y/z', 'my#dir/a.md',
  'md', 'amd', 'a/md', 'dir.md/x', 'dir.md', 'src/a/a.ts', 'src/b/a.ts', 'x.', 'a/x.', '.env', 'a/.env', 'pages', 'pages/x/y', 'src/a.ts/b',
  '**/*.md', 'src/**', 'README.md/x',
  // Line breaks (git lists them with -z): picomatch's regexes treat them apart, so picomatch decides.
  'docs/a\nb.md', 'src/x\ny.ts', 'src/a.ts\n',
];
const STATUSES = ['added', 'modified', 'deleted', 'renamed', 'copied', 'unmerged'];

function ours(document: Record<string, unknown>, files: ChangedFile[], options: FilterOptions): Record<string, string[]> {
  const parsed = parseFilters(document, options);
  const plainPaths = files.every((file) => isPlainPath(file.filename));
  const filters = compileFilters(parsed, options, pm, plainPaths);
  const named = (results: FilterResult[]) => Object.fromEntries(results.map((result) => [result.name, result.paths]));
  const given = named(matchFilters(filters, ChangeList.of(files)));
  // The same files in git's ascending order (where prefixes become binary-searched ranges) match the same.
  const ascending = [...new Map(files.map((file) => [file.filename, file])).values()].sort((a, b) => (a.filename < b.filename ? -1 : 1));
  const sorted = named(matchFilters(filters, ChangeList.of(ascending)));
  for (const [name, matched] of Object.entries(given)) expect(sorted[name], `${name}, paths in ascending order`).toEqual([...new Set(matched)].sort((a, b) => (a < b ? -1 : 1)));
  return given;
}

describe('one glob: the string tests agree with picomatch on every path git can list', () => {
  it.each(ALL_GLOBS)('%s', (glob) => {
    const reference = picomatch(glob, { dot: true });
    const fast = fastMatcher(glob);
    const paths = [...PATHS.filter(isPlainPath), glob.replace(/^!/, ''), glob];
    if (fast) expect(paths.filter(fast)).toEqual(paths.filter((path) => reference(path)));
    // And through a whole filter, alone and in a list with others (the combined loops), on plain
    // paths and with paths holding line breaks (then picomatch decides every glob).
    const plain = paths.map((filename) => ({ filename, status: 'modified' }));
    const withBreaks = [...plain, ...PATHS.filter((path) => !isPlainPath(path)).map((filename) => ({ filename, status: 'modified' }))];
    for (const files of [plain, withBreaks]) {
      for (const quantifier of ['some', 'every'] as const) {
        const document = { alone: glob, listed: ['zzz/**', glob, '**/*.zzz'] };
        expect(ours(document, files, { quantifier, negation: 'paths-filter' })).toEqual(referenceMatch(document, files, quantifier));
      }
    }
  });

  it('the fast path covers the common shapes (so picomatch stays unloaded for them)', () => {
    for (const glob of ['src/**', '**/*.md', 'src/**/*.ts', 'src/*.ts', '*.json', 'README.md', '**/*.{ts,tsx}', 'services/{api,worker}/**', '!docs/**', '**', 'src/*']) {
      expect(fastMatcher(glob), glob).toBeDefined();
    }
    for (const glob of ['pages/[id].tsx', '!(docs)/**', '**/docs/**', './src/**']) expect(fastMatcher(glob), glob).toBeUndefined();
  });
});

describe('filters: ours against the reference model over globs × paths × change statuses × quantifiers', () => {
  // Plain paths, so the string tests decide (paths with line breaks: the single-glob tests above).
  const files: ChangedFile[] = PATHS.filter(isPlainPath).map((filename, index) => ({ filename, status: STATUSES[index % STATUSES.length] as string }));
  // Pairs of globs (a negation with a positive is the classic trap) and change-type rules over them.
  const pairs: [string, string][] = [];
  for (let a = 0; a < ALL_GLOBS.length; a += 3) for (let b = 1; b < ALL_GLOBS.length; b += 5) pairs.push([ALL_GLOBS[a] as string, ALL_GLOBS[b] as string]);

  it.each(['some', 'every'] as const)('predicate-quantifier %s', (quantifier) => {
    let compared = 0;
    for (const [first, second] of pairs) {
      const document = {
        pair: [first, second],
        typed: [{ 'added|modified': [first, second] }],
        mixed: [first, { deleted: second }, { ' Renamed | COPIED ': first }],
        nested: [[first], [[second]]],
        unknown: [{ changed: first }, second],
      };
      expect(ours(document, files, { quantifier, negation: 'paths-filter' }), `${first} / ${second}`).toEqual(referenceMatch(document, files, quantifier));
      compared++;
    }
    expect(compared).toBeGreaterThan(500);
  }, 60_000);

  it('negation: gitignore follows gitignore order (the last glob that matches decides)', () => {
    let compared = 0;
    for (const [first, second] of pairs) {
      if (first.startsWith('!')) continue;
      for (const list of [[first, second], [first, second, first], ['**', second]]) {
        const result = ours({ f: list }, files, { quantifier: 'some', negation: 'gitignore' }).f;
        expect(result, list.join(', ')).toEqual(files.filter((file) => referenceGitignore(list, file.filename)).map((file) => file.filename));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(300);
  }, 60_000);
});
