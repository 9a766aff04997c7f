/** Real git repositories in temp folders: an "origin" and the clones a workflow would check out. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const IDENTITY = ['-c', 'user.email=ci@example.com', '-c', 'user.name=CI', '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main'];

export class Repo {
  constructor(readonly directory: string) {}

  static init(prefix = 'repo'): Repo {
    const directory = mkdtempSync(path.join(tmpdir(), `dc-${prefix}-`));
    const repo = new Repo(directory);
    repo.git('init', '-q', '-b', 'main');
    return repo;
  }

  /** `git clone` of this repository; `depth` makes a shallow clone (through file:// so depth applies). */
  clone(options: { depth?: number; branch?: string } = {}): Repo {
    const directory = mkdtempSync(path.join(tmpdir(), 'dc-clone-'));
    const args = ['clone', '-q', '--no-tags'];
    if (options.depth) args.push(`--depth=${options.depth}`);
    if (options.branch) args.push('--branch', options.branch);
    args.push(`file://${this.directory}`, directory);
    execFileSync('git', [...IDENTITY, ...args], { stdio: 'pipe' });
    return new Repo(directory);
  }

  git(...args: string[]): string {
    return execFileSync('git', [...IDENTITY, ...args], { cwd: this.directory, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  }

  write(files: Record<string, string | null>): void {
    for (const [file, content] of Object.entries(files)) {
      const target = path.join(this.directory, file);
      if (content === null) {
        rmSync(target, { force: true });
      } else {
        mkdirSync(path.dirname(target), { recursive: true });
        writeFileSync(target, content);
      }
    }
  }

  /** Writes (null deletes) the files and commits them all; returns the new commit's SHA. */
  commit(files: Record<string, string | null>, message = 'change'): string {
    this.write(files);
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '-m', message);
    return this.head();
  }

  head(ref = 'HEAD'): string {
    return this.git('rev-parse', ref);
  }

  remove(): void {
    rmSync(this.directory, { recursive: true, force: true });
  }
}

export const ZERO_SHA = '0000000000000000000000000000000000000000';

/** The filters most tests use: a monorepo with two services, a web app and shared code. */
export const MONOREPO_FILTERS = `
shared: &shared
  - 'packages/shared/**'
backend:
  - *shared
  - 'services/api/**'
  - 'services/worker/**'
frontend:
  - *shared
  - 'web/**/*.tsx'
docs:
  - '**/*.md'
`;

export const MONOREPO_FILES = {
  'packages/shared/index.ts': 'export const shared = 1;\n',
  'services/api/main.ts': 'api\n',
  'services/worker/main.ts': 'worker\n',
  'web/app.tsx': 'app\n',
  'web/README.md': '# web\n',
  'README.md': '# monorepo\n',
};
