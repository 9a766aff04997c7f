/**
 * The stamp: how a re-sync knows the headers of the site's objects without a
 * HEAD per object and without a state object among the site's files.
 *
 * After a sync that left every object of the site with the headers its rules
 * give, the action copies one small object of the site onto itself with a
 * `sync-stamp` metadata value: a digest of the header rules, the LastModified of
 * the newest object it checked, and a Bloom filter of the objects under the
 * prefix that were not part of the site then (their headers were never checked).
 * The copy makes that object the newest of the site, so the next run finds it in
 * the listing and reads it with one HEAD. Then, while the rules are the same, an
 * object no newer than the stamp, not in the filter, whose ETag shows it holds
 * the file's bytes, has the headers the rules give: no HEAD. Anything written
 * since, by anyone, is newer than the stamp and is read with HEAD.
 *
 * The stamp is public: S3 and CloudFront return x-amz-meta-* headers to anyone
 * who can read the object. So the filter holds each object's key with its ETag
 * (the MD5 of its content for a plain upload), not the key alone: a filter of
 * keys would let a visitor test guessed names (`backup.sql`) against it, while
 * this one answers only someone who already has the object's content, or its
 * ETag, which only a read of the object itself gives. (Content anyone can guess,
 * an empty file, still tells its name.) An object the stamp may vouch for is no
 * newer than the stamp, so its ETag is the one the stamp saw: testing it with
 * the current listing's ETag finds it as surely as by key.
 */
import { createHash } from 'node:crypto';
import { MULTIPART_THRESHOLD } from './constants.js';
import type { LocalFile } from './local.js';
import type { RemoteObject } from './remote.js';

/** 's1' filtered keys alone; a stamp of another version is not trusted (that run reads headers with HEAD and stamps again). */
const VERSION = 's2';
/** Filter size bounds (bits): about 10 bits per object, at most 8 Kib so the stamp stays well inside S3's 2 KB of metadata. */
const MIN_BITS = 64;
const MAX_BITS = 8192;

export interface Stamp {
  /** headerRulesDigest() of the rules the stamped sync applied. */
  rules: string;
  /** LastModified (ms) of the newest object the stamped sync checked: anything newer was written after it. */
  newestChecked: number;
  /** Objects under the prefix that were not part of the site when stamped. */
  unchecked: ObjectFilter;
}

/** What the filter knows an object by: its key and ETag, as listed. */
export type ListedIdentity = Pick<RemoteObject, 'key' | 'etag'>;

/**
 * A Bloom filter over objects, each hashed as key and ETag together: `has` may say yes for an object never added (a
 * HEAD too many), never no for one added with the same ETag.
 */
export class ObjectFilter {
  private constructor(
    private readonly bits: Uint8Array,
    private readonly hashes: number,
  ) {}

  static of(objects: readonly ListedIdentity[]): ObjectFilter {
    if (objects.length === 0) return new ObjectFilter(new Uint8Array(0), 0);
    let size = MIN_BITS;
    while (size < objects.length * 10 && size < MAX_BITS) size *= 2;
    const hashes = Math.min(8, Math.max(1, Math.round((size / objects.length) * Math.LN2)));
    const filter = new ObjectFilter(new Uint8Array(size / 8), hashes);
    for (const object of objects) for (const bit of filter.positions(object)) filter.bits[bit >> 3]! |= 1 << (bit & 7);
    return filter;
  }

  static parse(hashes: string, bits: string): ObjectFilter | undefined {
    const count = Number(hashes);
    if (!Number.isInteger(count) || count < 0 || count > 8) return undefined;
    if (count === 0) return bits === '-' ? new ObjectFilter(new Uint8Array(0), 0) : undefined;
    const bytes = new Uint8Array(Buffer.from(bits, 'base64'));
    return bytes.length * 8 >= MIN_BITS && bytes.length * 8 <= MAX_BITS ? new ObjectFilter(bytes, count) : undefined;
  }

  has(object: ListedIdentity): boolean {
    return this.hashes > 0 && this.positions(object).every((bit) => (this.bits[bit >> 3]! & (1 << (bit & 7))) !== 0);
  }

