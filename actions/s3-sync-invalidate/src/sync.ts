/**
 * Carries out a plan in the order that never serves a broken page: every asset
 * first (new and changed files, header copies), then the entry points that
 * reference them, then deletes. It keeps an exact account of what it did, so a
 * failure can say precisely which state the bucket was left in.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { ActionFailure, describeError } from '@deploy-suite/kit';
import pLimit from 'p-limit';
import { formatBytes } from './local.js';
import type { PlannedWrite } from './plan.js';
import type { Logger } from '@deploy-suite/kit';
import { applyWrite, deleteKeys, type TransferContext } from './transfer.js';

export interface SyncProgress {
  assetsDone: number;
  assetsTotal: number;
  entryPointsDone: number;
  entryPointsTotal: number;
  deleted: number;
  deletesTotal: number;
  uploaded: number;
  updatedMetadata: number;
  bytesUploaded: number;
  /** Writes that completed, with the bytes each sent (for the summary's largest uploads). */
  completed: { write: PlannedWrite; bytes: number }[];
}

export function newProgress(writes: readonly PlannedWrite[], deletes: number): SyncProgress {
  const entryPointsTotal = writes.filter((write) => write.entryPoint).length;
  return {
    assetsDone: 0,
    assetsTotal: writes.length - entryPointsTotal,
    entryPointsDone: 0,
    entryPointsTotal,
    deleted: 0,
    deletesTotal: deletes,
    uploaded: 0,
    updatedMetadata: 0,
    bytesUploaded: 0,
    completed: [],
  };
}

/** One sentence on where a failed sync left the bucket. */
export function describeState(progress: SyncProgress): string {
  const { assetsDone, assetsTotal, entryPointsDone, entryPointsTotal, deleted, deletesTotal } = progress;
  const parts = [
    `${assetsDone} of ${assetsTotal} asset writes done`,
    `${entryPointsDone} of ${entryPointsTotal} entry-point writes done`,
    deletesTotal > 0 ? `${deleted} of ${deletesTotal} deletes done` : 'nothing deleted',
    'no invalidation created',
  ];
  const consequence =
    entryPointsDone === 0 && deleted === 0
      ? 'the entry points served are the previous ones, and every asset they reference is still in place'
      : 'part of the new version is live';
  return `Bucket state: ${parts.join(', ')}; ${consequence}. Re-running the action completes the sync.`;
}

export interface SyncContext extends TransferContext {
  parallel: number;
  log: Logger;
}

/** Applies writes with bounded concurrency; after the first failure no new write starts, and the ones in flight finish. */
export async function applyWrites(context: SyncContext, writes: readonly PlannedWrite[], progress: SyncProgress): Promise<void> {
  const limit = pLimit(context.parallel);
  let failure: unknown;
  let done = 0;
  const width = String(writes.length).length;
  await Promise.allSettled(
    writes.map((write) =>
      limit(async () => {
        if (failure !== undefined) return;
        try {
          const bytes = await applyWrite(context, write);
          done++;
          if (write.entryPoint) progress.entryPointsDone++;
          else progress.assetsDone++;
          if (write.kind === 'metadata') progress.updatedMetadata++;
          else progress.uploaded++;
          progress.bytesUploaded += bytes;
          progress.completed.push({ write, bytes });
          const what = write.kind === 'metadata' ? `updated headers of ${write.key} (${write.drift?.join('; ')})` : `uploaded ${write.key} (${formatBytes(bytes)}, ${write.kind})`;
          context.log.info(`[${String(done).padStart(width)}/${writes.length}] ${what}`);
        } catch (error) {
          // Queued writes see the failure and return at once (clearQueue would leave their promises unsettled).
          failure ??= error;
        }
      }),
    ),
  );
  if (failure !== undefined) throw failure;
}

export async function applyDeletes(s3: S3Client, bucket: string, keys: readonly string[], progress: SyncProgress, log: Logger): Promise<void> {
  for (const key of keys) log.info(`delete ${key}`);
  await deleteKeys(s3, bucket, keys, (deleted) => {
    progress.deleted = deleted;
  });
  log.info(`deleted ${progress.deleted} objects`);
}

/** Wraps a failure of the sync in one message that adds the state the bucket was left in. */
export function failureWithState(error: unknown, progress: SyncProgress): ActionFailure {
  return new ActionFailure(`${describeError(error).replace(/\.$/, '')}. ${describeState(progress)}`);
}
