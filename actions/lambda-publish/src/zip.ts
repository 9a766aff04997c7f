/**
 * A deterministic zip of a directory: entries sorted by path, a fixed DOS
 * timestamp, modes reduced to 0644 or 0755 and no extra fields, so the same
 * files give the same bytes (and the same CodeSha256) on every runner,
 * whatever their mtimes, owners or the order readdir returns them in.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { ConfigurationError, isInside } from '@deploy-suite/kit';
import { Zip, type ZipInputFile } from 'fflate';

/** 1980-01-01 00:00:00 as local time: DOS timestamps are local, so this is the same fields in every time zone. */
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);
const FILE_MODE = 0o100644;
const EXECUTABLE_MODE = 0o100755;
const DEFLATE = 8;
/** "Version made by" Unix, so the modes in the external attributes are read as Unix modes. */
const UNIX = 3;
const MAX_ENTRIES = 0xffff;

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
export function listEntries(root: string, inputName: string): ZipEntry[] {
  const realRoot = realpathSync(root);
  const entries: ZipEntry[] = [];
  // Synchronous: thousands of small calls cost several times the CPU through the thread pool.
  const walk = (directory: string, prefix: string, ancestors: Set<string>): void => {
    for (const child of readdirSync(directory, { withFileTypes: true })) {
      const file = path.join(directory, child.name);
      const name = prefix + child.name;
      let target = file;
      if (child.isSymbolicLink()) {
        try {
          target = realpathSync(file);
        } catch {
          throw new ConfigurationError(`input "${inputName}": "${name}" is a broken symlink`);
        }
        if (!isInside(realRoot, target)) throw new ConfigurationError(`input "${inputName}": "${name}" is a symlink to ${target}, outside the directory being zipped`);
      }
      if (child.isDirectory() || (child.isSymbolicLink() && statSync(target).isDirectory())) {
        const real = child.isSymbolicLink() ? target : realpathSync(target);
        if (!ancestors.has(real)) walk(target, `${name}/`, new Set([...ancestors, real]));
      } else if (child.isFile() || child.isSymbolicLink()) {
        const stats = statSync(target);
        if (stats.isFile()) entries.push({ name, file: target, executable: (stats.mode & 0o100) !== 0 });
      }
    }
  };
  walk(realRoot, '', new Set([realRoot]));
  // Byte order of the UTF-8 names, not the locale's: the same on every machine.
  return entries.sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
}

/**
 * fflate writes the zip container (headers, data descriptors, central
 * directory); each entry is compressed by Node's zlib in one synchronous call.
 * fflate's own deflate and zlib's asynchronous API (a stream per call) both
 * cost two to four times the CPU on thousands of small files.
 */
export function zipEntries(entries: readonly ZipEntry[], inputName: string): Package {
  // Without zip64 (far beyond Lambda's 250 MB unzipped limit in practice) a zip counts entries in 16 bits.
  if (entries.length > MAX_ENTRIES) throw new ConfigurationError(`input "${inputName}": ${entries.length} files are more than a zip without zip64 can hold (${MAX_ENTRIES})`);
  const chunks: Uint8Array[] = [];
  let failure: Error | null = null;
  let ended = false;
  const zip = new Zip((error, chunk, final) => {
    if (error) failure = error;
    else chunks.push(chunk);
    ended = final;
  });
  for (const entry of entries) {
    const content = readFileSync(entry.file);
    const file: ZipInputFile = {
      filename: entry.name,
      size: content.length,
      crc: crc32(content),
      compression: DEFLATE,
      mtime: FIXED_MTIME,
      os: UNIX,
      attrs: ((entry.executable ? EXECUTABLE_MODE : FILE_MODE) << 16) >>> 0,
    };
    zip.add(file);
    file.ondata?.(null, deflateRawSync(content), true);
  }
  zip.end();
  if (failure || !ended) throw new Error(`the zip was not completed: ${(failure as Error | null)?.message ?? 'no final chunk'}`);
  const bytes = Buffer.concat(chunks);
  return { bytes, sha256: codeSha256(bytes), fileCount: entries.length };
}

export function zipDirectory(root: string, inputName: string): Package {
  const entries = listEntries(root, inputName);
  if (entries.length === 0) throw new ConfigurationError(`input "${inputName}": the directory has no files to zip`);
  return zipEntries(entries, inputName);
}
