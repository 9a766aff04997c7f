/**
 * A pg_dump of the database before anything changes. The password reaches
 * pg_dump through its environment, never its arguments; the dump is written
 * beside the target and renamed into place, so a failed dump leaves no file
 * that looks like a backup.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { ActionFailure, type Logger } from '@deploy-suite/kit';
import { describeTarget, urlPassword, type ConnectionTarget } from './parse.js';

export interface BackupResult {
  path: string;
  bytes: number;
  durationMs: number;
  format: 'plain' | 'custom';
}

/** `.dump` (pg_dump's custom format, for pg_restore) or plain SQL (for psql) for anything else. */
export function backupFormat(file: string): 'plain' | 'custom' {
  return /\.(?:dump|pgdump)$/i.test(file) ? 'custom' : 'plain';
}

export async function backupDatabase(target: ConnectionTarget, file: string, log: Logger): Promise<BackupResult> {
  const format = backupFormat(file);
  mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.partial-${process.pid}`;
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    PGHOST: target.host,
    PGPORT: String(target.port),
    PGUSER: target.user,
    PGDATABASE: target.database,
    PGAPPNAME: 'db-migrate backup',
  };
  // Without one in the URL, pg_dump falls back on an inherited PGPASSWORD, as the driver does.
  const password = urlPassword(target);
  if (password) env.PGPASSWORD = password;
  if (target.sslMode) env.PGSSLMODE = target.sslMode;
  const started = performance.now();
  log.info(`Dumping ${describeTarget(target)} to ${file} (${format === 'custom' ? 'custom format, restore with pg_restore' : 'plain SQL, restore with psql'})`);
  const { code, stderr, spawnError } = await new Promise<{ code: number | null; stderr: string; spawnError?: NodeJS.ErrnoException }>((resolve) => {
    const child = spawn('pg_dump', ['--no-password', `--format=${format}`, `--file=${partial}`], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2_000);
    });
    child.on('error', (error: NodeJS.ErrnoException) => resolve({ code: null, stderr, spawnError: error }));
    child.on('close', (exitCode) => resolve({ code: exitCode, stderr }));
  });
  if (code !== 0) {
    rmSync(partial, { force: true });
    if (spawnError?.code === 'ENOENT') {
      throw new ActionFailure('backup: pg_dump was not found on PATH; nothing was migrated. Install the PostgreSQL client of the server\'s major version (apt-get install postgresql-client)');
    }
    const reason = (spawnError?.message ?? stderr.trim().split('\n').slice(-3).join(' ')) || `exit code ${code}`;
    throw new ActionFailure(`backup: pg_dump of ${describeTarget(target)} failed, so nothing was migrated: ${reason}`);
  }
  renameSync(partial, file);
  return { path: file, bytes: statSync(file).size, durationMs: performance.now() - started, format };
}
