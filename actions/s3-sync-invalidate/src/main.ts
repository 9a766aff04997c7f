import path from 'node:path';
import * as core from '@actions/core';
import { describeAwsError } from '@deploy-suite/aws';
import { ActionFailure, ConfigurationError, coreLogger, formatDuration, phase, WaitTimeoutError, writeSummary } from '@deploy-suite/kit';
import pLimit from 'p-limit';
import type { DistributionOrigin } from './cloudfront.js';
import { connect, type Clients } from './clients.js';
import { compareSite, type Comparison } from './compare.js';
import { Input } from './constants.js';
import { getInputs, type Inputs } from './inputs.js';
import { planInvalidation } from './invalidation.js';
import { formatBytes } from './local.js';
import { recordSync } from './record.js';
import { dryRunLines, dryRunProgress, outputsOf, PATHS_SHOWN, summaryHtml, type InvalidationOutcome } from './report.js';
import { applyDeletes, applyWrites, failureWithState, newProgress, type SyncProgress } from './sync.js';

/** Log lines quote object keys and file names, which may hold anything S3 or a file system allows: one inert line each. */
const log = coreLogger();

/**
 * Compare the directory with the bucket by content (and the distribution, before anything changes), refuse
 * an unexpected mass delete, write assets then entry points then deletes, leave a stamp for the next run,
 * and invalidate exactly what CloudFront may have cached.
 */
export async function run(): Promise<void> {
  const inputs = getInputs();
  const { clients, comparison, distribution } = await phase(`Comparing ${sourceName(inputs)} with ${targetOf(inputs)}`, () => compare(inputs));
  const deletions = plannedDeletions(inputs, comparison);
  const invalidation = invalidationFor(inputs, comparison, deletions, distribution);
  if (inputs.dryRun) return reportDryRun(inputs, comparison, deletions, invalidation);
  const progress = await applySync(clients, inputs, comparison, deletions, invalidation);
  await recordSync(clients.s3, inputs, comparison, { written: progress.completed.map(({ write }) => write.key), deleted: deletions }, log);
  const failure = await invalidateChanged(clients, inputs, invalidation);
  await report(inputs, comparison, progress, invalidation);
  if (failure) throw failure;
}

const targetOf = (inputs: Inputs): string => `s3://${inputs.bucket}/${inputs.prefix}`;
const sourceName = (inputs: Inputs): string => path.relative(process.cwd(), inputs.source) || '.';

/**
 * Reads the directory, the bucket and the distribution side by side; all read-only, so a wrong bucket or
 * distribution fails before any change. The AWS clients are made here, inside the phase: the log shows the
 * phase while the SDK loads.
 */
async function compare(inputs: Inputs): Promise<{ clients: Clients; comparison: Comparison; distribution: DistributionOrigin | undefined }> {
  const clients = await connect(inputs);
  const [comparison, distribution] = await Promise.all([
    compareSite(clients.s3, inputs, log),
    clients.cloudfront && inputs.distributionId ? (await import('./cloudfront.js')).describeDistribution(clients.cloudfront, inputs.distributionId, inputs.bucket) : undefined,
  ]);
  const bytes = comparison.files.reduce((total, file) => total + file.size, 0);
  log.info(`${comparison.files.length} local files, ${formatBytes(bytes)}${comparison.excluded > 0 ? `; ${comparison.excluded} excluded` : ''}`);
  for (const link of comparison.skippedLinks) {
    log.warning(`skipped the symbolic link ${link} in ${sourceName(inputs)}: it leads outside the source directory (or back into a folder already read), and only files inside it are published`);
  }
  if (distribution && inputs.state) checkStateNotServed(inputs, distribution.originPath);
  if (comparison.files.length === 0 && inputs.delete) {
    const excluded = comparison.excluded > 0 ? ` (all ${comparison.excluded} are excluded)` : '';
    throw new ActionFailure(`the source directory ${sourceName(inputs)} has no files to sync${excluded}; refusing to empty ${targetOf(inputs)} with "delete" on`);
  }
  if (distribution) {
    if (!distribution.servesBucket) log.warning(`distribution ${inputs.distributionId} has no origin for bucket ${inputs.bucket}; invalidation paths assume the bucket is served at the root`);
    log.info(`${distribution.domainName} serves s3://${inputs.bucket}/${distribution.originPath ? `${distribution.originPath}/` : ''} at /`);
  }
  logComparison(inputs, comparison);
  return { clients, comparison, distribution };
}

