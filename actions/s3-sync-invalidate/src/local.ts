/**
 * The local side of the sync: every file under the source directory that is
 * not excluded, with the hashes the comparison needs. Small files are read in
 * one go; large ones are streamed once to get both the MD5 of the whole file
 * and the ETag S3 gives a multipart upload with our part size.
 */
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { ActionFailure, isInside } from '@deploy-suite/kit';
import pLimit from 'p-limit';
import { MULTIPART_THRESHOLD, PART_SIZE } from './constants.js';
import type { PathMatcher } from './rules.js';

export interface LocalFile {
  /** Path relative to the source directory, with forward slashes. */
  relativePath: string;
  absolutePath: string;
  size: number;
  /** Hex MD5 of the whole content. */
  md5: string;
  /** The ETag S3 reports for this content uploaded in parts of PART_SIZE (large files only). */
  multipartEtag?: string;
}

export interface ScanOptions {
  exclude: PathMatcher;
  parallel: number;
}

export interface ScanResult {
  files: LocalFile[];
  excluded: number;
  /** Symbolic links not followed (relative paths): their target is outside the source, or a directory already walked (a loop). */
  skippedLinks: string[];
}

/**
 * Every file under `root`. A symbolic link is followed only when its target
 * lies inside the source directory (so `favicon.ico -> ~/.ssh/id_rsa` never
 * publishes the key), and a directory is walked once (a link back up is a
 * loop); other links are skipped and reported. Files are read at their real
 * path, the one that was checked.
 */
export async function scanDirectory(root: string, options: ScanOptions): Promise<ScanResult> {
  const found: FoundFile[] = [];
  const skippedLinks: string[] = [];
  const realRoot = await realpath(root);
  const walked = new Set<string>([realRoot]);
  let excluded = 0;
  const walk = async (directory: string, relativeDirectory: string): Promise<void> => {
    const entries = await readdir(directory, { withFileTypes: true });
    for (const entry of entries) {
      let absolutePath = path.join(directory, entry.name);
      const relativePath = relativeDirectory === '' ? entry.name : `${relativeDirectory}/${entry.name}`;
      let info: { isDirectory(): boolean; isFile(): boolean } = entry;
      if (entry.isSymbolicLink()) {
        const target = await realpath(absolutePath).catch(() => undefined);
        if (!target) throw new ActionFailure(`"${relativePath}" in the source directory is a broken symbolic link`);
        const targetInfo = await stat(target);
        if (!isInside(realRoot, target) || (targetInfo.isDirectory() && walked.has(target))) {
          skippedLinks.push(relativePath);
          continue;
        }
        absolutePath = target;
        info = targetInfo;
      }
      if (info.isDirectory()) {
        walked.add(absolutePath);
        await walk(absolutePath, relativePath);
      } else if (info.isFile()) {
        if (options.exclude(relativePath)) excluded++;
        else found.push({ relativePath, absolutePath });
      }
    }
  };
  await walk(realRoot, '');
  const files = await hashFiles(found, options.parallel);
  files.sort((a, b) => (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0));
  return { files, excluded, skippedLinks };
}

interface FoundFile {
  relativePath: string;
  absolutePath: string;
}

/** About this much reading and hashing (a small file counts for at least 32 kB) between two turns of the event loop. */
const BATCH_BYTES = 1024 * 1024;

/**
 * Small files are read and hashed synchronously, a batch at a time between turns of the event loop (so the
 * listing's requests, in flight meanwhile, are answered): for thousands of small files that takes about a third of
 * the CPU of a promise per file system call. Large files are streamed, `parallel` at a time.
 */
async function hashFiles(found: readonly FoundFile[], parallel: number): Promise<LocalFile[]> {
  const files: LocalFile[] = [];
  const large: FoundFile[] = [];
  let batch = 0;
  for (const { relativePath, absolutePath } of found) {
    if (batch >= BATCH_BYTES) {
      await new Promise((resolve) => setImmediate(resolve));
      batch = 0;
    }
    if (statSync(absolutePath).size >= MULTIPART_THRESHOLD) {
      large.push({ relativePath, absolutePath });
      continue;
    }
    const content = readFileSync(absolutePath);
    batch += Math.max(content.length, 32 * 1024);
    files.push({ relativePath, absolutePath, size: content.length, md5: createHash('md5').update(content).digest('hex') });
  }
  const limit = pLimit(parallel);
  return [...files, ...(await Promise.all(large.map((file) => limit(() => hashFile(file.relativePath, file.absolutePath)))))];
}

export async function hashFile(relativePath: string, absolutePath: string): Promise<LocalFile> {
  const { size } = await stat(absolutePath);
  if (size < MULTIPART_THRESHOLD) {
    const md5 = createHash('md5').update(await readFile(absolutePath)).digest('hex');
    return { relativePath, absolutePath, size, md5 };
  }
  const whole = createHash('md5');
  const partDigests: Buffer[] = [];
  let part = createHash('md5');
  let inPart = 0;
  for await (const chunk of createReadStream(absolutePath, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
    whole.update(chunk);
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(PART_SIZE - inPart, chunk.length - offset);
      part.update(chunk.subarray(offset, offset + take));
      inPart += take;
      offset += take;
      if (inPart === PART_SIZE) {
        partDigests.push(part.digest());
        part = createHash('md5');
        inPart = 0;
      }
    }
  }
  if (inPart > 0) partDigests.push(part.digest());
  const multipartEtag = `${createHash('md5').update(Buffer.concat(partDigests)).digest('hex')}-${partDigests.length}`;
  return { relativePath, absolutePath, size, md5: whole.digest('hex'), multipartEtag };
}

/** Number of parts for a file of this size. */
export function partCount(size: number): number {
  return Math.max(1, Math.ceil(size / PART_SIZE));
}

/** `1.5 MB`, `320 kB`, `12 B` (SI units, as S3's console shows them). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = -1;
  do {
    value /= 1000;
    unit++;
  } while (value >= 1000 && unit < units.length - 1);
  return `${value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0)} ${units[unit]}`;
}
