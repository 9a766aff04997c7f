import { describe, expect, it } from 'vitest';
import { load } from 'js-yaml';
import { ConfigurationError } from '@deploy-suite/kit';
import type { ChangeStatus, PredicateQuantifier } from './constants.js';
import { matchFilters, parseFilters, type ChangedFile } from './filters.js';

function names(yaml: string, files: ChangedFile[], quantifier: PredicateQuantifier = 'some'): Record<string, string[]> {
  const results = matchFilters(parseFilters(load(yaml), quantifier), files, quantifier);
  return Object.fromEntries(results.map((result) => [result.name, result.files.map((file) => file.filename)]));
}
const file = (filename: string, status: ChangeStatus = 'modified'): ChangedFile => ({ filename, status });

describe('filter semantics (dorny/paths-filter compatible)', () => {
  it.each<[string, string, ChangedFile[], Record<string, string[]>, PredicateQuantifier?]>([
    ['a single glob string', 'src: "src/**"', [file('src/a.ts'), file('test/a.ts')], { src: ['src/a.ts'] }],
    ['a list of globs', 'app: ["src/**", "package.json"]', [file('package.json'), file('README.md')], { app: ['package.json'] }],
    ['dot files match', 'ci: [".github/**"]', [file('.github/workflows/ci.yml')], { ci: ['.github/workflows/ci.yml'] }],
    ['** matches at any depth', 'md: ["**/*.md"]', [file('README.md'), file('a/b/c.md'), file('a/b/c.txt')], { md: ['README.md', 'a/b/c.md'] }],
    ['* does not cross directories', 'top: ["*.json"]', [file('package.json'), file('a/package.json')], { top: ['package.json'] }],
    ['negation in a list excludes (some)', 'web: ["web/**", "!web/**/*.md"]', [file('web/a.ts'), file('web/docs/b.md')], { web: ['web/a.ts'] }],
    ['negation with every', 'web: ["web/**", "!web/**/*.md"]', [file('web/a.ts'), file('web/docs/b.md')], { web: ['web/a.ts'] }, 'every'],
    ['every requires all globs', 'both: ["src/**", "**/*.ts"]', [file('src/a.ts'), file('src/b.js'), file('lib/c.ts')], { both: ['src/a.ts'] }, 'every'],
    ['an extglob !(...) is not a negation', 'notmd: ["docs/!(*.md)"]', [file('docs/a.txt'), file('docs/b.md')], { notmd: ['docs/a.txt'] }],
    [
      'change types restrict a rule',
      'added: [{added: "**"}]\nchanged: [{"added|modified": "src/**"}]\ndeleted: [{deleted: ["**/*.ts"]}]',
      [file('src/new.ts', 'added'), file('src/old.ts', 'deleted'), file('src/edit.ts', 'modified')],
      { added: ['src/new.ts'], changed: ['src/new.ts', 'src/edit.ts'], deleted: ['src/old.ts'] },
    ],
    ['change types are case-insensitive and trimmed', 'a: [{" Added | MODIFIED ": "**"}]', [file('x', 'added'), file('y', 'deleted')], { a: ['x'] }],
    [
      'YAML anchors are flattened',
      'shared: &shared ["lib/**"]\napi: [*shared, "api/**"]',
      [file('lib/x.ts'), file('api/y.ts'), file('web/z.ts')],
      { shared: ['lib/x.ts'], api: ['lib/x.ts', 'api/y.ts'] },
    ],
    ['a filter that matches nothing is empty', 'none: ["nothing/**"]', [file('src/a.ts')], { none: [] }],
  ])('%s', (_case, yaml, files, expected, quantifier) => {
    expect(names(yaml, files, quantifier)).toEqual(expected);
  });

  it.each([
    ['not a mapping', '- a\n- b', /must be a YAML mapping of filter names/],
    ['an unknown change type', 'a: [{changed: "**"}]', /unknown change type "changed"/],
    ['an empty change type', 'a: [{"|": "**"}]', /empty change type/],
    ['a rule of the wrong type', 'a: [42]', /neither a glob nor a map/],
    ['a change type mapped to a number', 'a: [{added: 3}]', /must map to a glob or a list of globs/],
    ['only negations', 'a: ["!docs/**"]', /only negated globs/],
    ['an invalid output name', '"9lives": ["**"]', /cannot be an output name/],
    ['a name with a dot', '"a.b": ["**"]', /cannot be an output name/],
    ['no filters', '{}', /defines no filter/],
  ])('rejects %s', (_case, yaml, expected) => {
    expect(() => parseFilters(load(yaml), 'some')).toThrow(ConfigurationError);
    expect(() => parseFilters(load(yaml), 'some')).toThrow(expected);
  });
});

describe('the compiled matchers (regex, prefix and suffix pre-checks) agree with picomatch', () => {
  const paths = ['', '.md', 'x/.md', '.github/a.md', 'services/api/.env', 'services/api/x/.hidden/y', 'services', 'services/apix', 'README.md', 'services/worker/a.ts', 'docs/x/y.md', 'docs/.md', 'a.md/b', 'services/api', 'services/api/a.ts', 'services/apis/a.ts', 'services/api/deep/b/c.md', 'web/.env', 'web/a.md', 'x/services/api/a.ts', '.github/w.yml', 'a{b}/c'];
  it.each(['services/api/**', 'services/api/*.ts', 'web/**/*.md', 'web/.*', '.github/**', '**/*.md', 'services/{api,worker}/**', 'a{b}/**', 'services/api', '!(web)/**', '*.md', '**/[ab].md', '**/*.{md,ts}', 'docs/*.md', '!docs/**', '!(docs)/**', 'web/!(*.md)', '**', '*', 'services/*/a.ts', '+(services|web)/**', 'README.md', '**/*.test.ts', '**/.md', 'services/**', '.github/**/*.md'])('%s', async (glob) => {
    const { default: picomatch } = await import('picomatch');
    const reference = picomatch(glob, { dot: true });
    const [filter] = parseFilters({ f: glob }, 'every');
    const matched = matchFilters([filter!], paths.map((filename) => ({ filename, status: 'modified' })), 'every')[0]!.files.map((file) => file.filename);
    expect(matched).toEqual(paths.filter((path) => reference(path)));
  });
});
