import { describe, expect, it } from 'vitest';
import { parseNameStatus } from './git.js';

describe('parseNameStatus', () => {
  it('reads NUL-separated name-status output, any file name included', () => {
    const output = ['M', 'src/a.ts', 'A', 'new file\twith tab.ts', 'D', 'gone.ts', 'T', 'link', ''].join('\0');
    expect(parseNameStatus(output)).toEqual([
      { filename: 'src/a.ts', status: 'modified' },
      { filename: 'new file\twith tab.ts', status: 'added' },
      { filename: 'gone.ts', status: 'deleted' },
      { filename: 'link', status: 'modified' },
    ]);
  });

  it('keeps the new name of a rename or copy', () => {
    expect(parseNameStatus(['R100', 'old.ts', 'new.ts', 'M', 'x', ''].join('\0'))).toEqual([
      { filename: 'new.ts', status: 'renamed' },
      { filename: 'x', status: 'modified' },
    ]);
  });

  it('returns nothing for no changes', () => {
    expect(parseNameStatus('')).toEqual([]);
  });
});
