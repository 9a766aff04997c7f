import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { isInside, resolveInputPath } from './paths.js';

function workspace(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'kit-paths-'));
  const base = path.join(root, 'ws');
  mkdirSync(path.join(base, 'site'), { recursive: true });
  writeFileSync(path.join(base, 'site', 'index.html'), 'hi');
  writeFileSync(path.join(root, 'secret'), 'key');
  symlinkSync(root, path.join(base, 'out'));
  return base;
}

describe('resolveInputPath', () => {
  test.each([['site'], ['site/index.html'], ['./site/../site'], ['.'], ['not-yet/there']])('accepts %s inside the base', (value) => {
    const base = workspace();
    expect(resolveInputPath('source', value, { base })).toBe(path.resolve(base, value));
  });

  test.each([['../secret'], ['site/../../secret'], ['/etc/passwd']])('refuses %s outside the base, naming the input', (value) => {
    expect(() => resolveInputPath('source', value, { base: workspace() })).toThrow(/input "source" must be a path inside the workspace/);
  });

  test('refuses a symlink that leaves the base', () => {
    expect(() => resolveInputPath('source', 'out/secret', { base: workspace() })).toThrow(/symlink that points outside/);
  });

  test('allows an absolute path only when told to', () => {
    expect(resolveInputPath('file', '/etc/hostname', { base: workspace(), allowAbsolute: true })).toBe('/etc/hostname');
  });

  test.each([
    ['site', 'file', /must be a file/],
    ['site/index.html', 'directory', /must be a directory/],
    ['missing', 'any', /no file or directory "missing"/],
  ] as const)('checks what %s is (%s)', (value, mustBe, error) => {
    expect(() => resolveInputPath('source', value, { base: workspace(), mustBe })).toThrow(error);
  });
});

test('isInside', () => {
  expect(isInside('/a/b', '/a/b')).toBe(true);
  expect(isInside('/a/b', '/a/b/c')).toBe(true);
  expect(isInside('/a/b', '/a/bc')).toBe(false);
  expect(isInside('/a/b', '/a')).toBe(false);
});
