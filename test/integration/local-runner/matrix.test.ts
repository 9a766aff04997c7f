/** strategy.matrix: fromJSON, exclude, include, max-parallel, fail-fast, and job-level continue-on-error. */
import { beforeAll, expect, test } from 'vitest';
import { makeRepository, run, type Ran } from './helpers.js';

let ran: Ran;

beforeAll(async () => {
  ran = await run(makeRepository(), 'matrix.yml');
});

test('a matrix from fromJSON with exclude and include runs one job per combination', () => {
  const { result } = ran;
  const legs = Object.keys(result.jobs).filter((key) => key.startsWith('build ('));
  expect(legs).toEqual(['build (18, linux)', 'build (20, linux, true)', 'build (20, mac, true)', 'build (22, linux)']);
  expect(result.log).toContain('leg 18-linux-stable 0/4 max 2');
  expect(result.log).toContain('leg 20-linux-true 1/4 max 2');
  expect(result.log).toContain('leg 20-mac-true 2/4 max 2');
  expect(result.log).toContain('leg 22-linux-stable 3/4 max 2');
  expect(result.jobs.build?.result).toBe('success');
  expect(result.jobs['build (20, mac, true)']?.matrix).toEqual({ node: '20', os: 'mac', experimental: true });
});

test('max-parallel: at most two legs run at once', () => {
  let running = 0;
  let most = 0;
  for (const event of ran.events) {
    if (event.type === 'job-started' && event.job.startsWith('build (')) most = Math.max(most, ++running);
    if (event.type === 'job-finished' && event.job.startsWith('build (')) running--;
  }
  expect(most).toBe(2);
});

test('fail-fast: the first failing leg cancels the others', () => {
  const { result } = ran;
  expect(result.jobs['fail-fast (1)']?.result).toBe('failure');
  expect(result.jobs['fail-fast (2)']?.result).toBe('cancelled');
  expect(result.jobs['fail-fast (3)']?.result).toBe('cancelled');
  expect(result.jobs['fail-fast']?.result).toBe('failure');
  expect(result.conclusion).toBe('failure');
});

test('fail-fast: false runs every leg; the job continue-on-error keeps its failure from failing the run', async () => {
  const { result } = ran;
  expect(result.jobs['tolerant (1)']?.result).toBe('failure');
  expect(result.jobs['tolerant (2)']?.result).toBe('success');
  expect(result.jobs.tolerant?.result).toBe('failure');
});

test('legs of a job whose name uses the matrix are named by it; object values reach the steps', () => {
  const { result } = ran;
  expect(Object.keys(result.jobs).filter((key) => key.startsWith('named ('))).toEqual(['named (Build api)', 'named (Build worker)']);
  expect(result.log).toContain('port 8080');
  expect(result.log).toContain('port 9090');
});
