/**
 * Pure decisions: does the history match the files, and what would run.
 * Nothing here touches the database.
 */
import { ActionFailure, ConfigurationError } from '@deploy-suite/kit';
import type { Migration } from './migrations.js';

/** A row of the history table. */
export interface AppliedMigration {
  version: bigint;
  name: string;
  checksum: string;
  appliedAt: Date;
  durationMs: number;
  commitSha: string | null;
}

/**
 * Every applied migration must still be in the directory, unchanged: an
 * edited or deleted applied migration means the files no longer describe the
 * schema, and running anything on top of that is a guess.
 */
export function verifyHistory(migrations: readonly Migration[], applied: readonly AppliedMigration[], tableName: string): void {
  const byVersion = new Map(migrations.map((migration) => [migration.version, migration]));
  const edited: string[] = [];
  const missing: string[] = [];
  for (const row of applied) {
    const file = byVersion.get(row.version);
    if (!file) missing.push(`version ${row.version} (${row.name})`);
    else if (file.checksum !== row.checksum) edited.push(`${file.file} (applied ${row.appliedAt.toISOString()}${row.commitSha ? ` from ${row.commitSha.slice(0, 12)}` : ''})`);
  }
  const problems: string[] = [];
  if (edited.length > 0) {
    problems.push(
      `${edited.length} applied migration${edited.length === 1 ? ' was' : 's were'} edited since ${edited.length === 1 ? 'it was' : 'they were'} applied: ${edited.join(', ')}. ` +
        'Restore the applied contents and put the change in a new migration',
    );
  }
  if (missing.length > 0) {
    problems.push(
      `${missing.length} applied migration${missing.length === 1 ? ' is' : 's are'} missing from the directory: ${missing.join(', ')}. ` +
        'Restore the file (or check that "migrations" points at the right directory)',
    );
  }
  if (problems.length > 0) throw new ActionFailure(`the history in ${tableName} does not match the migration files; nothing was run. ${problems.join('. ')}`);
}

export interface UpPlan {
  /** What this run applies, in order. */
  toApply: Migration[];
  /** Not applied and left for later (beyond target). */
  deferred: Migration[];
}

/** The migrations to apply, up to and including `target` when given. */
export function planUp(migrations: readonly Migration[], applied: readonly AppliedMigration[], target: bigint | undefined, targetInput: string): UpPlan {
  const done = new Set(applied.map((row) => row.version));
  const current = currentVersion(applied);
  if (target !== undefined) {
    if (!migrations.some((migration) => migration.version === target)) {
      throw new ConfigurationError(`input "${targetInput}": no migration has version ${target} (versions: ${summarizeVersions(migrations)})`);
    }
    if (current !== undefined && target < current) {
      throw new ConfigurationError(`input "${targetInput}": version ${target} is below the current version ${current}; use "revert" to undo migrations`);
    }
  }
  const pending = migrations.filter((migration) => !done.has(migration.version));
  // A pending migration older than the newest applied one came from a branch merged late: applying it
  // silently would run it in an order no environment was tested with.
  const outOfOrder = current === undefined ? [] : pending.filter((migration) => migration.version < current);
  if (outOfOrder.length > 0) {
    throw new ActionFailure(
      `${outOfOrder.map((migration) => migration.file).join(', ')} ${outOfOrder.length === 1 ? 'is' : 'are'} not applied but older than the current version ${current}; ` +
        'nothing was run. Give the migration a version above the current one (rename the file)',
    );
  }
  const toApply = pending.filter((migration) => target === undefined || migration.version <= target);
  return { toApply, deferred: pending.filter((migration) => !toApply.includes(migration)) };
}

/** The last `count` applied migrations, newest first; every one must have a down file. */
export function planRevert(migrations: readonly Migration[], applied: readonly AppliedMigration[], count: number, revertInput: string): Migration[] {
  if (count > applied.length) {
    throw new ConfigurationError(`input "${revertInput}": asked to undo ${count} migration${count === 1 ? '' : 's'} but only ${applied.length} ${applied.length === 1 ? 'is' : 'are'} applied`);
  }
  const byVersion = new Map(migrations.map((migration) => [migration.version, migration]));
  const newestFirst = [...applied].sort((a, b) => (a.version > b.version ? -1 : 1)).slice(0, count);
  const plan = newestFirst.map((row) => byVersion.get(row.version) as Migration);
  const withoutDown = plan.filter((migration) => !migration.down);
  if (withoutDown.length > 0) {
    throw new ActionFailure(
      `cannot undo ${count} migration${count === 1 ? '' : 's'}: no down file for ${withoutDown.map((migration) => migration.file).join(', ')} ` +
        `(expected ${withoutDown.map((migration) => migration.file.replace(/\.sql$/i, '.down.sql')).join(', ')}); nothing was run`,
    );
  }
  return plan;
}

export function currentVersion(applied: readonly AppliedMigration[]): bigint | undefined {
  return applied.reduce<bigint | undefined>((max, row) => (max === undefined || row.version > max ? row.version : max), undefined);
}

function summarizeVersions(migrations: readonly Migration[]): string {
  if (migrations.length === 0) return 'none';
  const versions = migrations.map((migration) => String(migration.version));
  return versions.length <= 8 ? versions.join(', ') : `${versions.slice(0, 4).join(', ')}, …, ${versions.slice(-3).join(', ')}`;
}
