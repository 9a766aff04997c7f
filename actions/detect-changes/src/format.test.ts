import { describe, expect, it } from 'vitest';
import { backslashEscape, csvEscape, formatFileList, shellEscape } from './format.js';

describe('list-files formats (as dorny/paths-filter writes them)', () => {
  it.each([
    ['plain', 'src/a.ts', 'src/a.ts'],
    ['a space', 'my file.ts', "'my file.ts'"],
    ['a single quote and space', "it's here.ts", `"it's here.ts"`],
    ['a single quote and a dollar', "it's$x", "it\\'" + "'s$x'"],
    ['empty', '', ''],
  ])('shellEscape: %s', (_case, input, expected) => {
    expect(shellEscape(input)).toBe(expected);
  });

  it.each([
    ['plain', 'src/a.ts', 'src/a.ts'],
    ['a comma', 'a,b.ts', '"a,b.ts"'],
    ['a quote', 'say "hi".ts', '"say ""hi"".ts"'],
  ])('csvEscape: %s', (_case, input, expected) => {
    expect(csvEscape(input)).toBe(expected);
  });

  it('backslash-escapes unsafe characters', () => {
    expect(backslashEscape('a b$(c).ts')).toBe('a\\ b\\$\\(c\\).ts');
  });

  it.each([
    ['json', '["a b.ts","c.ts"]'],
    ['csv', 'a b.ts,c.ts'.replace('a b.ts', '"a b.ts"')],
    ['shell', "'a b.ts' c.ts"],
    ['escape', 'a\\ b.ts c.ts'],
  ] as const)('formatFileList %s', (format, expected) => {
    expect(formatFileList(['a b.ts', 'c.ts'], format)).toBe(expected);
  });
});
