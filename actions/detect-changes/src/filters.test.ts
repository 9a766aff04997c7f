import { describe, expect, it } from 'vitest';
import { load } from 'js-yaml';
import { ConfigurationError } from '@deploy-suite/kit';
import type { NegationMode, PredicateQuantifier } from './constants.js';
import { ChangeList, type ChangedFile } from './changes.js';
import { compileFilters, matchFilters, parseFilters } from './filters.js';
import { loadPicomatch } from './glob.js';

const picomatch = await loadPicomatch();

function names(yaml: string, files: ChangedFile[], quantifier: PredicateQuantifier = 'some', negation: NegationMode = 'paths-filter'): Record<string, string[]> {
  const options = { quantifier, negation };
  const results = matchFilters(compileFilters(parseFilters(load(yaml), options), options, picomatch), ChangeList.of(files));
  return Object.fromEntries(results.map((result) => [result.name, result.paths]));
}
const warnings = (yaml: string, quantifier: PredicateQuantifier = 'some', negation: NegationMode = 'paths-filter') => parseFilters(load(yaml), { quantifier, negation }).warnings;
const file = (filename: string, status = 'modified'): ChangedFile => ({ filename, status });
const modified = (...paths: string[]) => paths.map((path) => file(path));

describe('parsing, as dorny/paths-filter parses', () => {
  it.each([
    ['a scalar document', 'not a dictionary', /must be a YAML mapping of filter names/],
    ['an empty document', '~', /must be a YAML mapping/],
    ['a change-type map holding a map', 'src:\n  - src/**/*.js\n  - dict:\n      some: value', /change type "dict" must map to a glob or a list of globs/],
    ['a rule of the wrong type', 'a: [42]', /neither a glob nor a map/],
    ['a null rule', 'a: [~]', /neither a glob nor a map/],
    ['a change type listing a number', 'a: [{added: [3]}]', /lists 3, which is not a glob/],
    ['an empty glob', 'a: [""]', /empty glob/],
  ])('rejects %s with one input error', (_case, yaml, expected) => {
    const parse = () => parseFilters(load(yaml), { quantifier: 'some', negation: 'paths-filter' });
    expect(parse).toThrow(ConfigurationError);
    expect(parse).toThrow(expected);
  });

  it.each([
    ['names dorny accepts', '"my.filter": ["**"]\n"web/app": ["web/**"]\n"9lives": ["**"]\n"my filter": ["**"]', ['my.filter', 'web/app', '9lives', 'my filter']],
    ['no filters at all', '{}', []],
    ['a top-level list (filters named by index)', '- "src/**"\n- "docs/**"', ['0', '1']],
  ])('accepts %s', (_case, yaml, expected) => {
    expect(parseFilters(load(yaml), { quantifier: 'some', negation: 'paths-filter' }).filters.map((filter) => filter.name)).toEqual(expected);
  });
});

