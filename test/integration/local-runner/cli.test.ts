/** `pnpm local-run`: the command line, the progress lines, the result and the exit code. */
import { localRunMain } from '@deploy-suite/local-runner';
import { expect, test } from 'vitest';
import { REPO_ROOT } from '../../src/index.js';
import { makeRepository } from './helpers.js';

async function cli(argv: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await localRunMain(argv, { suiteRoot: REPO_ROOT, write: (line) => lines.push(line) });
  return { code, lines };
}

test('a failing run prints a line per job and step with durations, the failing step log, and exits 1', async () => {
  const repository = makeRepository();
  const { code, lines } = await cli(['.github/workflows/matrix.yml', '--event', 'push', '--repo', repository.dir]);
  expect(code).toBe(1);
  expect(lines[0]).toBe(`Repository ${repository.dir} at refs/heads/develop (${repository.sha.slice(0, 7)})`);
  expect(lines).toContainEqual(expect.stringMatching(/^ {2}✓ setup success in \d+ ms$/));
  expect(lines).toContainEqual(expect.stringMatching(/^ {4}✓ build \(18, linux\) › Run echo "leg \$LEG \$INDEX max \$MAX" \(success, [\d.]+ m?s\)$/));
  expect(lines).toContainEqual(expect.stringMatching(/^ {4}✗ fail-fast \(1\) › Run if \[ "\$N" = 1 \]; then exit 1; fi \(failure, [\d.]+ m?s\)$/));
  expect(lines).toContain('      │ ##[error]Process completed with exit code 1.');
  expect(lines).toContainEqual(expect.stringMatching(/^✗ run \d+ failure in /));
  expect(lines).toContain('  ✓ setup: success');
  expect(lines).toContain('      versions = ["18","20"]');
});

test('a workflow_dispatch with inputs that succeeds exits 0; a bad command line exits 2 with the usage', async () => {
  const repository = makeRepository();
  const ok = await cli(['.github/workflows/dispatch.yml', '--event', 'workflow_dispatch', '--input', 'version=v9', '--repo', repository.dir]);
  expect(ok.code, ok.lines.join('\n')).toBe(0);
  const bad = await cli(['.github/workflows/dispatch.yml', '--input', 'version']);
  expect(bad.code).toBe(2);
  expect(bad.lines[0]).toBe('local-run: --event is required\n');
  const error = await cli(['.github/workflows/dispatch.yml', '--event', 'workflow_dispatch', '--repo', repository.dir]);
  expect(error.code).toBe(1);
  expect(error.lines.at(-1)).toMatch(/^local-run: .*Input version is required/);
});
