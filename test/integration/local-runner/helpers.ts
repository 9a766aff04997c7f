/**
 * Fixtures for the local runner's tests: a team repository made from files (a real git repository),
 * and runWorkflow with this suite as suiteRoot.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runWorkflow, type LocalRunOptions, type ProgressEvent, type RunResult } from '@deploy-suite/local-runner';
import { REPO_ROOT } from '../../src/index.js';

export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

export interface Repository {
  dir: string;
  sha: string;
  git(...args: string[]): string;
  commit(files: Record<string, string>, message: string): string;
}

/** A git repository on branch develop holding the fixture workflows (.github/) plus the given files. */
export function makeRepository(files: Record<string, string> = {}): Repository {
  const dir = mkdtempSync(path.join(tmpdir(), 'local-runner-repo-'));
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=test@example.com', '-c', 'user.name=Test', ...args], { cwd: dir, encoding: 'utf8' }).trim();
  const write = (entries: Record<string, string>) => {
    for (const [file, content] of Object.entries(entries)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), content);
    }
  };
  git('init', '-q', '-b', 'develop');
  cpSync(path.join(FIXTURES, '.github'), path.join(dir, '.github'), { recursive: true });
  write({ 'README.md': '# fixture\n', ...files });
  git('add', '-A');
  git('commit', '-q', '-m', 'initial');
  const repository: Repository = {
    dir,
    sha: git('rev-parse', 'HEAD'),
    git,
    commit(entries, message) {
      write(entries);
      git('add', '-A');
      git('commit', '-q', '-m', message);
      repository.sha = git('rev-parse', 'HEAD');
      return repository.sha;
    },
  };
  return repository;
}

export function fixtureWorkflows(): string[] {
  return readdirSync(path.join(FIXTURES, '.github', 'workflows'));
}

export interface Ran {
  result: RunResult;
  events: ProgressEvent[];
}

/** Runs .github/workflows/<name> of the repository for a push to develop (or the given event). */
export async function run(repository: Repository, name: string, options: Partial<LocalRunOptions> = {}): Promise<Ran> {
  const events: ProgressEvent[] = [];
  const result = await runWorkflow({
    workflow: `.github/workflows/${name}`,
    suiteRoot: REPO_ROOT,
    repository: repository.dir,
    event: { name: 'push', ref: 'refs/heads/develop', sha: repository.sha },
    ...options,
    onProgress: (event) => {
      events.push(event);
      options.onProgress?.(event);
    },
  });
  return { result, events };
}

export function step(result: RunResult, job: string, id: string) {
  const found = result.jobs[job]?.steps.find((candidate) => candidate.id === id || candidate.name === id);
  if (!found) throw new Error(`no step ${id} in job ${job}: ${JSON.stringify(result.jobs[job]?.steps.map((candidate) => candidate.id ?? candidate.name))}`);
  return found;
}