describe('matching, as dorny/paths-filter matches', () => {
  it.each<[string, string, ChangedFile[], Record<string, string[]>, PredicateQuantifier?]>([
    ['a single inline rule', 'src: "src/**/*.js"', modified('src/app/module/file.js'), { src: ['src/app/module/file.js'] }],
    ['a single rule in a list', 'src:\n  - src/**/*.js', modified('src/app/module/file.js'), { src: ['src/app/module/file.js'] }],
    ['no match in another folder', 'src: ["src/**/*.js"]', modified('not_src/other_file.js'), { src: [] }],
    ['only the second filter', 'src: ["src/**/*.js"]\ntest: ["test/**/*.js"]', modified('test/test.js'), { src: [], test: ['test/test.js'] }],
    ['the second rule of one filter', 'src: ["src/**/*.js", "test/**/*.js"]', modified('test/test.js'), { src: ['test/test.js'] }],
    ['anything', 'any: ["**"]', modified('test/test.js'), { any: ['test/test.js'] }],
    ['dot folders and dot files', 'dot: ["**/*.js"]', modified('.test/.test.js'), { dot: ['.test/.test.js'] }],
    ['* does not cross directories', 'top: ["*.json"]', modified('package.json', 'a/package.json'), { top: ['package.json'] }],
    ['an extglob negating a group', "backend: ['!(**/*.tsx|**/*.less)']", modified('src/ui.tsx', 'src/ui.less', 'src/server.py'), { backend: ['src/server.py'] }],
    [
      'every: only files matching every glob',
      "backend: ['pkg/a/b/c/**', '!**/*.jpeg', '!**/*.md']",
      modified('pkg/a/b/c/some-class.ts', 'pkg/a/b/c/src/main/some-class.ts', 'pkg/x/y/z/some-class.ts', 'pkg/x/y/z/p.jpeg', 'pkg/a/b/c/p.jpeg', 'pkg/a/b/c/src/d.md'),
      { backend: ['pkg/a/b/c/some-class.ts', 'pkg/a/b/c/src/main/some-class.ts'] },
      'every',
    ],
    ['rules included through a YAML anchor', 'shared: &shared\n  - common/**/*\n  - config/**/*\nsrc:\n  - *shared\n  - src/**/*', modified('config/settings.yml'), { shared: ['config/settings.yml'], src: ['config/settings.yml'] }],
    // dorny's README example: rules are ORed, so "!**/*.md" matches every file that is not Markdown, anywhere.
    ["some: a negation is a rule of its own (ORed)", "a: ['pkg/a/**', '!**/*.md']", modified('pkg/a/x.md', 'pkg/b/y.ts', 'docs/z.md'), { a: ['pkg/a/x.md', 'pkg/b/y.ts'] }],
    ['a list of only negations matches everything outside', "a: ['!docs/**']", modified('docs/a.md', 'src/b.ts'), { a: ['src/b.ts'] }],
    ['a literal path with glob characters (Next.js route group)', "app: ['app/(marketing)/page.tsx']", modified('app/(marketing)/page.tsx', 'app/marketing/page.tsx'), { app: ['app/(marketing)/page.tsx', 'app/marketing/page.tsx'] }],
    ['a literal path with brackets (dynamic segment)', "page: ['pages/[id].tsx']", modified('pages/[id].tsx', 'pages/x.tsx'), { page: ['pages/[id].tsx'] }],
    ['every with no rule matches every file', 'none: []', modified('a', 'b/c'), { none: ['a', 'b/c'] }, 'every'],
    ['some with no rule matches nothing', 'none: []', modified('a'), { none: [] }],
  ])('%s', (_case, yaml, files, expected, quantifier) => {
    expect(names(yaml, files, quantifier)).toEqual(expected);
  });
});

describe('change types, as dorny/paths-filter reads them', () => {
  const files = [file('new.js', 'added'), file('edit.js', 'modified'), file('gone.js', 'deleted'), file('conflict.js', 'unmerged'), file('moved.js', 'renamed')];
  it.each<[string, string, string[]]>([
    ['a modified file is not added', 'f: [{added: "**/*"}]', ['new.js']],
    ['several types joined with |', 'f: [{"added|modified": "**/*"}]', ['new.js', 'edit.js']],
    ['case-insensitive and trimmed', 'f: [{" Added | MODIFIED ": "**"}]', ['new.js', 'edit.js']],
    ['unmerged', 'f: [{unmerged: "**"}]', ['conflict.js']],
    ['an anchor as the globs', 'shared: &shared ["edit.js", "gone.js"]\nf: [{modified: *shared}]', ['edit.js']],
    ['an unknown change type never matches', 'f: [{changed: "**"}]', []],
    ['an empty change type never matches', 'f: [{"|": "**"}]', []],
    ['several change types in one map are rules of their own', 'f: [{added: "new.js", deleted: "**"}]', ['new.js', 'gone.js']],
  ])('%s', (_case, yaml, expected) => {
    expect(names(yaml, files).f).toEqual(expected);
  });
});