  toString(): string {
    return `${this.hashes} ${this.hashes === 0 ? '-' : Buffer.from(this.bits).toString('base64')}`;
  }

  /** The bits of an object: from the MD5 of its key, a NUL (no key holds one) and its ETag. */
  private positions({ key, etag }: ListedIdentity): number[] {
    const digest = createHash('md5').update(`${key}\0${etag}`).digest();
    const first = digest.readUInt32BE(0);
    const step = (digest.readUInt32BE(4) | 1) >>> 0;
    const size = this.bits.length * 8;
    return Array.from({ length: this.hashes }, (_, index) => (first + index * step) % size);
  }
}

export function formatStamp(stamp: Stamp): string {
  return `${VERSION} ${stamp.rules} ${Math.floor(stamp.newestChecked / 1000)} ${stamp.unchecked.toString()}`;
}

/** The stamp in a metadata value, or undefined when there is none or it is of another version. */
export function parseStamp(value: string | undefined): Stamp | undefined {
  const [version, rules, newest, hashes, bits, ...rest] = (value ?? '').split(' ');
  if (version !== VERSION || !rules || !newest || hashes === undefined || bits === undefined || rest.length > 0) return undefined;
  const unchecked = ObjectFilter.parse(hashes, bits);
  const seconds = Number(newest);
  return unchecked && Number.isInteger(seconds) ? { rules, newestChecked: seconds * 1000, unchecked } : undefined;
}

/**
 * The order in which objects are candidates to carry the stamp: small files
 * (a copy keeps their plain-MD5 ETag), pages last (every visitor gets the
 * metadata with the object), then by key.
 */
function anchorOrder(isEntryPoint: (relativePath: string) => boolean) {
  return (a: LocalFile, b: LocalFile): number => Number(isEntryPoint(a.relativePath)) - Number(isEntryPoint(b.relativePath)) || (a.relativePath < b.relativePath ? -1 : 1);
}

/** The file whose object carries the stamp after a sync: the first small file in anchor order. */
export function chooseAnchor(files: readonly LocalFile[], isEntryPoint: (relativePath: string) => boolean): LocalFile | undefined {
  return files.filter((file) => file.size < MULTIPART_THRESHOLD).sort(anchorOrder(isEntryPoint))[0];
}

/**
 * The object that carries the last stamp, if the bucket still looks as the
 * stamping run left it: among the site's listed objects, the newest ones, and
 * of those the first in anchor order (chooseAnchor picked it among all files,
 * so it comes first among any of them).
 */
export function findAnchor(
  files: readonly LocalFile[],
  remote: ReadonlyMap<string, RemoteObject>,
  prefix: string,
  isEntryPoint: (relativePath: string) => boolean,
): RemoteObject | undefined {
  let newest: LocalFile[] = [];
  let newestModified = -1;
  for (const file of files) {
    const listed = remote.get(prefix + file.relativePath);
    if (!listed) continue;
    if (listed.lastModified > newestModified) {
      newest = [];
      newestModified = listed.lastModified;
    }
    if (listed.lastModified === newestModified && listed.size < MULTIPART_THRESHOLD) newest.push(file);
  }
  const anchor = newest.sort(anchorOrder(isEntryPoint))[0];
  return anchor ? remote.get(prefix + anchor.relativePath) : undefined;
}

/** Whether the stamp vouches for the headers of a listed object (its content is compared separately, by ETag). */
export function vouchesFor(stamp: Stamp, rules: string, listed: RemoteObject): boolean {
  return stamp.rules === rules && listed.lastModified <= stamp.newestChecked && !stamp.unchecked.has(listed);
}

/**
 * Milliseconds from `now` until the second after the one `time` falls in begins: how long the stamp waits so that
 * it lands in a later second than the writes it vouches for. Never more than a second, whatever the clocks say.
 */
export function untilSecondAfter(time: number, now: number): number {
  return Math.min(1000, Math.max(0, Math.floor(time / 1000) * 1000 + 1000 - now));
}
