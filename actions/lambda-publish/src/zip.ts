/**
 * A deterministic zip of a directory: entries sorted by path, a fixed DOS
 * timestamp, modes reduced to 0644 or 0755 and no extra fields, so the same
 * files give the same bytes (and the same CodeSha256) on every runner,
 * whatever their mtimes, owners or the order readdir returns them in.
 *
 * Files are read and deflated by the main thread and, for a large directory,
 * worker threads at once, taking batches from a shared counter; each entry is
 * compressed on its own, so which thread did it never changes a byte. The zip
 * is then written in entry order into one buffer of the exact size.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import * as zlib from 'node:zlib';
import { ConfigurationError, describeError, isInside } from '@deploy-suite/kit';

/** 1980-01-01 00:00:00: DOS date (year - 1980) << 9 | month << 5 | day, time 0. */
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const DOS_TIME = 0;
const FILE_MODE = 0o100644;
const EXECUTABLE_MODE = 0o100755;
const STORE = 0;
/** "Version made by": Unix (3) in the high byte, so the modes in the external attributes are read as Unix modes; spec 2.0. */
const MADE_BY = (3 << 8) | 20;
const UTF8_NAMES = 0x0800;
/** Without zip64 a zip counts entries in 16 bits. */
const MAX_ENTRIES = 0xffff;
const MAX_OFFSET = 0xffffffff;
const LOCAL_HEADER = 30;
const CENTRAL_HEADER = 46;
const END_RECORD = 22;
/** Below this many files a worker thread costs more to start than it saves. */
const PARALLEL_FROM_FILES = 256;
const MAX_WORKERS = 3;
/** Entries a thread claims at a time: large enough to keep the shared counter cold, small enough to balance. */
const BATCH = 32;

export interface ZipEntry {
  /** Path inside the zip, `/`-separated. */
  name: string;
  file: string;
}

export interface Package {
  bytes: Buffer;
  /** Base64 SHA-256 of the bytes, as Lambda reports CodeSha256. */
  sha256: string;
  fileCount: number;
  /** Threads that read and compressed the files (zipped here only). */
  threads?: number;
}

export function codeSha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('base64');
}

/**
 * Every regular file under root, sorted by zip path. A symlink is followed
 * when it points inside root (as `zip -r` does), refused when it points out;
 * a directory reached again through a symlink inside itself (a cycle) is read once.
 *
 * Each link name is kept (in a Lambda package a link's name is a module path:
 * `node_modules/foo -> .pnpm/...`), so directories linking to each other hold a
 * copy per path and their count multiplies with depth: the walk stops with an
 * input error as soon as it passes what a zip can hold, instead of running on.
 */
export function listEntries(root: string, inputName: string, limit = MAX_ENTRIES): ZipEntry[] {
  const realRoot = fs.realpathSync(root);
  const entries: ZipEntry[] = [];
  // The real paths of the directories being walked: only a symlink can lead back to one of them.
  const walking: string[] = [];
  let walked = 0;
  const add = (entry: ZipEntry): void => {
    if (entries.push(entry) > limit) throw tooManyEntries(inputName, 'files', limit);
  };
  // Synchronous: thousands of small calls cost several times the CPU through the thread pool.
  const walk = (directory: string, prefix: string): void => {
    // Directories count too: links between empty directories multiply as well.
    if (++walked > limit) throw tooManyEntries(inputName, 'directories', limit);
    walking.push(directory);
    for (const child of fs.readdirSync(directory, { withFileTypes: true })) {
      // The walk starts at a real path and resolves every symlink, so these paths need no normalizing.
      const file = `${directory}/${child.name}`;
      const name = prefix + child.name;
      if (child.isFile()) add({ name, file });
      else if (child.isDirectory()) walk(file, `${name}/`);
      else if (child.isSymbolicLink()) {
        const target = resolveSymlink(realRoot, file, name, inputName);
        const stats = fs.statSync(target);
        if (stats.isDirectory() && !walking.includes(target)) walk(target, `${name}/`);
        else if (stats.isFile()) add({ name, file: target });
      }
    }
    walking.pop();
  };
  walk(realRoot, '');
  return sortByUtf8Name(entries);
}

