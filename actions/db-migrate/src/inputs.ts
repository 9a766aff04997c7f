import { existsSync, statSync } from 'node:fs';
import {
  ConfigurationError,
  getBoolean,
  getDuration,
  getInteger,
  getOptionalString,
  getRequiredString,
  maskUrl,
  resolveInputPath,
} from '@deploy-suite/kit';
import { Input } from './constants.js';
import { parseDatabaseUrl, parseTableName, parseVersion, type ConnectionTarget, type TableName } from './parse.js';

export type Source =
  | { kind: 'migrations'; directory: string }
  | { kind: 'command'; command: string; workingDirectory: string; timeoutMs: number };

export interface Inputs {
  database: ConnectionTarget;
  source: Source;
  dryRun: boolean;
  target?: bigint;
  /** How many of the last applied migrations to undo; 0 migrates up. */
  revert: number;
  lockTimeoutMs: number;
  statementTimeoutMs: number;
  connectTimeoutMs: number;
  /** Absolute path of the pg_dump to write before migrating. */
  backupPath?: string;
  historyTable: TableName;
  /** From the run's context, recorded in the history. */
  commitSha: string;
  appliedBy: string;
}

export function getInputs(): Inputs {
  const rawUrl = getRequiredString(Input.DatabaseUrl);
  // Before anything could print it, parse errors included.
  maskUrl(rawUrl);
  const database = parseDatabaseUrl(Input.DatabaseUrl, rawUrl);

  const migrations = getOptionalString(Input.Migrations);
  const command = getOptionalString(Input.Command);
  if ((migrations === undefined) === (command === undefined)) {
    throw new ConfigurationError(
      `give exactly one of input "${Input.Migrations}" (a directory of SQL migrations) and input "${Input.Command}" (your own migration command); ${migrations ? 'both were' : 'neither was'} given`,
    );
  }
  const dryRun = getBoolean(Input.DryRun);
  const targetText = getOptionalString(Input.Target);
  const target = targetText === undefined ? undefined : parseVersion(Input.Target, targetText);
  const revert = getInteger(Input.Revert, { min: 0, max: 10_000 });
  if (revert > 0 && target !== undefined) {
    throw new ConfigurationError(`inputs "${Input.Revert}" and "${Input.Target}" cannot be combined: one undoes migrations, the other applies them up to a version`);
  }

  let source: Source;
  if (command !== undefined) {
    const builtInOnly = [dryRun && Input.DryRun, target !== undefined && Input.Target, revert > 0 && Input.Revert].filter(Boolean);
    if (builtInOnly.length > 0) {
      throw new ConfigurationError(`input "${builtInOnly[0]}" works with "${Input.Migrations}" (the built-in runner), not with "${Input.Command}": pass your tool's own option in the command instead`);
    }
    const workingDirectory = resolveInputPath(Input.WorkingDirectory, getRequiredString(Input.WorkingDirectory));
    if (!existsSync(workingDirectory) || !statSync(workingDirectory).isDirectory()) {
      throw new ConfigurationError(`input "${Input.WorkingDirectory}" must be an existing directory (relative to the workspace); "${workingDirectory}" is not one`);
    }
    source = { kind: 'command', command, workingDirectory, timeoutMs: getDuration(Input.CommandTimeout, { positive: true }) };
  } else {
    source = { kind: 'migrations', directory: resolveInputPath(Input.Migrations, migrations as string) };
  }

  const backup = getOptionalString(Input.Backup);
  // An absolute path may lie outside the workspace (`${{ runner.temp }}/db.dump` keeps the dump out of the checkout).
  const backupPath = backup === undefined ? undefined : resolveInputPath(Input.Backup, backup, { allowAbsolute: true });
  if (backupPath !== undefined && existsSync(backupPath) && statSync(backupPath).isDirectory()) {
    throw new ConfigurationError(`input "${Input.Backup}" must be the path of the dump file to write (relative to the workspace); "${backupPath}" is a directory`);
  }
  return {
    database,
    source,
    dryRun,
    ...(target !== undefined ? { target } : {}),
    revert,
    lockTimeoutMs: getDuration(Input.LockTimeout),
    statementTimeoutMs: getDuration(Input.StatementTimeout),
    connectTimeoutMs: getDuration(Input.ConnectTimeout, { positive: true }),
    ...(backupPath !== undefined ? { backupPath } : {}),
    historyTable: parseTableName(Input.HistoryTable, getRequiredString(Input.HistoryTable)),
    commitSha: process.env.GITHUB_SHA ?? '',
    appliedBy: [process.env.GITHUB_REPOSITORY, process.env.GITHUB_RUN_ID && `run ${process.env.GITHUB_RUN_ID}`, process.env.GITHUB_RUN_ATTEMPT && `attempt ${process.env.GITHUB_RUN_ATTEMPT}`]
      .filter(Boolean)
      .join(' ') || 'db-migrate',
  };
}
