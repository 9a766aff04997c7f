/**
 * The history table: one row per applied migration (version, name, checksum,
 * when, how long, from which commit and run). A migration's row is written in
 * the migration's own transaction, so the two never disagree.
 */
import { ActionFailure, describeError } from '@deploy-suite/kit';
import type pg from 'pg';
import { escapeIdentifier } from 'pg';
import type { TableName } from './parse.js';
import type { AppliedMigration } from './plan.js';

export function qualifiedName(table: TableName): string {
  return table.schema ? `${escapeIdentifier(table.schema)}.${escapeIdentifier(table.table)}` : escapeIdentifier(table.table);
}

export function displayName(table: TableName): string {
  return table.schema ? `${table.schema}.${table.table}` : table.table;
}

const COLUMNS = ['version', 'name', 'checksum', 'applied_at', 'duration_ms', 'commit_sha', 'applied_by'];

/** A refusal from the server (no CREATE on the schema, no SELECT on the table) as one explained line. */
async function onHistory<T>(table: TableName, doing: string, task: () => Promise<T>): Promise<T> {
  try {
    return await task();
  } catch (error) {
    if (error instanceof ActionFailure) throw error;
    const denied = (error as { code?: string }).code === '42501' ? '; the user in database-url needs the rights to create and write that table (or choose another with "history-table")' : '';
    throw new ActionFailure(`could not ${doing} the history table ${displayName(table)}: ${describeError(error)}${denied}`);
  }
}

export function historyExists(client: pg.Client, table: TableName): Promise<boolean> {
  return onHistory(table, 'look for', async () => {
    const result = await client.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [qualifiedName(table)]);
    return result.rows[0]?.exists === true;
  });
}

/** Creates the table when missing; an existing table of another tool's shape is an error, not a guess. */
export function ensureHistory(client: pg.Client, table: TableName): Promise<void> {
  return onHistory(table, 'create', () => createHistory(client, table));
}

async function createHistory(client: pg.Client, table: TableName): Promise<void> {
  if (table.schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${escapeIdentifier(table.schema)}`);
  await client.query(`CREATE TABLE IF NOT EXISTS ${qualifiedName(table)} (
    version bigint PRIMARY KEY,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    duration_ms integer NOT NULL,
    commit_sha text,
    applied_by text
  )`);
  const columns = await client.query<{ column_name: string }>(
    `SELECT attname AS column_name FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped`,
    [qualifiedName(table)],
  );
  const present = new Set(columns.rows.map((row) => row.column_name));
  const absent = COLUMNS.filter((column) => !present.has(column));
  if (absent.length > 0) {
    throw new ActionFailure(
      `the table ${displayName(table)} exists but is not a db-migrate history table (no column ${absent.join(', ')}); ` +
        'another migration tool may own it: choose another name with "history-table"',
    );
  }
}

export function readHistory(client: pg.Client, table: TableName): Promise<AppliedMigration[]> {
  return onHistory(table, 'read', () => selectHistory(client, table));
}

async function selectHistory(client: pg.Client, table: TableName): Promise<AppliedMigration[]> {
  const result = await client.query<{ version: string; name: string; checksum: string; applied_at: Date; duration_ms: number; commit_sha: string | null }>(
    `SELECT version::text AS version, name, checksum, applied_at, duration_ms, commit_sha FROM ${qualifiedName(table)} ORDER BY version`,
  );
  return result.rows.map((row) => ({
    version: BigInt(row.version),
    name: row.name,
    checksum: row.checksum,
    appliedAt: row.applied_at,
    durationMs: row.duration_ms,
    commitSha: row.commit_sha,
  }));
}

export interface HistoryRow {
  version: bigint;
  name: string;
  checksum: string;
  durationMs: number;
  commitSha: string;
  appliedBy: string;
}

export async function recordApplied(client: pg.Client, table: TableName, row: HistoryRow): Promise<void> {
  await client.query(
    `INSERT INTO ${qualifiedName(table)} (version, name, checksum, duration_ms, commit_sha, applied_by) VALUES ($1, $2, $3, $4, $5, $6)`,
    [row.version.toString(), row.name, row.checksum, Math.round(row.durationMs), row.commitSha || null, row.appliedBy],
  );
}

export async function recordReverted(client: pg.Client, table: TableName, version: bigint): Promise<void> {
  await client.query(`DELETE FROM ${qualifiedName(table)} WHERE version = $1`, [version.toString()]);
}
