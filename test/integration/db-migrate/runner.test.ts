import { describe, expect, it } from 'vitest';
import { runAction } from '../../src/index.js';
import { ACTION, MIGRATIONS, database, historyOf, removeMigration, tableExists, workspaceWith, writeMigrations } from './fixtures.js';

const BASE = {
  '001_create_users.sql': 'CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL);\n',
  '002_add_name.sql': '-- people have names\nALTER TABLE users ADD COLUMN name text;\n\nINSERT INTO users (email, name) VALUES (\'a@example.com\', \'A; with semicolon\');\n',
  '003_create_orders.sql': `CREATE TABLE orders (id serial PRIMARY KEY, user_id int REFERENCES users(id));
CREATE FUNCTION order_count() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM orders; $$;
`,
};

describe.concurrent('db-migrate built-in runner', () => {
  it('applies every migration from empty, records the history, then applies nothing on a re-run', async () => {
    const db = database('dbm_apply');
    const workspace = workspaceWith(BASE);
    const first = await runAction(ACTION, { inputs: { 'database-url': db.url, migrations: MIGRATIONS }, workspace, sha: 'abc123'.padEnd(40, '0') });
    expect(first.errors).toEqual([]);
    expect(first.exitCode).toBe(0);
    expect(JSON.parse(first.outputs.applied as string).map((step: { file: string }) => step.file)).toEqual(Object.keys(BASE));
    expect(first.outputs).toMatchObject({ pending: '0', version: '3', 'reverted': '[]', 'backup-path': '' });
    expect(historyOf(db.sql)).toEqual(['1:create_users', '2:add_name', '3:create_orders']);
    expect(db.sql('SELECT name FROM users')).toBe('A; with semicolon');
    expect(db.sql('SELECT order_count()')).toBe('0');
    expect(db.sql("SELECT DISTINCT commit_sha || ' ' || applied_by FROM migration_history")).toBe(`${'abc123'.padEnd(40, '0')} acme/monorepo run 4242 attempt 1`);
    expect(db.sql('SELECT count(*) FROM migration_history WHERE length(checksum) = 64 AND duration_ms >= 0')).toBe('3');
    expect(first.summary).toContain('002_add_name.sql');
    expect(first.summary).toMatch(/Version none → 3: 3 migrations applied/);
    expect(first.log).toContain('::group::Apply 3 migrations');
    // The password of the URL (with URL-special characters) is masked raw and decoded.
    const { postgres } = await import('../../src/index.js').then((module) => module.services());
    expect(first.masks).toContain(postgres.password);
    expect(first.masks).toContain(encodeURIComponent(postgres.password));

    const second = await runAction(ACTION, { inputs: { 'database-url': db.url, migrations: MIGRATIONS }, workspace });
    expect(second.exitCode).toBe(0);
    expect(second.outputs).toMatchObject({ applied: '[]', pending: '0', version: '3' });
    expect(second.log).toContain('Up to date: nothing to apply (version 3)');
    expect(historyOf(db.sql)).toHaveLength(3);
  });

  it('a failing migration in the middle is rolled back whole, names file and line, and the next run resumes', async () => {
    const db = database('dbm_fail_middle');
    const workspace = workspaceWith({
      '001_a.sql': 'CREATE TABLE a (id int);\n',
      '002_b.sql': 'CREATE TABLE b (id int);\nINSERT INTO b VALUES (1);\n\nINSERT INTO b VALUES (1 / 0);\n',
      '003_c.sql': 'CREATE TABLE c (id int);\n',
    });
    const failed = await runAction(ACTION, { inputs: { 'database-url': db.url, migrations: MIGRATIONS }, workspace });
    expect(failed.exitCode).toBe(1);
    expect(failed.errors).toHaveLength(1);
    expect(failed.errors[0]).toMatch(/^db-migrate: migration 002_b\.sql line 4: division by zero \(SQLSTATE 22012\); its transaction was rolled back; 1 earlier migration of this run stays applied; the database is at version 1$/);
    expect(failed.log).not.toMatch(/\n\s+at /); // no stack trace
    expect(failed.outputs).toMatchObject({ version: '1', pending: '2' });
    expect(JSON.parse(failed.outputs.applied as string)).toHaveLength(1);
    expect(failed.summary).toContain('<td><code>002_b.sql</code></td><td>–</td><td>failed</td>');
    expect(failed.summary).toContain('<td><code>003_c.sql</code></td><td>–</td><td>not run</td>');
    expect(historyOf(db.sql)).toEqual(['1:a']);
    expect(tableExists(db.sql, 'b')).toBe(false);
    expect(tableExists(db.sql, 'c')).toBe(false);

    writeMigrations(workspace, { '002_b.sql': 'CREATE TABLE b (id int);\nINSERT INTO b VALUES (1);\n' });
    const resumed = await runAction(ACTION, { inputs: { 'database-url': db.url, migrations: MIGRATIONS }, workspace });
    expect(resumed.exitCode).toBe(0);
    expect(JSON.parse(resumed.outputs.applied as string).map((step: { version: string }) => step.version)).toEqual(['2', '3']);
    expect(historyOf(db.sql)).toEqual(['1:a', '2:b', '3:c']);
  });

  it('names the line of a syntax error inside a multi-line statement', async () => {
    const db = database('dbm_syntax_line');
    const workspace = workspaceWith({ '001_bad.sql': '-- header\nCREATE TABLE ok (id int);\nSELECT\n  1,\n  FROM nowhere;\n' });
    const result = await runAction(ACTION, { inputs: { 'database-url': db.url, migrations: MIGRATIONS }, workspace });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toMatch(/migration 001_bad\.sql line 5: syntax error at or near "FROM" \(SQLSTATE 42601\)/);
    expect(tableExists(db.sql, 'ok')).toBe(false);
    expect(historyOf(db.sql)).toEqual([]);
  });

  it('refuses to run anything when an applied migration was edited or is missing, listing them', async () => {
    const db = database('dbm_drift');
    const workspace = workspaceWith(BASE);
    expect((await runAction(ACTION, { inputs: { 'database-url': db.url, migrations: MIGRATIONS }, workspace })).exitCode).toBe(0);
    writeMigrations(workspace, { '002_add_name.sql': 'ALTER TABLE users ADD COLUMN name varchar(10);\n', '004_new.sql': 'CREATE TABLE new_one (id int);\n' });
    removeMigration(workspace, '003_create_orders.sql');
    const result = await runAction(ACTION, { inputs: { 'database-url': db.url, migrations: MIGRATIONS }, workspace });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toContain('the history in migration_history does not match the migration files; nothing was run');
    expect(result.errors[0]).toMatch(/1 applied migration was edited since it was applied: 002_add_name\.sql \(applied \d{4}-/);
    expect(result.errors[0]).toContain('1 applied migration is missing from the directory: version 3 (create_orders)');
    expect(tableExists(db.sql, 'new_one')).toBe(false);
    expect(historyOf(db.sql)).toHaveLength(3);
  });

  it('refuses a pending migration older than the current version (a branch merged late)', async () => {
    const db = database('dbm_out_of_order');
    const workspace = workspaceWith({ '20240101000000_a.sql': 'CREATE TABLE a (id int);\n', '20240301000000_c.sql': 'CREATE TABLE c (id int);\n' });
    expect((await runAction(ACTION, { inputs: { 'database-url': db.url, migrations: MIGRATIONS }, workspace })).exitCode).toBe(0);
    writeMigrations(workspace, { '20240201000000_b.sql': 'CREATE TABLE b (id int);\n', '20240401000000_d.sql': 'CREATE TABLE d (id int);\n' });
    const result = await runAction(ACTION, { inputs: { 'database-url': db.url, migrations: MIGRATIONS }, workspace });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      'db-migrate: 20240201000000_b.sql is not applied but older than the current version 20240301000000; nothing was run. Give the migration a version above the current one (rename the file)',
    ]);
    expect(tableExists(db.sql, 'd')).toBe(false);
  });

  it('a CRLF checkout of an applied migration is not drift', async () => {
    const db = database('dbm_crlf');
    const workspace = workspaceWith({ '001_a.sql': 'CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n' });
    expect((await runAction(ACTION, { inputs: { 'database-url': db.url, migrations: MIGRATIONS }, workspace })).exitCode).toBe(0);
    writeMigrations(workspace, { '001_a.sql': 'CREATE TABLE a (id int);\r\nCREATE TABLE b (id int);\r\n' });
    const again = await runAction(ACTION, { inputs: { 'database-url': db.url, migrations: MIGRATIONS }, workspace });
    expect(again.exitCode).toBe(0);
    expect(again.outputs.applied).toBe('[]');
  });

  it('target applies up to a version; a later run applies the rest; a target below the current version is refused', async () => {
    const db = database('dbm_target');
    const workspace = workspaceWith(BASE);
    const partial = await runAction(ACTION, { inputs: { 'database-url': db.url, migrations: MIGRATIONS, target: '2' }, workspace });
    expect(partial.exitCode).toBe(0);
    expect(partial.outputs).toMatchObject({ version: '2', pending: '1' });
    expect(historyOf(db.sql)).toEqual(['1:create_users', '2:add_name']);
    expect(tableExists(db.sql, 'orders')).toBe(false);

    const unknown = await runAction(ACTION, { inputs: { 'database-url': db.url, migrations: MIGRATIONS, target: '7' }, workspace });
    expect(unknown.exitCode).toBe(1);
    expect(unknown.errors[0]).toBe('db-migrate: input "target": no migration has version 7 (versions: 1, 2, 3)');

    const below = await runAction(ACTION, { inputs: { 'database-url': db.url, migrations: MIGRATIONS, target: '1' }, workspace });
    expect(below.exitCode).toBe(1);
    expect(below.errors[0]).toContain('input "target": version 1 is below the current version 2; use "revert" to undo migrations');

    const rest = await runAction(ACTION, { inputs: { 'database-url': db.url, migrations: MIGRATIONS }, workspace });
    expect(rest.outputs).toMatchObject({ version: '3', pending: '0' });
  });

  it('revert undoes the last N migrations with their down files, newest first', async () => {
    const db = database('dbm_revert');
    const workspace = workspaceWith({
      ...BASE,
      '002_add_name.down.sql': 'ALTER TABLE users DROP COLUMN name;\n',
      '003_create_orders.down.sql': 'DROP FUNCTION order_count();\nDROP TABLE orders;\n',
    });
    expect((await runAction(ACTION, { inputs: { 'database-url': db.url, migrations: MIGRATIONS }, workspace })).exitCode).toBe(0);
    const plan = await runAction(ACTION, { inputs: { 'database-url': db.url, migrations: MIGRATIONS, revert: '2', 'dry-run': 'true' }, workspace });
    expect(plan.errors).toEqual([]);
    expect(plan.summary.match(/would undo/g)).toHaveLength(2);
    expect(plan.log).toContain('to undo: 003_create_orders.sql with 003_create_orders.down.sql');
    expect(historyOf(db.sql)).toHaveLength(3);

    const undo = await runAction(ACTION, { inputs: { 'database-url': db.url, migrations: MIGRATIONS, revert: '2' }, workspace });
    expect(undo.errors).toEqual([]);
    expect(JSON.parse(undo.outputs['reverted'] as string).map((step: { file: string }) => step.file)).toEqual(['003_create_orders.down.sql', '002_add_name.down.sql']);
    expect(undo.outputs).toMatchObject({ applied: '[]', version: '1', pending: '2' });
    expect(undo.summary).toContain('undone');
    expect(historyOf(db.sql)).toEqual(['1:create_users']);
    expect(tableExists(db.sql, 'orders')).toBe(false);
    expect(db.sql("SELECT count(*) FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'name'")).toBe('0');

    const tooMany = await runAction(ACTION, { inputs: { 'database-url': db.url, migrations: MIGRATIONS, revert: '2' }, workspace });
    expect(tooMany.exitCode).toBe(1);
    expect(tooMany.errors[0]).toBe('db-migrate: input "revert": asked to undo 2 migrations but only 1 is applied');

    const reapplied = await runAction(ACTION, { inputs: { 'database-url': db.url, migrations: MIGRATIONS }, workspace });
    expect(reapplied.outputs).toMatchObject({ version: '3', pending: '0' });
  });

  it('revert without down files fails before undoing anything', async () => {
    const db = database('dbm_revert_nodown');
    const workspace = workspaceWith({ ...BASE, '003_create_orders.down.sql': 'DROP FUNCTION order_count();\nDROP TABLE orders;\n' });
    expect((await runAction(ACTION, { inputs: { 'database-url': db.url, migrations: MIGRATIONS }, workspace })).exitCode).toBe(0);
    const result = await runAction(ACTION, { inputs: { 'database-url': db.url, migrations: MIGRATIONS, revert: '2' }, workspace });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual(['db-migrate: cannot undo 2 migrations: no down file for 002_add_name.sql (expected 002_add_name.down.sql); nothing was run']);
    expect(historyOf(db.sql)).toHaveLength(3);
    expect(tableExists(db.sql, 'orders')).toBe(true);
  });

  it('runs a -- no-transaction migration statement by statement (CREATE INDEX CONCURRENTLY)', async () => {
    const db = database('dbm_no_tx');
    const workspace = workspaceWith({
      '001_t.sql': 'CREATE TABLE t (id int, email text);\n',
      '002_index.sql': '-- no-transaction\nCREATE INDEX CONCURRENTLY t_email ON t (email);\nCREATE INDEX CONCURRENTLY t_id ON t (id);\n',
    });
    const result = await runAction(ACTION, { inputs: { 'database-url': db.url, migrations: MIGRATIONS }, workspace });
    expect(result.errors).toEqual([]);
    expect(result.log).toContain('Applying 002_index.sql (no transaction)');
    expect(db.sql("SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname IN ('t_email', 't_id') AND i.indisvalid")).toBe('2');
    expect(historyOf(db.sql)).toEqual(['1:t', '2:index']);
  });

  it('suggests -- no-transaction when a statement cannot run in a transaction', async () => {
    const db = database('dbm_needs_no_tx');
    const workspace = workspaceWith({ '001_t.sql': 'CREATE TABLE t (id int);\nCREATE INDEX CONCURRENTLY t_id ON t (id);\n' });
    const result = await runAction(ACTION, { inputs: { 'database-url': db.url, migrations: MIGRATIONS }, workspace });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toBe(
      'db-migrate: migration 001_t.sql line 2: CREATE INDEX CONCURRENTLY cannot run inside a transaction block (SQLSTATE 25001); hint: start the file with "-- no-transaction" to run it outside a transaction; its transaction was rolled back; the database is at version none',
    );
    expect(tableExists(db.sql, 't')).toBe(false);
  });

  it('a failing no-transaction migration says which statements stay applied', async () => {
    const db = database('dbm_no_tx_fail');
    const workspace = workspaceWith({
      '001_t.sql': 'CREATE TABLE t (id int);\n',
      '002_index.sql': '-- no-transaction\nCREATE INDEX CONCURRENTLY t_id ON t (id);\nCREATE INDEX CONCURRENTLY t_nope ON t (nope);\n',
    });
    const result = await runAction(ACTION, { inputs: { 'database-url': db.url, migrations: MIGRATIONS }, workspace });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain('migration 002_index.sql line 3: column "nope" does not exist');
    expect(result.errors[0]).toContain('it is marked no-transaction, so its first 1 statement (up to line 2) ran outside a transaction and stay applied');
    expect(historyOf(db.sql)).toEqual(['1:t']);
  });

  it('refuses transaction control inside a transactional migration before running anything', async () => {
    const db = database('dbm_tx_control');
    const workspace = workspaceWith({ '001_a.sql': 'CREATE TABLE a (id int);\n', '002_b.sql': 'BEGIN;\nCREATE TABLE b (id int);\nCOMMIT;\n' });
    const result = await runAction(ACTION, { inputs: { 'database-url': db.url, migrations: MIGRATIONS }, workspace });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain('transaction control is not allowed in it: 002_b.sql line 1 (BEGIN), 002_b.sql line 3 (COMMIT)');
    expect(tableExists(db.sql, 'a')).toBe(false);
  });

  it('dry-run lists the plan and changes nothing, not even the history table', async () => {
    const db = database('dbm_dry_run');
    const workspace = workspaceWith(BASE);
    const dry = await runAction(ACTION, { inputs: { 'database-url': db.url, migrations: MIGRATIONS, 'dry-run': 'true' }, workspace });
    expect(dry.errors).toEqual([]);
    expect(dry.outputs).toMatchObject({ applied: '[]', pending: '3', version: '' });
    expect(dry.summary).toContain('dry run');
    expect(dry.summary.match(/would apply/g)).toHaveLength(3);
    expect(tableExists(db.sql, 'migration_history')).toBe(false);
    expect(tableExists(db.sql, 'users')).toBe(false);

    await runAction(ACTION, { inputs: { 'database-url': db.url, migrations: MIGRATIONS, target: '1' }, workspace });
    const dryAgain = await runAction(ACTION, { inputs: { 'database-url': db.url, migrations: MIGRATIONS, 'dry-run': 'true' }, workspace });
    expect(dryAgain.outputs).toMatchObject({ pending: '2', version: '1' });
    expect(historyOf(db.sql)).toEqual(['1:create_users']);
  });

  it('statement-timeout stops a runaway statement and names the file', async () => {
    const db = database('dbm_statement_timeout');
    const workspace = workspaceWith({ '001_slow.sql': 'CREATE TABLE s (id int);\nSELECT pg_sleep(5);\n' });
    const result = await runAction(ACTION, { inputs: { 'database-url': db.url, migrations: MIGRATIONS, 'statement-timeout': '300ms' }, workspace });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain('migration 001_slow.sql line 2: the statement ran longer than statement-timeout (300ms); its transaction was rolled back');
    expect(tableExists(db.sql, 's')).toBe(false);
  });

  it('keeps its history in the history-table given, refusing a table another tool owns', async () => {
    const db = database('dbm_history_table');
    const workspace = workspaceWith({ '001_a.sql': 'CREATE TABLE a (id int);\n' });
    const result = await runAction(ACTION, { inputs: { 'database-url': db.url, migrations: MIGRATIONS, 'history-table': 'ops.schema_history' }, workspace });
    expect(result.exitCode).toBe(0);
    expect(historyOf(db.sql, 'ops.schema_history')).toEqual(['1:a']);

    db.sql('CREATE TABLE schema_migrations (version bigint PRIMARY KEY, dirty boolean)');
    const foreign = await runAction(ACTION, { inputs: { 'database-url': db.url, migrations: MIGRATIONS, 'history-table': 'schema_migrations' }, workspace });
    expect(foreign.exitCode).toBe(1);
    expect(foreign.errors[0]).toContain('the table schema_migrations exists but is not a db-migrate history table (no column name, checksum, applied_at, duration_ms, commit_sha, applied_by)');
  });

  it('a user who may not create the history table gets one clear error naming it', async () => {
    const db = database('dbm_history_denied');
    db.sql("CREATE ROLE dbm_limited LOGIN PASSWORD 'limited-Pa55'; REVOKE CREATE ON SCHEMA public FROM PUBLIC; GRANT CONNECT ON DATABASE dbm_history_denied TO dbm_limited");
    const url = db.url.replace(/\/\/[^@]+@/, '//dbm_limited:limited-Pa55@');
    const result = await runAction(ACTION, { inputs: { 'database-url': url, migrations: MIGRATIONS }, workspace: workspaceWith({ '001_a.sql': 'CREATE TABLE a (id int);\n' }) });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      'db-migrate: could not create the history table migration_history: permission denied for schema public; the user in database-url needs the rights to create and write that table (or choose another with "history-table")',
    ]);
  });
});
