/** Types of scripts/release.mjs for its unit tests. */
export declare class ReleaseError extends Error {}
export interface Version {
  major: number;
  minor: number;
  patch: number;
  text: string;
}
export interface Plan {
  version: string;
  tag: string;
  major: string;
  latest: string | undefined;
  sha: string;
  notes: string;
}
export declare function parseVersion(text: unknown): Version | undefined;
export declare function compareVersions(a: Version, b: Version): number;
export declare function latestVersion(tags: string[]): Version | undefined;
export declare function changelogEntry(changelog: string, version: string): { text: string; problem?: undefined } | { text?: undefined; problem: string };
export declare function changelogSection(changelog: string, version: string): string | undefined;
export declare function releaseNotes(section: string, tags: { tag: string; major: string; sha: string; repository: string }): string;
export declare function planRelease(request: { version: string; tags: string[]; changelog: string; sha: string; repository: string }): Plan;
