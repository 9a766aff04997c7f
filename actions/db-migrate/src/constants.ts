export const ACTION_NAME = 'db-migrate';

export const Input = {
  DatabaseUrl: 'database-url',
  Migrations: 'migrations',
  Command: 'command',
  WorkingDirectory: 'working-directory',
  DryRun: 'dry-run',
  Target: 'target',
  Revert: 'revert',
  LockTimeout: 'lock-timeout',
  StatementTimeout: 'statement-timeout',
  ConnectTimeout: 'connect-timeout',
  CommandTimeout: 'command-timeout',
  Backup: 'backup',
  HistoryTable: 'history-table',
} as const;

export const Output = {
  Applied: 'applied',
  Reverted: 'reverted',
  Pending: 'pending',
  Version: 'version',
  BackupPath: 'backup-path',
  ExitCode: 'exit-code',
} as const;

/** First-line marker of a migration that must run outside a transaction (CREATE INDEX CONCURRENTLY). */
export const NO_TRANSACTION_MARKER = /^\s*--\s*no-transaction\s*$/i;
