import { describe, expect, it } from 'vitest';
import { ChangeList } from './changes.js';

describe('ChangeList', () => {
  const api = ChangeList.of([
    { filename: 'src/a.ts', status: 'added' },
    { filename: 'docs/b.md', status: 'removed' },
  ]);

  it('keeps the paths in order, and each status (whatever the source called it)', () => {
    expect(api.paths).toEqual(['src/a.ts', 'docs/b.md']);
    expect(api.length).toBe(2);
    expect(api.statusOf('docs/b.md')).toBe('removed');
    expect(api.statusOf('elsewhere')).toBeUndefined();
  });

  it('builds the per-file objects only when asked, from the status of each index', () => {
    let asked = 0;
    const list = new ChangeList(['x', 'y'], (index) => (asked++, index === 0 ? 'modified' : 'deleted'));
    expect(asked).toBe(0);
    expect(list.asFiles()).toEqual([
      { filename: 'x', status: 'modified' },
      { filename: 'y', status: 'deleted' },
    ]);
    expect(list.asFiles()).toBe(list.asFiles());
  });

  it('appends another list with its own statuses (tracked changes, then untracked files)', () => {
    const both = api.concat(new ChangeList(['new.txt'], () => 'added'));
    expect(both.asFiles()).toEqual([
      { filename: 'src/a.ts', status: 'added' },
      { filename: 'docs/b.md', status: 'removed' },
      { filename: 'new.txt', status: 'added' },
    ]);
  });

  it('says whether the paths are ascending, checking them when the source did not say', () => {
    expect(api.ascending).toBe(false);
    expect(new ChangeList(['a', 'b', 'b'], () => 'added').ascending).toBe(false);
    expect(new ChangeList(['a', 'b/c', 'b0'], () => 'added').ascending).toBe(true);
    expect(new ChangeList(['b', 'a'], () => 'added', { ascending: true }).ascending).toBe(true);
  });

  it('says whether every path is plain, checking the paths when the source did not say', () => {
    expect(api.plainPaths).toBe(true);
    expect(ChangeList.of([{ filename: 'a\nb', status: 'added' }]).plainPaths).toBe(false);
    expect(new ChangeList(['a\nb'], () => 'added', { plainPaths: true }).plainPaths).toBe(true);
  });
});
