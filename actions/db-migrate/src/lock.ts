/**
 * One run at a time per database: a session-level advisory lock held for the
 * whole run. It lives and dies with the session, so a crashed runner cannot
 * leave it behind. A run that finds it taken says who holds it and waits up to
 * lock-timeout.
 */
import { createHash } from 'node:crypto';
import { ActionFailure, formatDuration, waitUntil, WaitTimeoutError, type Logger } from '@deploy-suite/kit';
import type pg from 'pg';

/** A stable 64-bit key per history table: runs that share a history serialise. */
export function lockKey(historyTable: string): bigint {
  return createHash('sha256').update(`deploy-suite/db-migrate:${historyTable}`).digest().readBigInt64BE(0);
}

export interface LockOptions {
  timeoutMs: number;
  log: Logger;
  /** Between two progress lines while waiting. */
  progressIntervalMs?: number;
}

async function tryLock(client: pg.Client, key: bigint): Promise<boolean> {
  const result = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [key.toString()]);
  return result.rows[0]?.locked === true;
}

/** Who holds the lock, from pg_locks (a bigint key shows as classid = high half, objid = low half). */
export async function describeHolder(client: pg.Client, key: bigint): Promise<string> {
  const unsigned = BigInt.asUintN(64, key);
  const result = await client.query<{ pid: number; application_name: string | null; backend_start: Date | null; state: string | null }>(
    `SELECT a.pid, a.application_name, a.backend_start, a.state
       FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND l.classid = $1::bigint::oid AND l.objid = $2::bigint::oid
      LIMIT 1`,
    [(unsigned >> 32n).toString(), (unsigned & 0xffffffffn).toString()],
  );
  const holder = result.rows[0];
  if (!holder) return 'a session that just released it';
  // Without pg_read_all_stats, another user's session shows its pid but not always the rest.
  const application = holder.application_name ? ` (${holder.application_name})` : '';
  const since = holder.backend_start ? `, connected since ${holder.backend_start.toISOString()}` : '';
  return `server process ${holder.pid}${application}${since}${holder.state ? `, ${holder.state}` : ''}`;
}

export async function acquireLock(client: pg.Client, key: bigint, database: string, options: LockOptions): Promise<void> {
  if (await tryLock(client, key)) {
    options.log.info(`Holding the migration lock of ${database} for the whole run`);
    return;
  }
  let holder = await describeHolder(client, key);
  options.log.info(`Another run holds the migration lock of ${database}: ${holder}. Waiting up to ${formatDuration(options.timeoutMs)} (lock-timeout).`);
  try {
    await waitUntil(
      async () => {
        if (await tryLock(client, key)) return { done: true, value: undefined };
        holder = await describeHolder(client, key);
        return { done: false, status: `held by ${holder}` };
      },
      {
        description: `the migration lock of ${database}`,
        timeoutMs: options.timeoutMs,
        initialDelayMs: 100,
        maxDelayMs: 1_000,
        progressIntervalMs: options.progressIntervalMs ?? 15_000,
        progress: (line) => options.log.info(line),
      },
    );
  } catch (error) {
    if (!(error instanceof WaitTimeoutError)) throw error;
    throw new ActionFailure(
      `another run held the migration lock of ${database} for all of lock-timeout (${formatDuration(options.timeoutMs)}); nothing was run. ` +
        `Holder: ${holder}. Let that run finish and re-run, or raise lock-timeout; if no run is active the holder is a stuck session ` +
        `(pg_terminate_backend on its process id ends it)`,
    );
  }
  options.log.info(`Got the migration lock of ${database}; holding it for the whole run`);
}

export async function releaseLock(client: pg.Client, key: bigint): Promise<void> {
  await client.query('SELECT pg_advisory_unlock($1::bigint)', [key.toString()]);
}
