import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireBinary, runAction, services } from '../../src/index.js';
import { ACTION, MIGRATIONS, database, historyOf, tableExists, workspaceWith, writeMigrations } from './fixtures.js';

describe.concurrent('db-migrate command mode', () => {
  const { postgres } = services();
  const psql = `"${postgres.psqlPath}" "$DATABASE_URL" -v ON_ERROR_STOP=1 -Atq`;

  it('runs the command in working-directory with DATABASE_URL, under the migration lock, streaming its output', async () => {
    const db = database('dbm_command_ok');
    const workspace = workspaceWith({});
    mkdirSync(path.join(workspace, 'apps/api'), { recursive: true });
    const command = [
      `${psql} -c 'CREATE TABLE from_command (id int)'`,
      `echo "cwd=$(basename "$PWD")"`,
      `echo "advisory-locks=$(${psql} -c "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")"`,
    ].join(' && ');
    const result = await runAction(ACTION, { inputs: { 'database-url': db.url, command, 'working-directory': 'apps/api' }, workspace });
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.log).toContain('cwd=api');
    expect(result.log).toContain('advisory-locks=1');
    expect(result.outputs['exit-code']).toBe('0');
    expect(result.summary).toContain('CREATE TABLE from_command');
    expect(tableExists(db.sql, 'from_command')).toBe(true);
  });

  it('keeps a password written into the command out of the step summary', async () => {
    const db = database('dbm_command_secret');
    const command = `PGPASSWORD='${postgres.password}' "${postgres.psqlPath}" -h 127.0.0.1 -p ${postgres.port} -U ${postgres.user} -d dbm_command_secret -Atqc 'SELECT 1'`;
    const result = await runAction(ACTION, { inputs: { 'database-url': db.url, command }, workspace: workspaceWith({}) });
    expect(result.errors).toEqual([]);
    expect(result.summary).toContain('PGPASSWORD=&#39;***&#39;');
    expect(result.summary).not.toContain(postgres.password);
  });

  it('fails with the exit code of a failing command', async () => {
    const db = database('dbm_command_fail');
    const result = await runAction(ACTION, { inputs: { 'database-url': db.url, command: 'echo "migrating..."; exit 3' }, workspace: workspaceWith({}) });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/^db-migrate: the command exited with code 3 after \d+ms \(its output is above\)$/);
    expect(result.outputs['exit-code']).toBe('3');
    expect(result.log).toContain('migrating...');
  });

  it('stops a command that outlives command-timeout, with its whole process tree', async () => {
    const db = database('dbm_command_timeout');
    const marker = `sleep 31.${process.pid}`;
    const result = await runAction(ACTION, { inputs: { 'database-url': db.url, command: `${marker} & wait`, 'command-timeout': '500ms' }, workspace: workspaceWith({}) });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual(['db-migrate: the command did not finish within command-timeout (500ms) and was stopped; the database may be part-way through its migrations']);
    const processes = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).stdout;
    expect(processes).not.toContain(marker);
  });
});

