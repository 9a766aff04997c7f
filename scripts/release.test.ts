import { describe, expect, test } from 'vitest';
import { changelogSection, latestVersion, parseVersion, planRelease, ReleaseError } from './release.mjs';

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
    expect(changelogSection('## [1.0.10] - x\n\nten\n', '1.0.1')).toBeUndefined();
    expect(changelogSection('## [1.3.0] - x\n\n## [1.2.0]\nold\n', '1.3.0')).toBeUndefined();
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
    ['no changelog entry', '1.2.0', ['v1.1.0'], 'CHANGELOG.md has no entry for 1.2.0: add a "## [1.2.0] - YYYY-MM-DD" section saying what changed for users'],
  ])('refuses %s', (_case, version, tags, message) => {
    expect(() => plan(version, tags)).toThrow(ReleaseError);
    expect(() => plan(version, tags)).toThrow(message);
  });
});
