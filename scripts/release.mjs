#!/usr/bin/env node
// Cuts a release of the suite: the logic behind .github/workflows/release.yml, kept out of YAML so it
// is tested. Node built-ins only: it runs on a bare checkout, before (and without) `pnpm install`.
//
//   node scripts/release.mjs plan      check VERSION against the tags and CHANGELOG.md; print the plan
//   node scripts/release.mjs clean     after the verification: the checkout must still equal the commit
//                                      (a build that changed dist/ means the committed dist/ is stale)
//   node scripts/release.mjs publish   tag vX.Y.Z, create the GitHub release, then move vX
//
// Environment: VERSION (X.Y.Z, a leading v is accepted), DRY_RUN (true: print what would be done, change
// nothing), GITHUB_SHA (the commit to release: must be what is checked out), and for publish
// GITHUB_REPOSITORY, GITHUB_API_URL, GITHUB_TOKEN (contents: write). Tags are read from the checkout
// (which fetched them all) and pushed to `origin`. Exit 1 with one `::error::` line when the release is
// refused or fails.
import { execFileSync } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A refusal or failure explained in one line; no stack trace. */
export class ReleaseError extends Error {}

const SEMVER = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

/** `{ major, minor, patch, text: 'X.Y.Z' }`, or undefined for anything that is not a plain X.Y.Z (optionally v-prefixed). */
export function parseVersion(text) {
  const match = SEMVER.exec(String(text ?? '').trim());
  if (!match) return undefined;
  const [major, minor, patch] = match.slice(1).map(Number);
  return { major, minor, patch, text: `${major}.${minor}.${patch}` };
}