describe.concurrent('db-migrate backup', () => {
  const { postgres } = services();
  const seed = { '001_accounts.sql': "CREATE TABLE accounts (id int PRIMARY KEY, owner text);\nINSERT INTO accounts VALUES (1, 'ada'), (2, 'grace');\n" };

  it('pg_dumps the database before migrating, to a plain SQL file that restores with psql', async () => {
    const db = database('dbm_backup_plain');
    const workspace = workspaceWith(seed);
    expect((await runAction(ACTION, { inputs: { 'database-url': db.url, migrations: MIGRATIONS }, workspace })).exitCode).toBe(0);
    writeMigrations(workspace, { '002_drop_owner.sql': 'ALTER TABLE accounts DROP COLUMN owner;\n' });
    const result = await runAction(ACTION, { inputs: { 'database-url': db.url, migrations: MIGRATIONS, backup: 'backups/before.sql' }, workspace });
    expect(result.errors).toEqual([]);
    const file = path.join(workspace, 'backups/before.sql');
    expect(result.outputs['backup-path']).toBe(file);
    expect(result.summary).toContain('backups/before.sql');
    expect(readFileSync(file, 'utf8')).not.toContain(postgres.password);

    const restored = database('dbm_backup_plain_restored');
    const restore = spawnSync(postgres.psqlPath, [postgres.urlFor('dbm_backup_plain_restored'), '-v', 'ON_ERROR_STOP=1', '-q', '-f', file], { encoding: 'utf8' });
    expect(restore.stderr).toBe('');
    expect(restore.status).toBe(0);
    expect(restored.sql("SELECT string_agg(owner, ',' ORDER BY id) FROM accounts")).toBe('ada,grace');
    expect(historyOf(restored.sql)).toEqual(['1:accounts']);
    expect(db.sql("SELECT count(*) FROM information_schema.columns WHERE table_name = 'accounts' AND column_name = 'owner'")).toBe('0');
  });

  it('writes pg_dump custom format for a .dump path, restorable with pg_restore', async () => {
    const db = database('dbm_backup_custom');
    const workspace = workspaceWith(seed);
    const result = await runAction(ACTION, { inputs: { 'database-url': db.url, migrations: MIGRATIONS, backup: 'before.dump' }, workspace });
    expect(result.errors).toEqual([]);
    const file = result.outputs['backup-path'] as string;
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('PGDMP');
    database('dbm_backup_custom_restored');
    const restore = spawnSync(requireBinary('pg_restore'), ['--dbname', postgres.urlFor('dbm_backup_custom_restored'), '--exit-on-error', file], { encoding: 'utf8' });
    expect(restore.status).toBe(0);
    // Taken before the first migration: nothing but the (empty) history table.
    expect(postgres.psql('dbm_backup_custom_restored', "SELECT string_agg(tablename, ',') FROM pg_tables WHERE schemaname = 'public'")).toBe('migration_history');
    expect(postgres.psql('dbm_backup_custom_restored', 'SELECT count(*) FROM migration_history')).toBe('0');
  });

  it('gives pg_dump the password pg uses, from a ?password= query value too', async () => {
    database('dbm_backup_query_password');
    const url = `postgres://${postgres.user}@127.0.0.1:${postgres.port}/dbm_backup_query_password?password=${encodeURIComponent(postgres.password)}`;
    const result = await runAction(ACTION, { inputs: { 'database-url': url, migrations: MIGRATIONS, backup: 'before.sql' }, workspace: workspaceWith(seed), env: { PGPASSWORD: undefined } });
    expect(result.errors).toEqual([]);
    expect(readFileSync(result.outputs['backup-path'] as string, 'utf8')).toContain('PostgreSQL database dump');
  });

  it('takes no backup when there is nothing to migrate', async () => {
    const db = database('dbm_backup_nothing');
    const workspace = workspaceWith(seed);
    await runAction(ACTION, { inputs: { 'database-url': db.url, migrations: MIGRATIONS }, workspace });
    const result = await runAction(ACTION, { inputs: { 'database-url': db.url, migrations: MIGRATIONS, backup: 'backups/none.sql' }, workspace });
    expect(result.exitCode).toBe(0);
    expect(result.outputs['backup-path']).toBe('');
    expect(result.log).toContain('Nothing to migrate: no backup taken');
    expect(existsSync(path.join(workspace, 'backups/none.sql'))).toBe(false);
  });

  it('a failed backup migrates nothing and leaves no file behind', async () => {
    const db = database('dbm_backup_fails');
    const workspace = workspaceWith(seed);
    // pg_dump refuses a server newer than itself; a PATH without pg_dump is the same class of failure, made portable.
    const result = await runAction(ACTION, { inputs: { 'database-url': db.url, migrations: MIGRATIONS, backup: 'backups/before.sql' }, workspace, env: { PATH: '/nonexistent' } });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      "db-migrate: backup: pg_dump was not found on PATH; nothing was migrated. Install the PostgreSQL client of the server's major version (apt-get install postgresql-client)",
    ]);
    expect(existsSync(path.join(workspace, 'backups/before.sql'))).toBe(false);
    expect(tableExists(db.sql, 'accounts')).toBe(false);
    expect(historyOf(db.sql)).toEqual([]);
  });
});