function tooManyEntries(inputName: string, what: 'files' | 'directories', limit: number): ConfigurationError {
  return new ConfigurationError(
    `input "${inputName}": more than ${limit} ${what}, more than a zip without zip64 can hold; symlinks to directories are followed and each path through them is a copy, so links between sibling directories multiply them`,
  );
}

function resolveSymlink(realRoot: string, file: string, name: string, inputName: string): string {
  let target: string;
  try {
    target = fs.realpathSync(file);
  } catch {
    throw new ConfigurationError(`input "${inputName}": "${name}" is a broken symlink`);
  }
  if (!isInside(realRoot, target)) throw new ConfigurationError(`input "${inputName}": "${name}" is a symlink to ${target}, outside the directory being zipped`);
  return target;
}

/**
 * Byte order of the UTF-8 names, not the locale's: the same on every machine.
 * JavaScript compares UTF-16 code units, which is the same order unless a
 * name holds a character beyond U+FFFF (a surrogate pair): then compare bytes.
 */
function sortByUtf8Name(entries: ZipEntry[]): ZipEntry[] {
  if (entries.some((entry) => /[\uD800-\uDFFF]/.test(entry.name))) {
    const keyed = entries.map((entry) => ({ entry, key: Buffer.from(entry.name) }));
    return keyed.sort((a, b) => Buffer.compare(a.key, b.key)).map(({ entry }) => entry);
  }
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** One file read and compressed: what its headers need, and its data as stored in the zip. */
interface Compressed {
  crc: number;
  size: number;
  method: number;
  executable: boolean;
  data: Uint8Array;
}

/**
 * What one thread read and compressed: its `i`th entry is file `indexes[i]`,
 * stored as `data[ends[i - 1] ?? 0, ends[i])`. One buffer for all the data, so
 * a worker hands it over without a copy and thousands of small buffers never exist.
 */
interface Share {
  indexes: number[];
  crcs: number[];
  sizes: number[];
  methods: number[];
  executable: boolean[];
  ends: number[];
  data: Uint8Array;
}

/**
 * Reads, checksums and compresses every batch of files this thread claims
 * from the shared counter. Runs in the main thread and, as source text, in
 * worker threads: it refers to nothing outside itself (node:fs and node:zlib
 * come in as arguments).
 */
function compressClaimed(files: readonly string[], counter: Int32Array, batch: number, nodeFs: typeof fs, nodeZlib: typeof zlib): Share {
  // Deflate cannot shrink these, nor a file this small: storing them saves the attempt.
  const compressed = /\.(?:zip|jar|gz|tgz|bz2|xz|zst|br|7z|png|jpe?g|gif|webp|avif|woff2?|mp[34]|pdf)$/i;
  const tiny = 64;
  const share: Share = { indexes: [], crcs: [], sizes: [], methods: [], executable: [], ends: [], data: Buffer.allocUnsafeSlow(1 << 20) };
  let used = 0;
  // Every file is read into one buffer: deflate copies out what it keeps.
  let scratch = Buffer.allocUnsafeSlow(1 << 20);
  for (let start = Atomics.add(counter, 0, batch); start < files.length; start = Atomics.add(counter, 0, batch)) {
    for (let index = start; index < Math.min(start + batch, files.length); index++) {
      const fd = nodeFs.openSync(files[index] as string, 'r');
      let size = 0;
      try {
        const stats = nodeFs.fstatSync(fd);
        share.executable.push((stats.mode & 0o100) !== 0);
        if (stats.size > scratch.length) scratch = Buffer.allocUnsafeSlow(stats.size);
        for (let got = 1; size < stats.size && got > 0; size += got) got = nodeFs.readSync(fd, scratch, size, stats.size - size, size);
      } finally {
        nodeFs.closeSync(fd);
      }
      const content = scratch.subarray(0, size);
      // A window no larger than the file (a function of its size only, so still deterministic) and an output
      // buffer of its size: less memory to set up and fault in, thousands of times over.
      const windowBits = Math.min(15, Math.max(9, Math.ceil(Math.log2(size + 262))));
      const deflated = size < tiny || compressed.test(files[index] as string) ? undefined : nodeZlib.deflateRawSync(content, { windowBits, chunkSize: size + 64 });
      const stored = deflated === undefined || deflated.length >= size ? content : deflated;
      if (used + stored.length > share.data.length) {
        const grown = Buffer.allocUnsafeSlow(Math.max(2 * share.data.length, used + stored.length));
        grown.set(share.data.subarray(0, used));
        share.data = grown;
      }
      share.data.set(stored, used);
      used += stored.length;
      share.indexes.push(index);
      share.crcs.push(nodeZlib.crc32(content));
      share.sizes.push(size);
      share.methods.push(stored === content ? 0 : 8); // stored : deflated
      share.ends.push(used);
    }
  }
  share.data = share.data.subarray(0, used);
  return share;
}

const WORKER_SOURCE = `const { parentPort } = require('node:worker_threads');
parentPort.once('message', ({ files, counter, batch }) => {
  try {
    const share = (${compressClaimed.toString()})(files, counter, batch, require('node:fs'), require('node:zlib'));
    parentPort.postMessage({ share }, [share.data.buffer]);
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
});`;

type WorkerAnswer = { share: Share } | { error: string };

function startWorker(source: string): { worker: Worker; answer: Promise<WorkerAnswer> } {
  const worker = new Worker(source, { eval: true });
  const answer = new Promise<WorkerAnswer>((resolve) => {
    worker.once('message', resolve);
    worker.once('error', (error) => resolve({ error: error.message }));
    // A worker that ended without answering leaves what it claimed undone: the main thread does it.
    worker.once('exit', () => resolve({ share: compressClaimed([], new Int32Array(new SharedArrayBuffer(4)), 1, fs, zlib) }));
  });
  return { worker, answer };
}

export interface ZipOptions {
  /** Worker threads besides the main one; default: one less than the CPUs, at most 3, and none below 256 files. */
  workers?: number;
  /** What each worker thread runs (CommonJS source); tests give one that fails. */
  workerSource?: string;
}

function workerCount(files: number, options: ZipOptions): number {
  if (options.workers !== undefined) return options.workers;
  return files < PARALLEL_FROM_FILES ? 0 : Math.max(0, Math.min(MAX_WORKERS, availableParallelism() - 1));
}

/** Puts a thread's share in place, entry by entry; `at` maps its indexes (a share of a sublist) back. */
function place(results: Array<Compressed | undefined>, share: Share, at: (index: number) => number = (index) => index): void {
  share.indexes.forEach((index, i) => {
    const data = share.data.subarray(share.ends[i - 1] ?? 0, share.ends[i]);
    results[at(index)] = { crc: share.crcs[i] as number, size: share.sizes[i] as number, method: share.methods[i] as number, executable: share.executable[i] as boolean, data };
  });
}

/** Every file read and compressed, in entry order, by this thread and `workers` others sharing one counter. */
async function compressAll(files: readonly string[], workers: number, workerSource: string): Promise<Compressed[]> {
  const started = Array.from({ length: workers }, () => startWorker(workerSource));
  const counter = new Int32Array(new SharedArrayBuffer(4));
  try {
    for (const { worker } of started) worker.postMessage({ files, counter, batch: BATCH });
    const results = new Array<Compressed | undefined>(files.length);
    // The main thread works too; a worker still starting simply claims fewer batches.
    place(results, compressClaimed(files, counter, BATCH, fs, zlib));
    for (const { answer } of started) {
      const settled = await answer;
      if ('error' in settled) throw new Error(settled.error);
      place(results, settled.share);
    }
    const missing = [...results.keys()].filter((index) => results[index] === undefined);
    if (missing.length > 0) {
      const redone = compressClaimed(missing.map((index) => files[index] as string), new Int32Array(new SharedArrayBuffer(4)), BATCH, fs, zlib);
      place(results, redone, (at) => missing[at] as number);
    }
    return results as Compressed[];
  } finally {
    for (const { worker } of started) void worker.terminate();
  }
}

/** Writes the local headers and data in entry order, then the central directory and its end record. */
function writeZip(entries: readonly ZipEntry[], results: readonly Compressed[], inputName: string): Buffer {
  const names = entries.map((entry) => Buffer.from(entry.name));
  let dataSize = 0;
  let directorySize = 0;
  for (let index = 0; index < entries.length; index++) {
    dataSize += LOCAL_HEADER + (names[index] as Buffer).length + (results[index] as Compressed).data.length;
    directorySize += CENTRAL_HEADER + (names[index] as Buffer).length;
  }
  // Without zip64 (far beyond Lambda's 250 MB unzipped limit) offsets and sizes are 32 bits.
  if (dataSize + directorySize > MAX_OFFSET) throw new ConfigurationError(`input "${inputName}": the zip would be larger than 4 GB, which a zip without zip64 cannot hold`);
  const out = Buffer.allocUnsafe(dataSize + directorySize + END_RECORD);
  let at = 0;
  let central = dataSize;
  for (let index = 0; index < entries.length; index++) {
    const name = names[index] as Buffer;
    const { crc, size, method, executable, data } = results[index] as Compressed;
    const flags = name.length === entries[index]?.name.length ? 0 : UTF8_NAMES;
    const version = method === STORE ? 10 : 20;
    // Local file header.
    out.writeUInt32LE(0x04034b50, at);
    out.writeUInt16LE(version, at + 4);
    out.writeUInt16LE(flags, at + 6);
    out.writeUInt16LE(method, at + 8);
    out.writeUInt16LE(DOS_TIME, at + 10);
    out.writeUInt16LE(DOS_DATE, at + 12);
    out.writeUInt32LE(crc, at + 14);
    out.writeUInt32LE(data.length, at + 18);
    out.writeUInt32LE(size, at + 22);
    out.writeUInt16LE(name.length, at + 26);
    out.writeUInt16LE(0, at + 28);
    name.copy(out, at + LOCAL_HEADER);
    out.set(data, at + LOCAL_HEADER + name.length);
    // Central directory header.
    out.writeUInt32LE(0x02014b50, central);
    out.writeUInt16LE(MADE_BY, central + 4);
    out.copy(out, central + 6, at + 4, at + 28);
    out.writeUInt16LE(0, central + 30); // extra field length
    out.writeUInt16LE(0, central + 32); // comment length
    out.writeUInt16LE(0, central + 34); // disk number
    out.writeUInt16LE(0, central + 36); // internal attributes
    out.writeUInt32LE(((executable ? EXECUTABLE_MODE : FILE_MODE) << 16) >>> 0, central + 38);
    out.writeUInt32LE(at, central + 42);
    name.copy(out, central + CENTRAL_HEADER);
    at += LOCAL_HEADER + name.length + data.length;
    central += CENTRAL_HEADER + name.length;
  }
  out.writeUInt32LE(0x06054b50, central);
  out.writeUInt32LE(0, central + 4); // this disk, disk with the directory
  out.writeUInt16LE(entries.length, central + 8);
  out.writeUInt16LE(entries.length, central + 10);
  out.writeUInt32LE(directorySize, central + 12);
  out.writeUInt32LE(dataSize, central + 16);
  out.writeUInt16LE(0, central + 20); // comment length
  return out;
}

export async function zipDirectory(root: string, inputName: string, options: ZipOptions = {}): Promise<Package> {
  const entries = listEntries(root, inputName);
  if (entries.length === 0) throw new ConfigurationError(`input "${inputName}": the directory has no files to zip`);
  const files = entries.map((entry) => entry.file);
  const workers = workerCount(files.length, options);
  let compressed: Compressed[];
  try {
    compressed = await compressAll(files, workers, options.workerSource ?? WORKER_SOURCE);
  } catch (error) {
    // A file the runner's user may not read (written by a container as root): one line naming the input, not an unexpected error.
    throw new ConfigurationError(`input "${inputName}": a file could not be read or compressed (${describeError(error)})`);
  }
  const bytes = writeZip(entries, compressed, inputName);
  return { bytes, sha256: codeSha256(bytes), fileCount: entries.length, threads: 1 + workers };
}
