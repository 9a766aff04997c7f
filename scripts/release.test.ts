import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { changelogEntry, changelogSection, latestVersion, parseVersion, planRelease, ReleaseError } from './release.mjs';

const SHA = 'a'.repeat(40);
const CHANGELOG = `# Changelog

## [Unreleased]

## [1.1.0] - 2026-12-01

### Added
- **ecs-deploy**: input \`wait\`.

## [1.0.0] - 2026-11-30

### Added
- Everything.

[1.1.0]: https://example.com/compare/v1.0.0...v1.1.0
`;

const plan = (version: string, tags: string[], changelog = CHANGELOG) => planRelease({ version, tags, changelog, sha: SHA, repository: 'fork-org/deploy-suite' });

describe('versions', () => {
  test.each([
    ['1.2.3', '1.2.3'],
    ['v10.0.1', '10.0.1'],
    [' 0.1.0 ', '0.1.0'],
  ])('%s is X.Y.Z %s', (text, expected) => expect(parseVersion(text)?.text).toBe(expected));

  test.each(['1.2', '01.2.3', '1.2.3-rc.1', 'v', '', 'latest', '1.2.3.4'])('%j is not a release version', (text) => expect(parseVersion(text)).toBeUndefined());

  test('the last release is the highest vX.Y.Z tag, numerically; v1 and other tags are ignored', () => {
    expect(latestVersion(['v1', 'v1.9.0', 'v1.10.0', 'v1.2.11', 'nightly', 'x1.99.0'])?.text).toBe('1.10.0');
    expect(latestVersion(['v1', 'nightly'])).toBeUndefined();
  });
});

describe('changelog sections', () => {
  test('the body of the version heading up to the next heading, without link definitions', () => {
    expect(changelogSection(CHANGELOG, '1.1.0')).toBe('### Added\n- **ecs-deploy**: input `wait`.');
    expect(changelogSection(CHANGELOG, '1.0.0')).toBe('### Added\n- Everything.');
  });

  test('no section, a section of another version that merely starts alike, or an empty section: none', () => {
    expect(changelogSection(CHANGELOG, '1.2.0')).toBeUndefined();
    expect(changelogSection('## [1.0.10] - 2026-01-01\n\nten\n', '1.0.1')).toBeUndefined();
    expect(changelogEntry('## [1.3.0] - 2026-01-02\n\n## [1.2.0] - 2026-01-01\nold\n', '1.3.0')).toEqual({
      problem: "CHANGELOG.md's section for 1.3.0 is empty: say what changed for users",
    });
  });

  test.each([
    ['"Unreleased" as its date', '## [1.0.0] - Unreleased\n\n- new\n', '## [1.0.0] - Unreleased'],
    ['no date', '## [1.0.0]\n\n- new\n', '## [1.0.0]'],
    ['a date that is not YYYY-MM-DD', '## [1.0.0] - 30.11.2026\n\n- new\n', '## [1.0.0] - 30.11.2026'],
  ])('a version heading with %s is not a release entry', (_case, changelog, heading) => {
    expect(changelogSection(changelog, '1.0.0')).toBeUndefined();
    expect(changelogEntry(changelog, '1.0.0').problem).toBe(`CHANGELOG.md's heading "${heading}" has no release date: a released section reads "## [1.0.0] - YYYY-MM-DD"`);
  });

  test('changes still under [Unreleased]: the refusal says how the release pull request prepares the section', () => {
    expect(changelogEntry('# Changelog\n\n## [Unreleased]\n\n### Added\n- new\n', '1.0.0').problem).toBe(
      'CHANGELOG.md has no entry for 1.0.0 (what changed is still under "## [Unreleased]"): the pull request that prepares the release renames "## [Unreleased]" to "## [1.0.0] - YYYY-MM-DD"',
    );
  });
});

describe("the repository's own CHANGELOG.md, as releases are prepared", () => {
  const changelog = readFileSync(new URL('../CHANGELOG.md', import.meta.url), 'utf8');
  const headings = changelog.split('\n').filter((line) => line.startsWith('## '));

  test('one [Unreleased] section, at the top, collects what changed since the last release', () => {
    expect(headings[0]).toBe('## [Unreleased]');
    expect(headings.filter((heading) => /unreleased/i.test(heading))).toEqual(['## [Unreleased]']);
  });

  test('every version section is dated: "## [X.Y.Z] - YYYY-MM-DD"', () => {
    for (const heading of headings.slice(1)) expect(heading).toMatch(/^## \[\d+\.\d+\.\d+\] - \d{4}-\d{2}-\d{2}$/);
  });

  test('a release of what is still under [Unreleased] is refused, saying how to prepare it', () => {
    const released = headings.slice(1).map((heading) => parseVersion(/\[(.+)\]/.exec(heading)?.[1]));
    const next = released[0] ? `${released[0].major + 1}.0.0` : '1.0.0';
    const tags = released[0] ? [`v${released[0].text}`] : [];
    expect(() => plan(next, tags, changelog)).toThrow(`CHANGELOG.md has no entry for ${next} (what changed is still under "## [Unreleased]")`);
  });
});

describe('planning a release', () => {
  test('the first release: tag, major and notes naming the commit of each tag', () => {
    const planned = plan('v1.0.0', []);
    expect(planned).toMatchObject({ version: '1.0.0', tag: 'v1.0.0', major: 'v1', latest: undefined, sha: SHA });
    expect(planned.notes).toContain('### Added\n- Everything.');
    expect(planned.notes).toContain(`- \`v1.0.0\` → \`${SHA}\``);
    expect(planned.notes).toContain(`- \`v1\` → \`${SHA}\``);
    expect(planned.notes).toContain(`uses: fork-org/deploy-suite/actions/<name>@${SHA} # v1.0.0`);
  });

  test('a later release after the last one', () => {
    expect(plan('1.1.0', ['v1', 'v1.0.0'])).toMatchObject({ tag: 'v1.1.0', major: 'v1', latest: 'v1.0.0' });
  });

  test.each([
    ['not a version', 'latest', [], 'version "latest" is not a semantic version X.Y.Z (e.g. 1.2.0)'],
    ['an existing tag', '1.0.0', ['v1.0.0', 'v1'], 'v1.0.0 already exists: a version tag never moves; release a greater version'],
    ['a version below the last', '1.0.0', ['v1.1.0'], 'version 1.0.0 is not greater than the last release v1.1.0'],
    ['no changelog entry', '1.2.0', ['v1.1.0'], 'CHANGELOG.md has no entry for 1.2.0: the pull request that prepares the release renames "## [Unreleased]" to "## [1.2.0] - YYYY-MM-DD"'],
  ])('refuses %s', (_case, version, tags, message) => {
    expect(() => plan(version, tags)).toThrow(ReleaseError);
    expect(() => plan(version, tags)).toThrow(message);
  });
});
