/**
 * The bundle gives dorny/paths-filter's per-filter outputs for the filter files
 * that used to trip it: ORed negations, only negations, literal paths with glob
 * characters, unmerged and unknown change types, names dorny accepts, names
 * equal to our extra outputs. Expected values come from the reference model of
 * dorny's semantics run on the same change list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as load } from 'yaml';
import { runAction } from '@deploy-suite/test';
import { referenceMatch } from '../../../actions/detect-changes/src/filters.reference.js';
import { Repo } from './repo.js';

const ACTION = 'detect-changes';
const FILTERS = `
shared: &shared ['packages/shared/**']
pkg-a: ['pkg/a/**', '!**/*.md']
not-docs: ['!docs/**']
"app/marketing": ['app/(marketing)/page.tsx', 'pages/[id].tsx']
my.filter: [*shared, 'services/**']
typed: [{unmerged: '**'}, {'added|modified': 'pkg/**'}, {changed: 'docs/**'}]
targets: ['docs/**']
files-count: ['**/*.txt']
`;
const CHANGED = {
  'pkg/a/index.ts': 'a v2\n',
  'pkg/a/README.md': '# a v2\n',
  'pkg/b/new.ts': 'new\n',
  'docs/guide.md': 'guide v2\n',
  'app/(marketing)/page.tsx': 'page v2\n',
  'pages/[id].tsx': 'id v2\n',
  'services/api/main.ts': 'api v2\n',
};
const BEFORE = {
  'pkg/a/index.ts': 'a\n',
  'pkg/a/README.md': '# a\n',
  'docs/guide.md': 'guide\n',
  'app/(marketing)/page.tsx': 'page\n',
  'pages/[id].tsx': 'id\n',
  'services/api/main.ts': 'api\n',
  'notes.txt': 'unchanged\n',
};

let repo: Repo;
let before: string;
let after: string;
let changes: { filename: string; status: string }[];
beforeAll(() => {
  repo = Repo.init();
  before = repo.commit(BEFORE, 'before');
  after = repo.commit(CHANGED, 'after');
  changes = repo
    .git('diff', '--no-renames', '--name-status', before, after)
    .split('\n')
    .map((line) => {
      const [letter, filename] = line.split('\t') as [string, string];
      return { filename, status: letter === 'A' ? 'added' : letter === 'D' ? 'deleted' : 'modified' };
    });
});
afterAll(() => repo.remove());

const run = (inputs: Record<string, string>) =>
  runAction(ACTION, { workspace: repo.directory, event: { before, after }, sha: after, inputs: { filters: FILTERS, 'list-files': 'json', ...inputs } });

describe.concurrent('detect-changes gives dorny/paths-filter’s outputs for the same filter file', () => {
  it.each(['some', 'every'] as const)('predicate-quantifier %s', async (quantifier) => {
    const result = await run({ 'predicate-quantifier': quantifier });
    expect(result.errors).toEqual([]);
    const expected = referenceMatch(load(FILTERS) as Record<string, unknown>, changes, quantifier);
    // A grid that tells matching from not matching: filters on both sides.
    expect(Object.values(expected).filter((files) => files.length > 0).length).toBeGreaterThan(1);
    expect(Object.values(expected).filter((files) => files.length === 0).length).toBeGreaterThan(0);
    for (const [name, files] of Object.entries(expected)) {
      expect(result.outputs[name], name).toBe(String(files.length > 0));
      expect(result.outputs[`${name}_count`], name).toBe(String(files.length));
      expect(JSON.parse(result.outputs[`${name}_files`] as string), name).toEqual(files);
    }
    expect(result.outputs.changes).toBe(JSON.stringify(Object.keys(expected).filter((name) => (expected[name] as string[]).length > 0)));
  });

  it('the traps keep dorny’s result and say so; shadowed outputs name the filter', async () => {
    const result = await run({});
    expect(result.exitCode).toBe(0);
    // Every changed file that is not Markdown, anywhere: dorny's reading of the README example.
    expect(JSON.parse(result.outputs['pkg-a_files'] as string)).toEqual(['app/(marketing)/page.tsx', 'pages/[id].tsx', 'pkg/a/README.md', 'pkg/a/index.ts', 'pkg/b/new.ts', 'services/api/main.ts']);
    expect(result.outputs['app/marketing_count']).toBe('2');
    expect(result.outputs.targets).toBe('true');
    expect(result.outputs['files-count']).toBe('false');
    expect(result.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^filter "pkg-a": "!\*\*\/\*\.md" is a rule of its own.*negation: gitignore/),
        expect.stringMatching(/^filter "typed": change type "changed" is not one of .*never matches/),
        expect.stringMatching(/^filter "targets" writes the output "targets", so this action's "targets" output is not set; rename the filter/),
        expect.stringMatching(/^filter "files-count" writes the output "files-count"/),
      ]),
    );
    expect(result.warnings).toHaveLength(4);
  });

  it('negation: gitignore removes the negated files from the list instead', async () => {
    const result = await run({ negation: 'gitignore', filters: "pkg-a: ['pkg/a/**', '!**/*.md']" });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.outputs).toMatchObject({ 'pkg-a': 'true', 'pkg-a_files': '["pkg/a/index.ts"]', changes: '["pkg-a"]' });
  });

  it('no filters at all ({}), as dorny accepts', async () => {
    const result = await run({ filters: '{}' });
    expect(result.errors).toEqual([]);
    expect(result.outputs).toMatchObject({ changes: '[]', any_changed: 'false', all_changed: 'false', targets: '[]' });
  });
});
