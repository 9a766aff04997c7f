import path from 'node:path';
import type { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { S3Client } from '@aws-sdk/client-s3';
import * as core from '@actions/core';
import { clientConfig, createClient, describeAwsError } from '@deploy-suite/aws';
import { ActionFailure, addTable, code, ConfigurationError, escapeHtml, formatDuration, phase, safeLogText, WaitTimeoutError, writeSummary } from '@deploy-suite/kit';
import pLimit from 'p-limit';
import { ACTION_NAME, Input, LEGACY_STATE_NAME, Output } from './constants.js';
import { getInputs, type Inputs } from './inputs.js';
import type * as Invalidation from './invalidation.js';
import { formatBytes, scanDirectory, type LocalFile } from './local.js';
import { buildPlan, keysNeedingDetails, type Plan, type PlannedWrite } from './plan.js';
import { listObjects, loadState, resolveDetails, saveState, type LoadedState, type ObjectDetails, type RemoteObject } from './remote.js';
import { applyDeletes, applyWrites, failureWithState, newProgress, type SyncProgress } from './sync.js';

/** Largest uploads listed in the step summary. */
const LARGEST_SHOWN = 10;
/** Up to this many writes, the state reads them back with HEAD rather than listing the whole prefix again. */
const HEAD_BACK_LIMIT = 100;
/** Invalidation paths listed in the log and summary before "and N more". */
const PATHS_SHOWN = 30;

type Cdn = typeof Invalidation;

/** Log lines quote object keys and file names, which may hold anything S3 or a file system allows: one inert line each. */
const info = (line: string): void => core.info(safeLogText(line));

interface InvalidationOutcome {
  paths: string[];
  id?: string;
  status?: string;
  /** Why nothing was invalidated. */
  skipped?: string;
}

export async function run(): Promise<void> {
  const inputs = getInputs();
  const target = `s3://${inputs.bucket}/${inputs.prefix}`;
  // Standard retries, not the kit's adaptive mode: S3 answers SlowDown per prefix partition, and adaptive mode's
  // client-side rate limiter then slows every request of the sync (a 503 on one PUT in five dropped a sync to
  // about 2 PUTs/s). Standard mode backs off only the throttled request; the others keep going.
  const s3 = new S3Client({ ...clientConfig({ action: ACTION_NAME, service: 's3', region: inputs.region }), retryMode: 'standard' });
  const wantsInvalidation = inputs.distributionId !== undefined && inputs.invalidate !== 'none';

  // CloudFront is only loaded when it is used.
  const cdn: Cdn | undefined = wantsInvalidation ? await import('./invalidation.js') : undefined;
  const cloudfront = wantsInvalidation
    ? createClient((await import('@aws-sdk/client-cloudfront')).CloudFrontClient, { action: ACTION_NAME, service: 'cloudfront', region: inputs.region })
    : undefined;

  // Reading the directory, listing the bucket and checking the distribution are independent and read-only:
  // they run at once, and a wrong bucket or distribution id fails the step before anything is changed.
  const source = path.relative(process.cwd(), inputs.source) || '.';
  const { files, plan, details, headRequests, distribution, legacyKey } = await phase(`Comparing ${source} with ${target}`, async () => {
    const [scan, listing, found] = await Promise.all([
      scanDirectory(inputs.source, { exclude: inputs.exclude, parallel: inputs.parallel }),
      listWithState(s3, inputs),
      cdn && cloudfront && inputs.distributionId ? cdn.describeDistribution(cloudfront, inputs.distributionId, inputs.bucket) : undefined,
    ]);
    const bytes = scan.files.reduce((total, file) => total + file.size, 0);
    info(`${scan.files.length} local files, ${formatBytes(bytes)}${scan.excluded > 0 ? `; ${scan.excluded} excluded` : ''}`);
    for (const link of scan.skippedLinks) {
      core.warning(`skipped the symbolic link ${safeLogText(link)} in ${source}: it leads outside the source directory (or back into a folder already read), and only files inside it are published`);
    }
    // A state object an earlier version kept among the site's files is removed (unless the site has a file of that name).
    if (listing.legacyKey && scan.files.some((file) => inputs.prefix + file.relativePath === listing.legacyKey)) listing.legacyKey = undefined;
    if (found && inputs.state) checkStateNotServed(inputs, found.originPath);
    if (scan.files.length === 0 && inputs.delete) {
      throw new ActionFailure(`the source directory ${source} has no files to sync${scan.excluded > 0 ? ` (all ${scan.excluded} are excluded)` : ''}; refusing to empty ${target} with "delete" on`);
    }
    if (found) {
      if (!found.servesBucket) core.warning(`distribution ${inputs.distributionId} has no origin for bucket ${inputs.bucket}; invalidation paths assume the bucket is served at the root`);
      info(`${found.domainName} serves s3://${inputs.bucket}/${found.originPath ? `${found.originPath}/` : ''} at /`);
    }
    return { files: scan.files, ...(await comparePhase(s3, inputs, scan.files, listing)), distribution: found, legacyKey: listing.legacyKey };
  });

  const deletions = inputs.delete ? [...plan.orphans] : [];
  if (deletions.length > inputs.maxDeletes) {
    const examples = deletions.slice(0, 5).join(', ');
    throw new ActionFailure(
      `this sync would delete ${deletions.length} objects from ${target}, more than "max-deletes" allows (${inputs.maxDeletes}); nothing was changed. ` +
        `First of them: ${examples}. Check "source" and "prefix"; if the deletes are intended, raise "max-deletes".`,
    );
  }
  if (!inputs.delete && plan.orphans.length > 0) info(`${plan.orphans.length} objects exist only in the bucket and are kept ("delete" is false)`);
  if (legacyKey) {
    info(`removing s3://${inputs.bucket}/${legacyKey}, the sync state earlier versions kept among the site's files (it was served with the site)`);
    deletions.push(legacyKey);
  }

  const invalidation: InvalidationOutcome = cdn && distribution ? { paths: planInvalidation(cdn, inputs, plan, deletions, files, distribution.originPath) } : { paths: [], skipped: inputs.distributionId ? 'invalidate is none' : 'no distribution-id' };
  if (cdn && invalidation.paths.length === 0) invalidation.skipped = 'nothing cached changed';

  if (inputs.dryRun) {
    await reportDryRun(inputs, plan, deletions, invalidation);
    return;
  }

  const progress = newProgress(plan.writes, deletions.length);
  const context = { s3, bucket: inputs.bucket, partLimit: pLimit(inputs.parallel), parallel: inputs.parallel, log: info };
  const assets = plan.writes.filter((write) => !write.entryPoint);
  const entryPoints = plan.writes.filter((write) => write.entryPoint);
  try {
    if (assets.length > 0) await phase(`Writing ${assets.length} assets`, () => applyWrites(context, assets, progress));
    if (entryPoints.length > 0) await phase(`Writing ${entryPoints.length} entry points`, () => applyWrites(context, entryPoints, progress));
    if (deletions.length > 0) await phase(`Deleting ${deletions.length} objects`, () => applyDeletes(s3, inputs.bucket, deletions, progress, info));
  } catch (error) {
    setOutputs(plan, progress, invalidation);
    invalidation.skipped = 'the sync failed before it';
    await summarise(inputs, plan, progress, invalidation);
    throw failureWithState(error, progress);
  }
  setOutputs(plan, progress, invalidation);

  // Deletes drop out of the state too; HEADs made this time are saved so the next run need not repeat them.
  if (inputs.state && plan.writes.length + deletions.length + headRequests > 0) await recordState(s3, inputs, plan, details);

  let invalidationError: unknown;
  if (cdn && cloudfront && inputs.distributionId && invalidation.paths.length > 0) {
    try {
      await phase(`Invalidating ${invalidation.paths.length} paths on ${inputs.distributionId}`, () => invalidate(cdn, cloudfront, inputs, invalidation));
    } catch (error) {
      invalidationError = error;
    }
    setOutputs(plan, progress, invalidation);
  }
  await summarise(inputs, plan, progress, invalidation);
  if (invalidationError !== undefined) throw invalidationError;
}

interface Listing {
  remote: Map<string, RemoteObject>;
  state: Map<string, ObjectDetails>;
  /** The state object of an earlier version, found under the prefix: its records are used once, then it is deleted. */
  legacyKey: string | undefined;
}

/** The listing and the state, fetched side by side (a missing state object is an empty state). */
async function listWithState(s3: S3Client, inputs: Inputs): Promise<Listing> {
  const location = inputs.state;
  const [remote, loaded]: [Map<string, RemoteObject>, LoadedState] = await Promise.all([
    listObjects(s3, inputs.bucket, inputs.prefix),
    location ? loadState(s3, location.bucket, location.key) : ({ details: new Map() } satisfies LoadedState),
  ]);
  // A state that exists but cannot be read costs HEAD requests, never a wrong sync.
  if (loaded.problem) core.warning(`${loaded.problem}; comparing every object with HEAD instead`);
  const legacyKey = inputs.prefix + LEGACY_STATE_NAME;
  if (!remote.has(legacyKey)) return { remote, state: loaded.details, legacyKey: undefined };
  const legacy = await loadState(s3, inputs.bucket, legacyKey);
  const state = new Map([...legacy.details, ...loaded.details]);
  return { remote, state, legacyKey };
}

/** The state must not be served by the distribution either: refused before anything changes. */
function checkStateNotServed(inputs: Inputs, originPath: string): void {
  const { bucket, key } = inputs.state as { bucket: string; key: string };
  const served = originPath ? `${originPath.replace(/^\/+|\/+$/g, '')}/` : '';
  if (bucket === inputs.bucket && key.startsWith(served)) {
    throw new ConfigurationError(
      `input "${Input.State}": s3://${bucket}/${key} would be served by distribution ${inputs.distributionId} (it serves s3://${bucket}/${served}); keep the state in another bucket or outside what the distribution serves`,
    );
  }
}

async function comparePhase(
  s3: S3Client,
  inputs: Inputs,
  files: LocalFile[],
  { remote, state, legacyKey }: Listing,
): Promise<{ plan: Plan; details: Map<string, ObjectDetails>; headRequests: number }> {
  const needed = keysNeedingDetails(files, remote, inputs.prefix);
  const { details, headRequests } = await resolveDetails(s3, inputs.bucket, needed, state, inputs.parallel);
  const plan = buildPlan(files, remote, details, {
    prefix: inputs.prefix,
    cacheControl: inputs.cacheControl,
    contentType: inputs.contentType,
    entryPoints: inputs.entryPoints,
    exclude: inputs.exclude,
    stateKey: legacyKey,
  });
  const objects = [...remote.keys()].filter((key) => key !== legacyKey).length;
  info(`${objects} objects under ${`s3://${inputs.bucket}/${inputs.prefix}`}; headers of ${needed.length - headRequests} known from the sync state, ${headRequests} read with HEAD`);
  const count = (kind: PlannedWrite['kind']): number => plan.writes.filter((write) => write.kind === kind).length;
  info(`plan: ${count('new')} new, ${count('changed')} changed, ${count('metadata')} with new headers, ${plan.unchanged.length} unchanged, ${plan.orphans.length} only in the bucket`);
  return { plan, details, headRequests };
}

function planInvalidation(cdn: Cdn, inputs: Inputs, plan: Plan, deletions: readonly string[], files: readonly LocalFile[], originPath: string): string[] {
  if (inputs.invalidate === 'all') return plan.writes.length + deletions.length > 0 ? ['/*'] : [];
  // New objects were never cached; changed, relabelled and deleted ones may be.
  const changedKeys = [...plan.writes.filter((write) => write.kind !== 'new').map((write) => write.key), ...deletions];
  const changed = changedKeys.flatMap((key) => cdn.cachedPathsOf(key, originPath));
  const unserved = changedKeys.filter((key) => cdn.urlPathOf(key, originPath) === undefined);
  if (unserved.length > 0) {
    core.warning(`${unserved.length} changed objects (e.g. ${unserved[0]}) are outside the origin path /${originPath} of distribution ${inputs.distributionId}, so they are not invalidated; check "prefix"`);
  }
  const served = [...files.map((file) => inputs.prefix + file.relativePath), ...plan.orphans].flatMap((key) => cdn.cachedPathsOf(key, originPath));
  return cdn.invalidationPaths(changed, served, inputs.maxInvalidationPaths);
}

async function invalidate(cdn: Cdn, cloudfront: CloudFrontClient, inputs: Inputs, invalidation: InvalidationOutcome): Promise<void> {
  const distributionId = inputs.distributionId as string;
  for (const shown of invalidation.paths.slice(0, PATHS_SHOWN)) info(`  ${shown}`);
  if (invalidation.paths.length > PATHS_SHOWN) info(`  ... and ${invalidation.paths.length - PATHS_SHOWN} more`);
  let created;
  try {
    created = await cdn.createInvalidation(cloudfront, distributionId, invalidation.paths);
  } catch (error) {
    throw new ActionFailure(
      `the bucket is in sync, but ${describeAwsError(`creating the invalidation on ${distributionId}`, error)}; CloudFront serves cached copies of the ${invalidation.paths.length} changed paths until they expire. Re-run the action (it will find nothing to upload) or invalidate them by hand.`,
    );
  }
  invalidation.id = created.id;
  invalidation.status = created.status;
  info(`invalidation ${created.id} created (${created.status})`);
  if (!inputs.waitForInvalidation) return;
  const started = Date.now();
  try {
    const finished = await cdn.waitForInvalidation(cloudfront, distributionId, created, inputs.invalidationTimeout, info);
    invalidation.status = finished.status;
    info(`invalidation ${created.id} completed in ${formatDuration(Date.now() - started)}`);
  } catch (error) {
    const reason = error instanceof WaitTimeoutError ? error.message : describeAwsError(`checking invalidation ${created.id}`, error);
    throw new ActionFailure(`the bucket is in sync and invalidation ${created.id} was created, but ${reason}; CloudFront keeps working on it`);
  }
}

/** The state records after a successful sync: kept details for untouched objects, a fresh listing for written ones. */
async function recordState(s3: S3Client, inputs: Inputs, plan: Plan, details: Map<string, ObjectDetails>): Promise<void> {
  const { bucket: stateBucket, key: stateKey } = inputs.state as { bucket: string; key: string };
  try {
    const records: ObjectDetails[] = [];
    for (const file of plan.unchanged) {
      const known = details.get(inputs.prefix + file.relativePath);
      if (known) records.push(known);
    }
    // A write's LastModified is not in S3's answer to it: read it back, by HEAD for a few writes, by listing for many.
    if (plan.writes.length > 0 && plan.writes.length <= HEAD_BACK_LIMIT) {
      const { details: written } = await resolveDetails(s3, inputs.bucket, plan.writes.map((write) => ({ key: write.key, etag: '', size: 0, lastModified: 0 })), new Map(), inputs.parallel);
      records.push(...written.values());
    } else if (plan.writes.length > 0) {
      const listed = await listObjects(s3, inputs.bucket, inputs.prefix);
      for (const write of plan.writes) {
        const object = listed.get(write.key);
        if (object && object.size === write.file.size) records.push({ ...object, md5: write.file.md5, cacheControl: write.cacheControl, contentType: write.contentType });
      }
    }
    await saveState(s3, stateBucket, stateKey, records);
    info(`recorded the headers of ${records.length} objects in s3://${stateBucket}/${stateKey}`);
  } catch (error) {
    // The state only saves HEAD requests next time: losing it never makes a sync wrong.
    core.warning(`${describeAwsError(`saving the sync state s3://${stateBucket}/${stateKey}`, error)}; the next run reads headers with HEAD`);
  }
}

function setOutputs(plan: Plan, progress: SyncProgress, invalidation: InvalidationOutcome): void {
  core.setOutput(Output.Uploaded, progress.uploaded);
  core.setOutput(Output.UpdatedMetadata, progress.updatedMetadata);
  core.setOutput(Output.Deleted, progress.deleted);
  core.setOutput(Output.Unchanged, plan.unchanged.length);
  core.setOutput(Output.BytesUploaded, progress.bytesUploaded);
  core.setOutput(Output.InvalidationId, invalidation.id ?? '');
  core.setOutput(Output.InvalidatedPaths, JSON.stringify(invalidation.id ? invalidation.paths : []));
}

async function reportDryRun(inputs: Inputs, plan: Plan, deletions: readonly string[], invalidation: InvalidationOutcome): Promise<void> {
  const target = `s3://${inputs.bucket}/${inputs.prefix}`;
  info(`Dry run: nothing is changed in ${target}${inputs.distributionId ? ` or on ${inputs.distributionId}` : ''}. The plan:`);
  for (const write of plan.writes) {
    const what = write.kind === 'metadata' ? `update headers of ${write.key} (${write.drift?.join('; ')})` : `upload ${write.key} (${formatBytes(write.file.size)}, ${write.kind})`;
    info(`  would ${what}${write.entryPoint ? ' [entry point]' : ''}`);
  }
  for (const key of deletions) info(`  would delete ${key}`);
  if (invalidation.paths.length > 0) info(`  would invalidate ${invalidation.paths.join(' ')}`);
  const uploads = plan.writes.filter((write) => write.kind !== 'metadata');
  const progress: SyncProgress = {
    ...newProgress(plan.writes, deletions.length),
    uploaded: uploads.length,
    updatedMetadata: plan.writes.length - uploads.length,
    deleted: deletions.length,
    bytesUploaded: uploads.reduce((total, write) => total + write.file.size, 0),
    completed: uploads.map((write) => ({ write, bytes: write.file.size })),
  };
  setOutputs(plan, progress, invalidation);
  // A dry run has no invalidation id, but the next step may want the paths it would invalidate.
  core.setOutput(Output.InvalidatedPaths, JSON.stringify(invalidation.paths));
  await summarise(inputs, plan, progress, invalidation);
}

async function summarise(inputs: Inputs, plan: Plan, progress: SyncProgress, invalidation: InvalidationOutcome): Promise<void> {
  const dry = inputs.dryRun;
  const count = (kind: PlannedWrite['kind']): number => progress.completed.filter(({ write }) => write.kind === kind).length;
  // The prefix may hold any character S3 allows; the heading is raw HTML.
  core.summary.addHeading(`${dry ? 'Dry run: ' : ''}S3 sync to ${escapeHtml(`s3://${inputs.bucket}/${inputs.prefix}`)}`, 3);
  addTable(
    ['Result', dry ? 'Would be' : 'Objects'],
    [
      ['Uploaded (new)', count('new')],
      ['Uploaded (changed)', count('changed')],
      ['Headers updated in place', count('metadata')],
      ['Deleted', progress.deleted],
      ['Unchanged', plan.unchanged.length],
      ...(inputs.delete ? [] : ([['Only in the bucket (kept)', plan.orphans.length]] as [string, number][])),
      ['Bytes uploaded', formatBytes(progress.bytesUploaded)],
    ],
  );
  const largest = progress.completed.filter(({ write }) => write.kind !== 'metadata').sort((a, b) => b.bytes - a.bytes).slice(0, LARGEST_SHOWN);
  if (largest.length > 0) {
    core.summary.addHeading('Largest uploads', 4);
    addTable(['Object', 'Size', 'Why'], largest.map(({ write, bytes }) => [code(write.key), formatBytes(bytes), write.kind]));
  }
  core.summary.addHeading('CloudFront', 4);
  if (invalidation.paths.length === 0 || (!dry && !invalidation.id)) {
    core.summary.addRaw(`No invalidation: ${invalidation.skipped ?? 'it was not created'}.`, true);
  } else {
    const shown = invalidation.paths.slice(0, PATHS_SHOWN);
    addTable(
      ['Distribution', 'Invalidation', 'Status', 'Paths'],
      [[code(inputs.distributionId ?? ''), dry ? 'dry run' : code(invalidation.id ?? ''), invalidation.status ?? (dry ? '' : 'InProgress'), { html: shown.map((item) => code(item).html).join(' ') + (invalidation.paths.length > shown.length ? ` and ${invalidation.paths.length - shown.length} more` : '') }]],
    );
  }
  await writeSummary();
}
