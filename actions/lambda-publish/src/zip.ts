/**
 * A deterministic zip of a directory: entries sorted by path, a fixed DOS
 * timestamp, modes reduced to 0644 or 0755 and no extra fields, so the same
 * files give the same bytes (and the same CodeSha256) on every runner,
 * whatever their mtimes, owners or the order readdir returns them in.
 */
import { createHash } from 'node:crypto';
import { readFile, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { ConfigurationError, isInside } from '@deploy-suite/kit';
import { ZipFile } from 'yazl';

/** 1980-01-01 00:00:00 as local time: DOS timestamps are local, so this is the same fields in every time zone. */
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);
const FILE_MODE = 0o100644;
const EXECUTABLE_MODE = 0o100755;
/** Files read ahead of the one being added: reads and deflate overlap, entries stay in order. */
const READ_AHEAD = 32;

export interface ZipEntry {
  /** Path inside the zip, `/`-separated. */
  name: string;
  file: string;
  executable: boolean;
}

export interface Package {
  bytes: Buffer;
  /** Base64 SHA-256 of the bytes, as Lambda reports CodeSha256. */
  sha256: string;
  fileCount: number;
}

export function codeSha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('base64');
}

/**
 * Every regular file under root, sorted by zip path. A symlink is followed
 * when it points inside root (as `zip -r` does), refused when it points out;
 * a directory reached twice through symlinks (a cycle) is read once.
 */
export async function listEntries(root: string, inputName: string): Promise<ZipEntry[]> {
  const realRoot = await realpath(root);
  const entries: ZipEntry[] = [];
  const walk = async (directory: string, prefix: string, ancestors: Set<string>): Promise<void> => {
    const children = await readdir(directory, { withFileTypes: true });
    for (const child of children) {
      const file = path.join(directory, child.name);
      const name = prefix + child.name;
      let target = file;
      if (child.isSymbolicLink()) {
        target = await realpath(file).catch(() => {
          throw new ConfigurationError(`input "${inputName}": "${name}" is a broken symlink`);
        });
        if (!isInside(realRoot, target)) throw new ConfigurationError(`input "${inputName}": "${name}" is a symlink to ${target}, outside the directory being zipped`);
      }
      const stats = await stat(target);
      if (stats.isDirectory()) {
        const real = await realpath(target);
        if (ancestors.has(real)) continue;
        await walk(target, `${name}/`, new Set([...ancestors, real]));
      } else if (stats.isFile()) {
        entries.push({ name, file: target, executable: (stats.mode & 0o100) !== 0 });
      }
    }
  };
  await walk(realRoot, '', new Set([realRoot]));
  // Byte order of the UTF-8 names, not the locale's: the same on every machine.
  return entries.sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
}

export async function zipEntries(entries: readonly ZipEntry[]): Promise<Package> {
  const zip = new ZipFile();
  const chunks: Buffer[] = [];
  const output = new Promise<Buffer>((resolve, reject) => {
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
  const reads: Promise<Buffer>[] = [];
  const startRead = (index: number): void => {
    const entry = entries[index];
    if (entry) reads[index] = readFile(entry.file);
  };
  for (let index = 0; index < Math.min(READ_AHEAD, entries.length); index++) startRead(index);
  for (const [index, entry] of entries.entries()) {
    const content = await (reads[index] as Promise<Buffer>);
    startRead(index + READ_AHEAD);
    delete reads[index];
    zip.addBuffer(content, entry.name, { mtime: FIXED_MTIME, forceDosTimestamp: true, mode: entry.executable ? EXECUTABLE_MODE : FILE_MODE, compress: true });
  }
  zip.end();
  const bytes = await output;
  return { bytes, sha256: codeSha256(bytes), fileCount: entries.length };
}

export async function zipDirectory(root: string, inputName: string): Promise<Package> {
  const entries = await listEntries(root, inputName);
  if (entries.length === 0) throw new ConfigurationError(`input "${inputName}": the directory has no files to zip`);
  return zipEntries(entries);
}
