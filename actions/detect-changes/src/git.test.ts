import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Git, parseNameStatus } from './git.js';
import { gitCommands, PrefetchedCommands } from './git-process.js';

describe('parseNameStatus', () => {
  it('reads NUL-separated name-status output, any file name included', () => {
    const output = ['M', 'src/a.ts', 'A', 'new file\twith tab.ts', 'D', 'gone.ts', 'T', 'link', ''].join('\0');
    expect(parseNameStatus(output).asFiles()).toEqual([
      { filename: 'src/a.ts', status: 'modified' },
      { filename: 'new file\twith tab.ts', status: 'added' },
      { filename: 'gone.ts', status: 'deleted' },
      { filename: 'link', status: 'modified' },
    ]);
  });

  it('keeps the new name of a rename or copy', () => {
    expect(parseNameStatus(['R100', 'old.ts', 'new.ts', 'M', 'x', ''].join('\0')).asFiles()).toEqual([
      { filename: 'new.ts', status: 'renamed' },
      { filename: 'x', status: 'modified' },
    ]);
  });

  it('returns nothing for no changes', () => {
    expect(parseNameStatus('').asFiles()).toEqual([]);
  });

  it('reads paths named like a status field, and says which paths are plain', () => {
    const list = parseNameStatus(['M', 'R', 'A', 'C100', 'D', 'M', ''].join('\0'));
    expect(list.paths).toEqual(['R', 'C100', 'M']);
    expect(list.asFiles().map((file) => file.status)).toEqual(['modified', 'added', 'deleted']);
    expect(list.statusOf('C100')).toBe('added');
    expect(list.plainPaths).toBe(true);
    expect(parseNameStatus(['A', 'one\nline', 'M', 'b', ''].join('\0')).plainPaths).toBe(false);
    expect(parseNameStatus(['M', 'a', 'M', 'b/c', 'A', 'b0', ''].join('\0')).ascending).toBe(true);
    expect(parseNameStatus(['M', 'b', 'M', 'a', ''].join('\0')).ascending).toBe(false);
    expect(parseNameStatus(['M', 'a', 'M', 'a', ''].join('\0')).ascending).toBe(false);
  });
});

describe('Git with a prefetch', () => {
  it('runs a prefetched command again when it failed before this run fetched the commit it lacked', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'detect-prefetch-'));
    const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
    try {
      const origin = path.join(root, 'origin');
      execFileSync('git', ['init', '-q', origin]);
      for (const name of ['a', 'b']) {
        writeFileSync(path.join(origin, name), name);
        git(origin, 'add', name);
        git(origin, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', name);
      }
      const [before, after] = [git(origin, 'rev-parse', 'HEAD~1'), git(origin, 'rev-parse', 'HEAD')];
      const clone = path.join(root, 'clone');
      execFileSync('git', ['init', '-q', clone]);
      git(clone, 'fetch', '-q', '--depth=1', `file://${origin}`, after);
      const prefetched = new PrefetchedCommands();
      prefetched.start(clone, gitCommands.diff(before, after));
      // What detection does between the prefetch and the diff: fetch the base.
      git(clone, 'fetch', '-q', '--depth=1', `file://${origin}`, before);
      const output = await new Git(clone, () => {}, prefetched).run(gitCommands.diff(before, after));
      expect(parseNameStatus(output).asFiles()).toEqual([{ filename: 'b', status: 'added' }]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
