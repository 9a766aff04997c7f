import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
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
  method: number;
  content: Buffer;
}

/** Every entry with its content, read back entry by entry (yauzl checks the sizes against the headers). */
function readZip(bytes: Buffer): Promise<ReadEntry[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      const entries: ReadEntry[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('error', reject);
          stream.on('end', () => {
            const { fileName: name, externalFileAttributes, lastModFileDate: dosDate, lastModFileTime: dosTime, extraFields, compressionMethod: method } = entry;
            entries.push({ name, mode: externalFileAttributes >>> 16, dosDate, dosTime, extraFields: extraFields.length, method, content: Buffer.concat(chunks) });
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

function unzip(args: string[]): string {
  try {
    return execFileSync('unzip', args, { encoding: 'utf8' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('"unzip" is needed by this test and was not found on PATH. To install: apt-get install unzip');
    throw error;
  }
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
    const [a, b] = [await zipDirectory(one, 'zip-directory'), await zipDirectory(two, 'zip-directory')];
    expect(a.sha256).toBe(b.sha256);
    expect(a.bytes.equals(b.bytes)).toBe(true);
    expect(a.fileCount).toBe(5);
  });

  it('changes when a file changes', async () => {
    const one = tree(FILES);
    const two = tree({ ...FILES, 'index.js': 'exports.handler = 2;\n' });
    const [a, b] = [await zipDirectory(one, 'zip-directory'), await zipDirectory(two, 'zip-directory')];
    expect(a.sha256).not.toBe(b.sha256);
  });

  it('sorts entries by byte order, fixes the timestamp to 1980-01-01, keeps only the executable bit, and adds no extra fields', async () => {
    const root = tree(FILES);
    chmodSync(path.join(root, 'bin/run'), 0o755);
    const entries = await readZip((await zipDirectory(root, 'zip-directory')).bytes);
    expect(entries.map((entry) => entry.name)).toEqual(['Z.txt', 'bin/run', 'index.js', 'node_modules/a/index.js', 'node_modules/b/index.js']);
    expect(entries.map((entry) => entry.mode.toString(8))).toEqual(['100644', '100755', '100644', '100644', '100644']);
    // DOS date: (1980 - 1980) << 9 | 1 << 5 | 1; time 00:00:00.
    expect(new Set(entries.map((entry) => `${entry.dosDate}/${entry.dosTime}`))).toEqual(new Set(['33/0']));
    expect(entries.every((entry) => entry.extraFields === 0)).toBe(true);
  });

  it('orders a name beyond U+FFFF by its UTF-8 bytes, not by JavaScript\'s UTF-16 order', async () => {
    // UTF-8: U+FF01 is EF BC 81 and U+1F600 is F0 9F 98 80; in UTF-16 the surrogate D83D sorts first.
    const root = tree({ '\u{1F600}.js': 'a', '\uFF01.js': 'b', 'z.js': 'c' });
    expect(listEntries(root, 'zip-directory').map((entry) => entry.name)).toEqual(['z.js', '\uFF01.js', '\u{1F600}.js']);
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

  it('keeps a copy per path through links to sibling directories, and stops at what a zip holds when they multiply', async () => {
    const pair = tree({ 'a/x.js': 'a', 'b/y.js': 'b' });
    symlinkSync(path.join(pair, 'b'), path.join(pair, 'a', 'to-b'));
    symlinkSync(path.join(pair, 'a'), path.join(pair, 'b', 'to-a'));
    // a/to-b/to-a leads back to a directory being walked: not followed.
    expect(listEntries(pair, 'zip-directory').map((entry) => entry.name)).toEqual(['a/to-b/y.js', 'a/x.js', 'b/to-a/x.js', 'b/y.js']);
    // 7 directories of 20 files, each linking to the 6 others: 13,699 paths through them, 273,980 files.
    const files: Record<string, string> = {};
    for (let d = 0; d < 7; d++) for (let f = 0; f < 20; f++) files[`d${d}/f${f}.js`] = 'x';
    const siblings = tree(files);
    for (let d = 0; d < 7; d++) for (let e = 0; e < 7; e++) if (d !== e) symlinkSync(path.join(siblings, `d${e}`), path.join(siblings, `d${d}`, `to-d${e}`));
    expect(() => listEntries(siblings, 'zip-directory')).toThrow(
      'input "zip-directory": more than 65535 files, more than a zip without zip64 can hold; symlinks to directories are followed and each path through them is a copy, so links between sibling directories multiply them',
    );
    // Empty directories multiply too (9 linking to the 8 others: 986,409 paths), with no file to count (a lower limit: the same walk, quicker).
    const empty = tree({});
    for (let d = 0; d < 9; d++) mkdirSync(path.join(empty, `d${d}`));
    for (let d = 0; d < 9; d++) for (let e = 0; e < 9; e++) if (d !== e) symlinkSync(path.join(empty, `d${e}`), path.join(empty, `d${d}`, `to-d${e}`));
    expect(() => listEntries(empty, 'zip-directory', 1000)).toThrow('input "zip-directory": more than 1000 directories, more than a zip without zip64 can hold');
  });

  it('refuses an empty directory', async () => {
    await expect(zipDirectory(tree({}), 'zip-directory')).rejects.toThrow('input "zip-directory": the directory has no files to zip');
  });

  it('holds every file byte for byte, with CRCs unzip -t accepts; stores what deflate cannot shrink (empty, tiny, already compressed)', async () => {
    const files = { ...FILES, 'empty.txt': '', 'tiny.txt': 'x', 'logo.png': 'a'.repeat(500), 'big.js': 'module.exports = 1;\n'.repeat(500), 'naïve/é.js': 'é' };
    const root = tree(files);
    const { bytes } = await zipDirectory(root, 'zip-directory');
    const entries = await readZip(bytes);
    expect(Object.fromEntries(entries.map((entry) => [entry.name, entry.content.toString()]))).toEqual(files);
    const methods = Object.fromEntries(entries.map((entry) => [entry.name, entry.method]));
    expect(methods).toMatchObject({ 'empty.txt': 0, 'tiny.txt': 0, 'logo.png': 0, 'big.js': 8 });
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'zip-test-')), 'package.zip');
    writeFileSync(file, bytes);
    expect(unzip(['-t', file])).toContain('No errors detected');
    // Info-ZIP reads the names as UTF-8 (the language encoding flag) and the modes as Unix modes.
    expect(unzip(['-Z', file])).toMatch(/-rw-r--r-- .* naïve\/é\.js/);
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('gives the same bytes when worker threads compress part of a large directory', async () => {
    const files = Object.fromEntries(Array.from({ length: 600 }, (_, index) => [`node_modules/p${index % 37}/f${index}.js`, `module.exports = ${index};\n`.repeat(index % 50)]));
    const root = tree(files);
    const [alone, threaded] = [await zipDirectory(root, 'zip-directory', { workers: 0 }), await zipDirectory(root, 'zip-directory', { workers: 2 })];
    expect(threaded.fileCount).toBe(600);
    expect(threaded.sha256).toBe(alone.sha256);
    expect((await readZip(threaded.bytes)).map((entry) => entry.content.toString())).toEqual(Object.keys(files).sort().map((name) => files[name]));
  });

  it('a file that cannot be read is one error naming the input, not an unexpected one', async () => {
    const root = tree(Object.fromEntries(Array.from({ length: 300 }, (_, index) => [`lib/f${index}.js`, `exports.v = ${index};\n`])));
    // What a worker reports when open() is refused (a file a container wrote as root, read by the runner's user).
    const refused = `require('node:worker_threads').parentPort.once('message', () => { throw new Error("EACCES: permission denied, open '/site/lib/f7.js'"); });`;
    const failure = await zipDirectory(root, 'zip-directory', { workers: 1, workerSource: refused }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ name: 'ConfigurationError', message: `input "zip-directory": a file could not be read or compressed (EACCES: permission denied, open '/site/lib/f7.js')` });
  });

  it('redoes on the main thread what a worker claimed and never answered for (a worker that exited)', async () => {
    const files = Object.fromEntries(Array.from({ length: 2000 }, (_, index) => [`lib/d${index % 23}/f${index}.js`, `exports.v = ${index};\n`.repeat(1 + (index % 9))]));
    const root = tree(files);
    // Claims every batch still unclaimed as soon as it starts, then ends without a word.
    const vanishing = `require('node:worker_threads').parentPort.once('message', ({ counter }) => { Atomics.add(counter, 0, 1 << 30); process.exit(0); });`;
    const [alone, abandoned] = [await zipDirectory(root, 'zip-directory', { workers: 0 }), await zipDirectory(root, 'zip-directory', { workers: 1, workerSource: vanishing })];
    expect(abandoned.fileCount).toBe(2000);
    expect(abandoned.sha256).toBe(alone.sha256);
  });
});
