/**
 * Decides, without touching anything, what a sync does to each object: upload
 * it (new or changed content), copy it in place with new headers (same content,
 * drifted Cache-Control or Content-Type), leave it, or delete it.
 */
import { MAX_COPY_SIZE } from './constants.js';
import type { LocalFile } from './local.js';
import type { ObjectDetails, RemoteObject } from './remote.js';
import { contentTypeFor, firstMatch, type PathMatcher, type Rule } from './rules.js';

export type WriteKind = 'new' | 'changed' | 'metadata';

export interface PlannedWrite {
  kind: WriteKind;
  key: string;
  file: LocalFile;
  cacheControl: string | undefined;
  contentType: string;
  /** HTML and other entry points go after every asset they may reference. */
  entryPoint: boolean;
  /** Why a metadata copy is needed, e.g. `Cache-Control "max-age=60" → "no-cache"`. */
  drift?: string[];
  /** The ETag of the object a metadata copy relabels. */
  remoteEtag?: string;
}

export interface Plan {
  /** Assets first, then entry points; within each, largest first so big transfers start early. */
  writes: PlannedWrite[];
  unchanged: LocalFile[];
  /** Keys under the prefix with no local file (excluded paths and the state object are never among them). */
  orphans: string[];
}

export interface PlanOptions {
  prefix: string;
  cacheControl: readonly Rule[];
  contentType: readonly Rule[];
  entryPoints: PathMatcher;
  exclude: PathMatcher;
  /** The key of the state object, never synced or deleted. */
  stateKey: string | undefined;
}

const MD5_ETAG = /^[0-9a-f]{32}$/;

/** Whether the object holds the file's bytes: its stored MD5, else a plain-MD5 ETag, else a multipart ETag with our part size. */
export function sameContent(file: LocalFile, remote: ObjectDetails | RemoteObject): boolean {
  if (remote.size !== file.size) return false;
  const md5 = 'md5' in remote ? remote.md5 : undefined;
  if (md5) return md5 === file.md5;
  if (MD5_ETAG.test(remote.etag)) return remote.etag === file.md5;
  return file.multipartEtag !== undefined && remote.etag === file.multipartEtag;
}

/** Media types compare without case and spacing differences (`text/html;charset=UTF-8`). */
function normaliseMediaType(value: string | undefined): string {
  return (value ?? '').toLowerCase().replace(/\s*;\s*/g, '; ').trim();
}

export function metadataDrift(remote: ObjectDetails, cacheControl: string | undefined, contentType: string): string[] {
  const drift: string[] = [];
  if ((remote.cacheControl ?? '') !== (cacheControl ?? '')) drift.push(`Cache-Control "${remote.cacheControl ?? ''}" → "${cacheControl ?? ''}"`);
  if (normaliseMediaType(remote.contentType) !== normaliseMediaType(contentType)) drift.push(`Content-Type "${remote.contentType ?? ''}" → "${contentType}"`);
  return drift;
}

/** Files whose object exists with the same size: only these need details to compare. */
export function keysNeedingDetails(files: readonly LocalFile[], remote: ReadonlyMap<string, RemoteObject>, prefix: string): { listed: RemoteObject; file: LocalFile }[] {
  const needed: { listed: RemoteObject; file: LocalFile }[] = [];
  for (const file of files) {
    const listed = remote.get(prefix + file.relativePath);
    if (listed && listed.size === file.size) needed.push({ listed, file });
  }
  return needed;
}

export function buildPlan(
  files: readonly LocalFile[],
  remote: ReadonlyMap<string, RemoteObject>,
  details: ReadonlyMap<string, ObjectDetails>,
  options: PlanOptions,
): Plan {
  const writes: PlannedWrite[] = [];
  const unchanged: LocalFile[] = [];
  const localKeys = new Set<string>();
  for (const file of files) {
    const key = options.prefix + file.relativePath;
    if (key === options.stateKey) continue;
    localKeys.add(key);
    const cacheControl = firstMatch(options.cacheControl, file.relativePath);
    const contentType = contentTypeFor(options.contentType, file.relativePath);
    const write = { key, file, cacheControl, contentType, entryPoint: options.entryPoints(file.relativePath) };
    const listed = remote.get(key);
    if (!listed) {
      writes.push({ ...write, kind: 'new' });
      continue;
    }
    const known = details.get(key);
    if (!sameContent(file, known ?? listed)) {
      writes.push({ ...write, kind: 'changed' });
      continue;
    }
    // Without details the headers cannot be compared; rewriting them is the safe side.
    const drift = known ? metadataDrift(known, cacheControl, contentType) : ['headers unknown'];
    if (drift.length === 0) unchanged.push(file);
    else if (file.size > MAX_COPY_SIZE) writes.push({ ...write, kind: 'changed', drift });
    else writes.push({ ...write, kind: 'metadata', drift, remoteEtag: (known ?? listed).etag });
  }
  const orphans: string[] = [];
  for (const key of remote.keys()) {
    if (localKeys.has(key) || key === options.stateKey) continue;
    if (options.exclude(key.slice(options.prefix.length))) continue;
    orphans.push(key);
  }
  orphans.sort();
  writes.sort((a, b) => Number(a.entryPoint) - Number(b.entryPoint) || b.file.size - a.file.size || (a.key < b.key ? -1 : 1));
  return { writes, unchanged, orphans };
}
