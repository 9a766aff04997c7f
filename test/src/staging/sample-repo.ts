/**
 * The sample team repository (test/fixtures/sample-monorepo) written into a
 * real git repository on `develop`, with the suite's caller workflows copied
 * into .github/workflows/ and the environment's addresses filled in. The
 * local runner checks it out; tests push commits to it.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../harness.js';

export const SAMPLE_FIXTURE = path.join(REPO_ROOT, 'test/fixtures/sample-monorepo');
const IDENTITY = ['-c', 'user.email=dev@acme.example', '-c', 'user.name=Acme Dev', '-c', 'commit.gpgsign=false'];

export interface SampleRepo {
  directory: string;
  /** The first commit (what staging runs before any deploy). */
  initialSha: string;
  git(...args: string[]): string;
  /** Writes (null deletes) files, commits them on the current branch, returns the SHA. */
  commit(files: Record<string, string | null>, message?: string): string;
  head(ref?: string): string;
}

export interface SampleRepoOptions {
  /** Values for @NAME@ placeholders (APP_URL, REGISTRY, DISTRIBUTION_ID, ...). */
  values: Record<string, string>;
  /** The suite checkout whose workflows/ are copied in (default: this one). */
  suiteRoot?: string;
}

function fill(text: string, values: Record<string, string>): string {
  return text.replace(/@([A-Z_]+)@/g, (whole, name: string) => values[name] ?? whole);
}

export function createSampleRepo(directory: string, options: SampleRepoOptions): SampleRepo {
  const suiteRoot = options.suiteRoot ?? REPO_ROOT;
  rmSync(directory, { recursive: true, force: true });
  cpSync(SAMPLE_FIXTURE, directory, { recursive: true });
  const description = path.join(directory, '.github/deploy/staging.yml');
  writeFileSync(description, fill(readFileSync(description, 'utf8'), options.values));
  // The images are FROM scratch: busybox-static is their whole userland (no network to pull a base).
  for (const service of ['api', 'worker']) {
    const bin = path.join(directory, 'services', service, 'rootfs/bin');
    mkdirSync(bin, { recursive: true });
    copyFileSync('/bin/busybox', path.join(bin, 'busybox'));
  }
  // The callers a team copies, pointed at the local staging app instead of staging.example.com.
  const workflows = path.join(directory, '.github/workflows');
  mkdirSync(workflows, { recursive: true });
  for (const file of readdirSync(path.join(suiteRoot, 'workflows'))) {
    if (!/\.ya?ml$/.test(file)) continue;
    const text = readFileSync(path.join(suiteRoot, 'workflows', file), 'utf8');
    writeFileSync(path.join(workflows, file), options.values.APP_URL ? text.replaceAll('https://staging.example.com', options.values.APP_URL) : text);
  }

  const git = (...args: string[]): string => execFileSync('git', [...IDENTITY, ...args], { cwd: directory, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  git('init', '-q', '-b', 'develop');
  git('add', '-A');
  git('commit', '-q', '-m', 'Initial commit of the sample monorepo');
  git('branch', 'main');
  const initialSha = git('rev-parse', 'HEAD');

  const repo: SampleRepo = {
    directory,
    initialSha,
    git,
    head: (ref = 'HEAD') => git('rev-parse', ref),
    commit(files, message = 'change') {
      for (const [file, content] of Object.entries(files)) {
        const target = path.join(directory, file);
        if (content === null) rmSync(target, { force: true });
        else {
          mkdirSync(path.dirname(target), { recursive: true });
          writeFileSync(target, content);
        }
      }
      git('add', '-A');
      git('commit', '-q', '--allow-empty', '-m', message);
      return git('rev-parse', 'HEAD');
    },
  };
  return repo;
}