export function compareVersions(a, b) {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** The highest `vX.Y.Z` among tag names (other tags, such as `v1`, are ignored). */
export function latestVersion(tags) {
  let latest;
  for (const tag of tags) {
    if (!/^v\d/.test(tag)) continue;
    const version = parseVersion(tag);
    if (version && (!latest || compareVersions(version, latest) > 0)) latest = version;
  }
  return latest;
}

const DATED = /^\d{4}-\d{2}-\d{2}$/;

/** The lines of CHANGELOG.md's `## ...` section whose heading matches, without the heading and link definitions. */
function sectionLines(lines, heading) {
  const start = lines.findIndex((line) => heading.test(line));
  if (start === -1) return undefined;
  const next = lines.findIndex((line, index) => index > start && /^##\s/.test(line));
  // Link reference definitions at the end of the file belong to no section.
  const body = lines.slice(start + 1, next === -1 ? undefined : next).filter((line) => !/^\[[^\]]+\]:\s/.test(line));
  return { heading: lines[start], text: body.join('\n').trim() };
}

/**
 * CHANGELOG.md's section for a version, as a release is prepared (Keep a Changelog): `## [X.Y.Z] - YYYY-MM-DD`.
 * Returns `{ text }` (the body, without its heading), or `{ problem }` saying why there is no usable section:
 * none, one without a release date (`## [1.0.0] - Unreleased`), or an empty one.
 */
export function changelogEntry(changelog, version) {
  const lines = changelog.split(/\r?\n/);
  const escaped = version.replaceAll('.', '\\.');
  const found = sectionLines(lines, new RegExp(`^##\\s+\\[?v?${escaped}\\]?(\\s|$)`));
  const prepare = `the pull request that prepares the release renames "## [Unreleased]" to "## [${version}] - YYYY-MM-DD"`;
  if (!found) {
    const unreleased = sectionLines(lines, /^##\s+\[?Unreleased\]?\s*$/i);
    const pending = unreleased && unreleased.text !== '' ? ' (what changed is still under "## [Unreleased]")' : '';
    return { problem: `CHANGELOG.md has no entry for ${version}${pending}: ${prepare}` };
  }
  const date = /^##\s+\[?v?[\d.]+\]?\s+-\s+(\S+)\s*$/.exec(found.heading)?.[1];
  if (!date || !DATED.test(date)) {
    return { problem: `CHANGELOG.md's heading "${found.heading.trim()}" has no release date: a released section reads "## [${version}] - YYYY-MM-DD"` };
  }
  if (found.text === '') return { problem: `CHANGELOG.md's section for ${version} is empty: say what changed for users` };
  return { text: found.text };
}

/** The body of CHANGELOG.md's dated section for a version, or undefined (see changelogEntry for why). */
export function changelogSection(changelog, version) {
  return changelogEntry(changelog, version).text;
}

/** The release notes: the changelog section, then the commit each tag points to and how to pin it. */
export function releaseNotes(section, { tag, major, sha, repository }) {
  return [
    section,
    '',
    '### Tags',
    '',
    `- \`${tag}\` → \`${sha}\` (a version tag never moves)`,
    `- \`${major}\` → \`${sha}\` (moved here after this commit was verified and this release was published)`,
    '',
    `Pin by commit: \`uses: ${repository}/actions/<name>@${sha} # ${tag}\``,
    '',
  ].join('\n');
}

/**
 * Checks a requested version against the existing tags and the changelog. Refuses a malformed version, a
 * version tag that exists (tags never move), a version not greater than the last release, and a version
 * without a changelog section.
 */
export function planRelease({ version: requested, tags, changelog, sha, repository }) {
  const version = parseVersion(requested);
  if (!version) throw new ReleaseError(`version "${requested}" is not a semantic version X.Y.Z (e.g. 1.2.0)`);
  const tag = `v${version.text}`;
  if (tags.includes(tag)) throw new ReleaseError(`${tag} already exists: a version tag never moves; release a greater version`);
  const latest = latestVersion(tags);
  if (latest && compareVersions(version, latest) <= 0) {
    throw new ReleaseError(`version ${version.text} is not greater than the last release v${latest.text}`);
  }
  const entry = changelogEntry(changelog, version.text);
  if (entry.problem) throw new ReleaseError(entry.problem);
  const section = entry.text;
  const major = `v${version.major}`;
  return { version: version.text, tag, major, latest: latest && `v${latest.text}`, sha, notes: releaseNotes(section, { tag, major, sha, repository }) };
}

// ---- the commands (git, the GitHub API, the runner's files) ----

function git(...args) {
  return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/**
 * Tag names of the checkout, which fetched every tag (fetch-depth 0). Read locally so the read-only
 * verification needs no credentials; a tag pushed meanwhile makes the tag push fail, and nothing moves.
 */
function tagNames() {
  return git('tag', '--list').split('\n').filter(Boolean);
}

function environment(name) {
  const value = process.env[name];
  if (!value) throw new ReleaseError(`${name} is not set`);
  return value;
}

/** The commit to release must be the one checked out (and so the one verified). */
function checkedOutCommit() {
  const sha = environment('GITHUB_SHA');
  const head = git('rev-parse', 'HEAD');
  if (head !== sha) throw new ReleaseError(`the checkout is at ${head}, not the commit to release ${sha}`);
  return sha;
}

function currentPlan() {
  const sha = checkedOutCommit();
  const changelog = readFileSync('CHANGELOG.md', 'utf8');
  return planRelease({ version: environment('VERSION'), tags: tagNames(), changelog, sha, repository: process.env.GITHUB_REPOSITORY ?? '<owner>/deploy-suite' });
}

function writeFile(variable, text) {
  if (process.env[variable]) appendFileSync(process.env[variable], text);
}

function plan() {
  const planned = currentPlan();
  console.log(`release ${planned.tag} of ${planned.sha} (last release: ${planned.latest ?? 'none'}); then ${planned.major} moves to it`);
  writeFile('GITHUB_OUTPUT', `tag=${planned.tag}\nmajor=${planned.major}\n`);
  writeFile('GITHUB_STEP_SUMMARY', `## Release ${planned.tag} (planned)\n\n${planned.notes}\n`);
}

function clean() {
  const status = git('status', '--porcelain', '--untracked-files=all');
  if (status !== '') {
    console.log(status);
    throw new ReleaseError('the verification changed the checkout (above): the committed dist/ or generated files are stale; run `pnpm build && pnpm run docs` and commit the result');
  }
  console.log(`the checkout still equals ${git('rev-parse', 'HEAD')} after the verification: dist/ is fresh`);
}

async function createRelease(planned) {
  const repository = environment('GITHUB_REPOSITORY');
  const response = await fetch(`${environment('GITHUB_API_URL')}/repos/${repository}/releases`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${environment('GITHUB_TOKEN')}`,
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
      'content-type': 'application/json',
      'user-agent': 'deploy-suite-release',
    },
    body: JSON.stringify({ tag_name: planned.tag, target_commitish: planned.sha, name: planned.tag, body: planned.notes, draft: false, prerelease: false, make_latest: 'true' }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(`HTTP ${response.status} ${body.message ?? ''}`.trim());
  return body.html_url;
}

async function publish() {
  const planned = currentPlan();
  const dryRun = process.env.DRY_RUN === 'true';
  const say = (line) => console.log(dryRun ? `would ${line}` : line);
  if (dryRun) console.log(`dry run: nothing is tagged or published\n\n${planned.notes}`);

  say(`tag ${planned.tag} → ${planned.sha} and push it to origin`);
  if (!dryRun) {
    git('tag', planned.tag, planned.sha);
    // No --force: if the tag appeared meanwhile the push fails, and nothing moves.
    git('push', 'origin', `refs/tags/${planned.tag}`);
  }

  say(`create the GitHub release ${planned.tag} with the CHANGELOG.md section as notes`);
  if (!dryRun) {
    try {
      console.log(`released ${await createRelease(planned)}`);
    } catch (error) {
      throw new ReleaseError(
        `creating the release failed (${error.message}). State: ${planned.tag} is pushed at ${planned.sha}; no release was created and ${planned.major} was not moved. Create the release for ${planned.tag} by hand, then move ${planned.major}: git push --force origin ${planned.sha}:refs/tags/${planned.major}`,
      );
    }
  }

  say(`move ${planned.major} → ${planned.sha}`);
  if (!dryRun) git('push', '--force', 'origin', `${planned.sha}:refs/tags/${planned.major}`);

  writeFile('GITHUB_STEP_SUMMARY', `## ${dryRun ? 'Dry run: would release' : 'Released'} ${planned.tag}\n\n${planned.notes}\n`);
}

const COMMANDS = { plan, clean, publish };

async function main() {
  const command = process.argv[2];
  if (!command || !Object.hasOwn(COMMANDS, command)) {
    console.error(`usage: node scripts/release.mjs ${Object.keys(COMMANDS).join('|')}`);
    process.exitCode = 2;
    return;
  }
  try {
    await COMMANDS[command]();
  } catch (error) {
    const message = error instanceof ReleaseError ? error.message : `${error.message ?? error}`;
    console.log(`::error title=release::${message}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
