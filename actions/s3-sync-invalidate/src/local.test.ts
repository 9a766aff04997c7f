import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PART_SIZE } from './constants.js';
import { formatBytes, scanDirectory } from './local.js';
import { parseGlobList } from './rules.js';

const md5 = (data: Buffer | string): string => createHash('md5').update(data).digest('hex');

describe('scanDirectory', () => {
  let root: string;
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('lists files with forward-slash paths, follows symlinks, applies excludes and hashes parts as S3 does', async () => {
    root = mkdtempSync(path.join(tmpdir(), 'scan-'));
    mkdirSync(path.join(root, 'a/b'), { recursive: true });
    writeFileSync(path.join(root, 'a/b/c.txt'), 'hello');
    writeFileSync(path.join(root, 'skip.map'), 'x');
    symlinkSync(path.join(root, 'a/b/c.txt'), path.join(root, 'link.txt'));
    const large = Buffer.alloc(PART_SIZE + 100, 1);
    writeFileSync(path.join(root, 'large.bin'), large);
    const { files, excluded } = await scanDirectory(root, { exclude: parseGlobList('exclude', '*.map'), parallel: 4 });
    expect(excluded).toBe(1);
    expect(files.map((file) => [file.relativePath, file.size, file.md5])).toEqual([
      ['a/b/c.txt', 5, md5('hello')],
      ['large.bin', large.length, md5(large)],
      ['link.txt', 5, md5('hello')],
    ]);
    const parts = Buffer.concat([createHash('md5').update(large.subarray(0, PART_SIZE)).digest(), createHash('md5').update(large.subarray(PART_SIZE)).digest()]);
    expect(files[1]?.multipartEtag).toBe(`${md5(parts)}-2`);
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1500, '1.50 kB'],
    [12_345_678, '12.3 MB'],
    [3e12, '3.00 TB'],
  ])('%d → %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
