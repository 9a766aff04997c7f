import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { listEntries, zipDirectory } from './zip.js';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'zip-test-'));
  // Written in reverse order, so creation order is not the zip's order by accident.
  for (const [name, content] of Object.entries(files).reverse()) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), content);
  }
  return root;
}

interface ReadEntry {
  name: string;
  mode: number;
  dosDate: number;
  dosTime: number;
  extraFields: number;
}

function readZip(bytes: Buffer): Promise<ReadEntry[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: false }, (error, zip) => {
      if (error || !zip) return reject(error);
      const entries: ReadEntry[] = [];
      zip.on('entry', (entry: yauzl.Entry) =>
        entries.push({ name: entry.fileName, mode: entry.externalFileAttributes >>> 16, dosDate: entry.lastModFileDate, dosTime: entry.lastModFileTime, extraFields: entry.extraFields.length }),
      );
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
    });
  });
}

const FILES = { 'index.js': 'exports.handler = 1;\n', 'node_modules/b/index.js': 'b', 'node_modules/a/index.js': 'a', 'Z.txt': 'upper', 'bin/run': '#!/bin/sh\n' };

describe('deterministic zip', () => {
  it('gives the same bytes for the same files whatever their mtimes, permissions beyond the x bit, or creation order', async () => {
    const one = tree(FILES);
    const two = tree(Object.fromEntries(Object.entries(FILES).reverse()));
    chmodSync(path.join(one, 'bin/run'), 0o755);
    chmodSync(path.join(two, 'bin/run'), 0o700);
    chmodSync(path.join(two, 'index.js'), 0o600);
    utimesSync(path.join(two, 'index.js'), new Date('2031-05-05T10:00:00Z'), new Date('2031-05-05T10:00:00Z'));
    const [a, b] = [zipDirectory(one, 'zip-directory'), zipDirectory(two, 'zip-directory')];
    expect(a.sha256).toBe(b.sha256);
    expect(a.bytes.equals(b.bytes)).toBe(true);
    expect(a.fileCount).toBe(5);
  });

  it('changes when a file changes', async () => {
    const one = tree(FILES);
    const two = tree({ ...FILES, 'index.js': 'exports.handler = 2;\n' });
    const [a, b] = [zipDirectory(one, 'zip-directory'), zipDirectory(two, 'zip-directory')];
    expect(a.sha256).not.toBe(b.sha256);
  });

  it('sorts entries by byte order, fixes the timestamp to 1980-01-01, keeps only the executable bit, and adds no extra fields', async () => {
    const root = tree(FILES);
    chmodSync(path.join(root, 'bin/run'), 0o755);
    const entries = await readZip(zipDirectory(root, 'zip-directory').bytes);
    expect(entries.map((entry) => entry.name)).toEqual(['Z.txt', 'bin/run', 'index.js', 'node_modules/a/index.js', 'node_modules/b/index.js']);
    expect(entries.map((entry) => entry.mode.toString(8))).toEqual(['100644', '100755', '100644', '100644', '100644']);
    // DOS date: (1980 - 1980) << 9 | 1 << 5 | 1; time 00:00:00.
    expect(new Set(entries.map((entry) => `${entry.dosDate}/${entry.dosTime}`))).toEqual(new Set(['33/0']));
    expect(entries.every((entry) => entry.extraFields === 0)).toBe(true);
  });

  it('follows symlinks that stay inside, reads a cycle once, and refuses one that points out', async () => {
    const root = tree({ 'lib/util.js': 'u' });
    symlinkSync(path.join(root, 'lib/util.js'), path.join(root, 'alias.js'));
    symlinkSync(root, path.join(root, 'lib', 'loop'));
    expect(listEntries(root, 'zip-directory').map((entry) => entry.name)).toEqual(['alias.js', 'lib/util.js']);
    const outside = tree({ 'secret.txt': 's' });
    symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'leak.txt'));
    expect(() => listEntries(root, 'zip-directory')).toThrow(/input "zip-directory": "leak.txt" is a symlink to .*, outside the directory being zipped/);
  });

  it('refuses an empty directory', async () => {
    expect(() => zipDirectory(tree({}), 'zip-directory')).toThrow('input "zip-directory": the directory has no files to zip');
  });
});