function logComparison(inputs: Inputs, { remote, known, plan, legacyKey }: Comparison): void {
  const objects = remote.size - (legacyKey ? 1 : 0);
  log.info(`${objects} objects under ${targetOf(inputs)}; headers of ${known.state} known from the sync state, ${known.stamp} from the last sync's stamp, ${known.head} read with HEAD`);
  const count = (kind: string): number => plan.writes.filter((write) => write.kind === kind).length;
  log.info(`plan: ${count('new')} new, ${count('changed')} changed, ${count('metadata')} with new headers, ${plan.unchanged.length} unchanged, ${plan.orphans.length} only in the bucket`);
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

/** The objects to delete, within "max-deletes", and the state object an earlier version left among the site's files. */
function plannedDeletions(inputs: Inputs, { plan, legacyKey }: Comparison): string[] {
  const deletions = inputs.delete ? [...plan.orphans] : [];
  if (deletions.length > inputs.maxDeletes) {
    throw new ActionFailure(
      `this sync would delete ${deletions.length} objects from ${targetOf(inputs)}, more than "max-deletes" allows (${inputs.maxDeletes}); nothing was changed. ` +
        `First of them: ${deletions.slice(0, 5).join(', ')}. Check "source" and "prefix"; if the deletes are intended, raise "max-deletes".`,
    );
  }
  if (!inputs.delete && plan.orphans.length > 0) log.info(`${plan.orphans.length} objects exist only in the bucket and are kept ("delete" is false)`);
  if (legacyKey) {
    log.info(`removing s3://${inputs.bucket}/${legacyKey}, the sync state earlier versions kept among the site's files (it was served with the site)`);
    deletions.push(legacyKey);
  }
  return deletions;
}

function invalidationFor(inputs: Inputs, { plan, files }: Comparison, deletions: readonly string[], distribution: DistributionOrigin | undefined): InvalidationOutcome {
  if (!distribution || inputs.invalidate === 'none') return { paths: [], skipped: inputs.distributionId ? 'invalidate is none' : 'no distribution-id' };
  const sync = {
    // New objects were never cached; changed, relabelled and deleted ones may be.
    changedKeys: [...plan.writes.filter((write) => write.kind !== 'new').map((write) => write.key), ...deletions],
    newKeys: plan.writes.filter((write) => write.kind === 'new').map((write) => write.key),
    servedKeys: [...files.map((file) => inputs.prefix + file.relativePath), ...plan.orphans],
  };
  const { paths, unserved } = planInvalidation(inputs.invalidate, sync, distribution.originPath, inputs.maxInvalidationPaths);
  if (unserved.length > 0) {
    log.warning(`${unserved.length} changed objects (e.g. ${unserved[0]}) are outside the origin path /${distribution.originPath} of distribution ${inputs.distributionId}, so they are not invalidated; check "prefix"`);
  }
  return paths.length > 0 ? { paths } : { paths, skipped: 'nothing cached changed' };
}

async function reportDryRun(inputs: Inputs, comparison: Comparison, deletions: readonly string[], invalidation: InvalidationOutcome): Promise<void> {
  for (const line of dryRunLines(reportContext(inputs), comparison.plan, deletions, invalidation)) log.info(line);
  await report(inputs, comparison, dryRunProgress(comparison.plan, deletions.length), invalidation);
}

/** Assets first, then the entry points that reference them, then deletes; a failure says exactly where the bucket was left. */
async function applySync(clients: Clients, inputs: Inputs, comparison: Comparison, deletions: readonly string[], invalidation: InvalidationOutcome): Promise<SyncProgress> {
  const { plan } = comparison;
  const progress = newProgress(plan.writes, deletions.length);
  const context = { s3: clients.s3, bucket: inputs.bucket, partLimit: pLimit(inputs.parallel), parallel: inputs.parallel, log };
  const assets = plan.writes.filter((write) => !write.entryPoint);
  const entryPoints = plan.writes.filter((write) => write.entryPoint);
  try {
    if (assets.length > 0) await phase(`Writing ${assets.length} assets`, () => applyWrites(context, assets, progress));
    if (entryPoints.length > 0) await phase(`Writing ${entryPoints.length} entry points`, () => applyWrites(context, entryPoints, progress));
    if (deletions.length > 0) await phase(`Deleting ${deletions.length} objects`, () => applyDeletes(clients.s3, inputs.bucket, deletions, progress, log));
  } catch (error) {
    invalidation.skipped = 'the sync failed before it';
    await report(inputs, comparison, progress, invalidation);
    throw failureWithState(error, progress);
  }
  return progress;
}

/** Creates the invalidation and waits for it; a failure is returned (the summary is written first), never thrown. */
async function invalidateChanged(clients: Clients, inputs: Inputs, invalidation: InvalidationOutcome): Promise<ActionFailure | undefined> {
  if (!clients.cloudfront || !inputs.distributionId || invalidation.paths.length === 0) return undefined;
  const { cloudfront, distributionId } = { cloudfront: clients.cloudfront, distributionId: inputs.distributionId };
  const cdn = await import('./cloudfront.js');
  return phase(`Invalidating ${invalidation.paths.length} paths on ${distributionId}`, async () => {
    for (const shown of invalidation.paths.slice(0, PATHS_SHOWN)) log.info(`  ${shown}`);
    if (invalidation.paths.length > PATHS_SHOWN) log.info(`  ... and ${invalidation.paths.length - PATHS_SHOWN} more`);
    let created;
    try {
      created = await cdn.createInvalidation(cloudfront, distributionId, invalidation.paths);
    } catch (error) {
      return new ActionFailure(
        `the bucket is in sync, but ${(error as Error).message}; CloudFront serves cached copies of the ${invalidation.paths.length} changed paths until they expire. Re-run the action (it will find nothing to upload) or invalidate them by hand.`,
      );
    }
    Object.assign(invalidation, { id: created.id, status: created.status });
    log.info(`invalidation ${created.id} created (${created.status})`);
    if (!inputs.waitForInvalidation) return undefined;
    const started = Date.now();
    try {
      invalidation.status = (await cdn.waitForInvalidation(cloudfront, distributionId, created, inputs.invalidationTimeout, log)).status;
      log.info(`invalidation ${created.id} completed in ${formatDuration(Date.now() - started)}`);
      return undefined;
    } catch (error) {
      const reason = error instanceof WaitTimeoutError || error instanceof ActionFailure ? error.message : describeAwsError(`checking invalidation ${created.id}`, error);
      return new ActionFailure(`the bucket is in sync and invalidation ${created.id} was created, but ${reason}; CloudFront keeps working on it`);
    }
  });
}

const reportContext = (inputs: Inputs) => ({ target: targetOf(inputs), dryRun: inputs.dryRun, delete: inputs.delete, distributionId: inputs.distributionId });

/** Outputs and the step summary. */
async function report(inputs: Inputs, { plan }: Comparison, progress: SyncProgress, invalidation: InvalidationOutcome): Promise<void> {
  for (const [name, value] of Object.entries(outputsOf(plan, progress, invalidation, inputs.dryRun))) core.setOutput(name, value);
  core.summary.addRaw(summaryHtml(reportContext(inputs), plan, progress, invalidation));
  await writeSummary();
}
