#!/usr/bin/env node
// A local demo: builds a sample monorepo in a temp folder, pushes a change, and runs
// detect-changes' committed bundle on it as the GitHub runner would, then prints
// the outputs and the step summary. `pnpm demo`
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(path.join(tmpdir(), 'deploy-suite-demo-'));
const repo = path.join(work, 'monorepo');
const git = (...args) => execFileSync('git', ['-c', 'user.email=demo@example.com', '-c', 'user.name=Demo', ...args], { cwd: repo, encoding: 'utf8' }).trim();
const write = (files) => {
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
    writeFileSync(path.join(repo, file), content);
  }
};

mkdirSync(repo);
git('init', '-q', '-b', 'develop');
write({
  'services/api/src/main.ts': 'export const api = 1;\n',
  'services/worker/src/main.ts': 'export const worker = 1;\n',
  'web/src/app.tsx': 'export const App = () => null;\n',
  'web/README.md': '# web\n',
  'packages/shared/src/index.ts': 'export const shared = 1;\n',
  '.github/filters.yml': `shared: &shared
  - 'packages/shared/**'
backend:
  - *shared
  - 'services/**'
frontend:
  - *shared
  - 'web/**'
  - '!web/**/*.md'
`,
});
git('add', '-A');
git('commit', '-q', '-m', 'initial');
const before = git('rev-parse', 'HEAD');
write({ 'services/api/src/main.ts': 'export const api = 2;\n', 'web/README.md': '# web, now documented\n' });
git('commit', '-q', '-am', 'api change and a docs edit');
const after = git('rev-parse', 'HEAD');
console.log(`Sample monorepo at ${repo}\nPush ${before.slice(0, 7)}..${after.slice(0, 7)} changed: services/api/src/main.ts, web/README.md\n`);

const files = Object.fromEntries(['output', 'summary', 'state', 'env', 'path', 'event.json'].map((name) => [name, path.join(work, name)]));
for (const file of Object.values(files)) writeFileSync(file, '');
writeFileSync(files['event.json'], JSON.stringify({ before, after, repository: { default_branch: 'develop' } }));
const inputs = {
  filters: '.github/filters.yml',
  'predicate-quantifier': 'some',
  'list-files': 'json',
  scope: 'api: [backend]\nweb: [frontend]',
  'working-directory': '.',
  'log-files': 'true',
};
const env = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  GITHUB_ACTIONS: 'true',
  GITHUB_EVENT_NAME: 'push',
  GITHUB_EVENT_PATH: files['event.json'],
  GITHUB_SHA: after,
  GITHUB_REF: 'refs/heads/develop',
  GITHUB_REPOSITORY: 'acme/monorepo',
  GITHUB_WORKSPACE: repo,
  GITHUB_OUTPUT: files.output,
  GITHUB_STEP_SUMMARY: files.summary,
  GITHUB_STATE: files.state,
  GITHUB_ENV: files.env,
  GITHUB_PATH: files.path,
  RUNNER_TEMP: work,
  ...Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value])),
};
console.log('--- action log ---');
const run = spawnSync(process.env.ACTION_NODE || process.execPath, [path.join(root, 'actions/detect-changes/dist/index.js')], { cwd: repo, env, stdio: 'inherit' });
console.log('\n--- outputs ---');
// GITHUB_OUTPUT holds `name<<DELIMITER`, the value's lines, then DELIMITER.
const lines = readFileSync(files.output, 'utf8').split('\n');
for (let index = 0; index < lines.length; index++) {
  const heredoc = /^(.+?)<<(.+)$/.exec(lines[index]);
  if (!heredoc) continue;
  const value = [];
  for (index++; index < lines.length && lines[index] !== heredoc[2]; index++) value.push(lines[index]);
  console.log(`${heredoc[1].padEnd(16)} ${value.join('\n')}`);
}
console.log('--- step summary (markdown/HTML) ---');
console.log(readFileSync(files.summary, 'utf8'));
rmSync(work, { recursive: true, force: true });
process.exit(run.status ?? 1);
