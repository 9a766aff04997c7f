/**
 * Runs migrations: each in its own transaction together with its history
 * row, so a failure leaves no trace of the failing migration and keeps the
 * earlier ones. `-- no-transaction` migrations run statement by statement
 * (CREATE INDEX CONCURRENTLY cannot run in a transaction).
 */
import { ActionFailure, describeError, formatDuration, type Logger } from '@deploy-suite/kit';
import type pg from 'pg';
import { recordApplied, recordReverted } from './history.js';
import { errorLine, splitStatements, type Migration, type SqlScript, type Statement } from './migrations.js';
import type { TableName } from './parse.js';

export interface StepResult {
  version: bigint;
  name: string;
  file: string;
  transactional: boolean;
  durationMs: number;
}

export interface RunContext {
  client: pg.Client;
  table: TableName;
  commitSha: string;
  appliedBy: string;
  statementTimeoutMs: number;
  log: Logger;
  /** A long migration prints that it is still running at this interval. */
  progressIntervalMs?: number;
}

export interface RunReport {
  done: StepResult[];
  /** Set when a migration failed: the others in `done` stay applied (or undone). */
  failure?: ActionFailure;
}

/** Where a statement failed, and what PostgreSQL said. */
function statementFailure(script: SqlScript, statement: Statement, error: unknown, context: RunContext): string {
  const details = error as { code?: string; position?: string; hint?: string; severity?: string };
  const line = errorLine(statement, details.position);
  // A DatabaseError carries a severity and a five-character SQLSTATE; anything else came from the socket.
  const fromServer = details.severity !== undefined && /^[0-9A-Z]{5}$/.test(details.code ?? '');
  const timedOut = fromServer && details.code === '57014' && /statement timeout/i.test(describeError(error));
  const reason = timedOut
    ? `the statement ran longer than statement-timeout (${formatDuration(context.statementTimeoutMs)})`
    : fromServer
      ? `${describeError(error)} (SQLSTATE ${details.code})`
      : `the connection to the server was lost (${describeError(error)})`;
  // 25001: e.g. CREATE INDEX CONCURRENTLY, VACUUM, ALTER TYPE ... ADD VALUE (before PostgreSQL 12) in a transaction.
  const hint = fromServer && details.code === '25001' && script.transactional ? 'start the file with "-- no-transaction" to run it outside a transaction' : details.hint;
  return `${script.file} line ${line}: ${reason}${hint ? `; hint: ${hint}` : ''}`;
}

async function runScript(
  script: SqlScript,
  context: RunContext,
  recordInTransaction: (durationMs: number) => Promise<void>,
): Promise<{ durationMs: number } | { failure: string }> {
  const { client } = context;
  const statements = splitStatements(script);
  const started = performance.now();
  if (script.transactional) {
    await client.query('BEGIN');
    for (const statement of statements) {
      try {
        await client.query(statement.text);
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        return { failure: `${statementFailure(script, statement, error, context)}; its transaction was rolled back` };
      }
    }
    const durationMs = performance.now() - started;
    try {
      await recordInTransaction(durationMs);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      return { failure: `${script.file}: could not record it in the history (${describeError(error)}); its transaction was rolled back` };
    }
    try {
      await client.query('COMMIT');
    } catch (error) {
      // The answer to COMMIT was lost: only the server knows whether it took effect.
      return { failure: `${script.file}: the connection failed during COMMIT (${describeError(error)}); check its row in the history table to see whether it was applied` };
    }
    return { durationMs };
  }
  for (const [index, statement] of statements.entries()) {
    try {
      await client.query(statement.text);
    } catch (error) {
      const kept =
        index === 0
          ? 'no statement of it had run'
          : `its first ${index} statement${index === 1 ? '' : 's'} (up to line ${(statements[index - 1] as Statement).line}) ran outside a transaction and stay applied; ` +
            'undo or finish them by hand before re-running (a failed CREATE INDEX CONCURRENTLY leaves an INVALID index to drop)';
      return { failure: `${statementFailure(script, statement, error, context)}; it is marked no-transaction, so ${kept}` };
    }
  }
  const durationMs = performance.now() - started;
  try {
    await recordInTransaction(durationMs);
  } catch (error) {
    return { failure: `${script.file} ran completely but could not be recorded in the history (${describeError(error)}): record it by hand` };
  }
  return { durationMs };
}

/** Reports a migration that keeps running, at a steady rate. */
async function withProgress<T>(label: string, context: RunContext, task: () => Promise<T>): Promise<T> {
  const interval = context.progressIntervalMs ?? 30_000;
  const started = Date.now();
  const timer = setInterval(() => context.log.info(`  ${label} is still running (${formatDuration(Date.now() - started)} elapsed)`), interval);
  try {
    return await task();
  } finally {
    clearInterval(timer);
  }
}

export async function applyMigrations(migrations: readonly Migration[], context: RunContext): Promise<RunReport> {
  const done: StepResult[] = [];
  for (const migration of migrations) {
    context.log.info(`Applying ${migration.file}${migration.transactional ? '' : ' (no transaction)'}`);
    const outcome = await withProgress(migration.file, context, () =>
      runScript(migration, context, (durationMs) =>
        recordApplied(context.client, context.table, {
          version: migration.version,
          name: migration.name,
          checksum: migration.checksum,
          durationMs,
          commitSha: context.commitSha,
          appliedBy: context.appliedBy,
        }),
      ),
    );
    if ('failure' in outcome) return { done, failure: new ActionFailure(`migration ${outcome.failure}`) };
    done.push({ version: migration.version, name: migration.name, file: migration.file, transactional: migration.transactional, durationMs: outcome.durationMs });
    context.log.info(`  applied in ${formatDuration(outcome.durationMs)}`);
  }
  return { done };
}

export async function revertMigrations(migrations: readonly Migration[], context: RunContext): Promise<RunReport> {
  const done: StepResult[] = [];
  for (const migration of migrations) {
    const down = migration.down as SqlScript;
    context.log.info(`Undoing ${migration.file} with ${down.file}${down.transactional ? '' : ' (no transaction)'}`);
    const outcome = await withProgress(down.file, context, () => runScript(down, context, () => recordReverted(context.client, context.table, migration.version)));
    if ('failure' in outcome) return { done, failure: new ActionFailure(`down migration ${outcome.failure}`) };
    done.push({ version: migration.version, name: migration.name, file: down.file, transactional: down.transactional, durationMs: outcome.durationMs });
    context.log.info(`  undone in ${formatDuration(outcome.durationMs)}`);
  }
  return { done };
}