describe('warnings where dorny/paths-filter’s meaning is a trap', () => {
  it('a negation ORed with other rules names the filter and the opt-in', () => {
    expect(warnings("web: ['web/**', '!web/**/*.md']")).toEqual([
      expect.stringMatching(/^filter "web": "!web\/\*\*\/\*\.md" is a rule of its own, ORed .* every file outside "web\/\*\*\/\*\.md" .*set "negation: gitignore"/),
    ]);
    expect(warnings("web: ['!a/**', '!b/**']")).toEqual([expect.stringMatching(/outside "a\/\*\*" or outside "b\/\*\*"/)]);
  });

  it('no warning for a lone negation, under every, or with the opt-in', () => {
    expect(warnings("a: ['!docs/**']")).toEqual([]);
    expect(warnings("a: ['src/**', '!**/*.md']", 'every')).toEqual([]);
    expect(warnings("a: ['src/**', '!**/*.md']", 'some', 'gitignore')).toEqual([]);
  });

  it('an unknown change type says it never matches and suggests one', () => {
    expect(warnings('a: [{changed: "**"}]')).toEqual([expect.stringMatching(/^filter "a": change type "changed" is not one of added, .*never matches.*did you mean "modified"/)]);
  });

  it('an empty filter under every says it matches everything', () => {
    expect(warnings('a: []', 'every')).toEqual([expect.stringMatching(/filter "a" has no rule, so .* matches every changed file/)]);
  });
});

describe('negation: gitignore (opt-in)', () => {
  const files = modified('pkg/a/x.md', 'pkg/a/y.ts', 'pkg/b/z.ts', 'docs/r.md', 'pkg/a/keep/README.md');
  it.each<[string, string, string[]]>([
    ['a negation removes what earlier globs added', "f: ['pkg/a/**', '!**/*.md']", ['pkg/a/y.ts']],
    ['a later glob adds back', "f: ['pkg/a/**', '!**/*.md', '**/keep/*.md']", ['pkg/a/y.ts', 'pkg/a/keep/README.md']],
    ['anchors keep their place in the order', "shared: &s ['pkg/b/**']\nf: ['pkg/a/**', *s, '!pkg/**/z.ts']", ['pkg/a/x.md', 'pkg/a/y.ts', 'pkg/a/keep/README.md']],
    ['inside a change-type rule', "f: [{modified: ['pkg/**', '!**/*.md']}]", ['pkg/a/y.ts', 'pkg/b/z.ts']],
  ])('%s', (_case, yaml, expected) => {
    expect(names(yaml, files, 'some', 'gitignore').f).toEqual(expected);
  });

  it('a list that starts with a negation is an input error', () => {
    expect(() => parseFilters(load("f: ['!docs/**']"), { quantifier: 'some', negation: 'gitignore' })).toThrow(/filter "f" starts with the negation "!docs\/\*\*".*nothing to remove/);
  });
});

describe('picomatch is needed only for shapes the string tests do not cover', () => {
  it.each([
    ["a: ['src/**', '**/*.md', '!docs/**', 'README.md', '**/*.{ts,tsx}']", false],
    ["a: ['pages/[id].tsx']", true],
    ["a: [{added: ['!(docs)/**']}]", true],
  ])('%s', (yaml, expected) => {
    expect(parseFilters(load(yaml), { quantifier: 'some', negation: 'paths-filter' }).needsPicomatch).toBe(expected);
  });

  it('compiling a shape that needs picomatch without it is a bug, not a silent mismatch', () => {
    const options = { quantifier: 'some', negation: 'paths-filter' } as const;
    expect(() => compileFilters(parseFilters(load("a: ['pages/[id].tsx']"), options), options, undefined)).toThrow(/picomatch is needed/);
  });
});
