import { describe, expect, it } from 'vitest';
import { freePort, runAction, services } from '../../src/index.js';
import { ACTION, MIGRATIONS, database, eventually, historyOf, startRun, startTcpForwarder, tableExists, workspaceWith } from './fixtures.js';

const ONE = { '001_a.sql': 'CREATE TABLE a (id int);\n' };

function expectCleanFailure(result: Awaited<ReturnType<typeof runAction>>): void {
  expect(result.exitCode).toBe(1);
  expect(result.errors).toHaveLength(1);
  expect(result.log).not.toMatch(/\n\s+at \S+ \(/); // no stack trace
}

describe.concurrent('db-migrate bad input', () => {
  const { postgres } = services();

  it.each([
    {
      title: 'a URL that is not a PostgreSQL URL',
      inputs: { 'database-url': 'mysql://app:hunter2-secret@db.internal:3306/shop', migrations: MIGRATIONS },
      error: 'db-migrate: input "database-url" must be a PostgreSQL URL such as postgres://user:password@host:5432/database; got a URL with scheme "mysql"',
      mask: 'hunter2-secret',
    },
    {
      title: 'a value that is not a URL at all',
      inputs: { 'database-url': 'host=db password=hunter2-secret', migrations: MIGRATIONS },
      error: 'db-migrate: input "database-url" must be a PostgreSQL URL such as postgres://user:password@host:5432/database; the value given is not a URL',
    },
    {
      title: 'an sslmode that libpq does not know (pg would verify fully, pg_dump fail late), before connecting',
      inputs: { 'database-url': `${postgres.urlFor('postgres')}?sslmode=requre`, migrations: MIGRATIONS },
      error: 'db-migrate: input "database-url" has an unknown sslmode: it must be one of "disable", "allow", "prefer", "require", "verify-ca", "verify-full"; got "requre"',
      mask: postgres.password,
    },
    {
      title: 'neither migrations nor command',
      inputs: {},
      error: 'db-migrate: give exactly one of input "migrations" (a directory of SQL migrations) and input "command" (your own migration command); neither was given',
    },
    {
      title: 'both migrations and command',
      inputs: { migrations: MIGRATIONS, command: 'pnpm db:migrate' },
      error: 'db-migrate: give exactly one of input "migrations" (a directory of SQL migrations) and input "command" (your own migration command); both were given',
    },
    {
      title: 'revert with target',
      inputs: { migrations: MIGRATIONS, revert: '1', target: '3' },
      error: 'db-migrate: inputs "revert" and "target" cannot be combined: one undoes migrations, the other applies them up to a version',
    },
    {
      title: 'dry-run with command',
      inputs: { command: 'pnpm db:migrate', 'dry-run': 'true' },
      error: 'db-migrate: input "dry-run" works with "migrations" (the built-in runner), not with "command": pass your tool\'s own option in the command instead',
    },
    { title: 'a target that is not a version', inputs: { migrations: MIGRATIONS, target: 'latest' }, error: 'db-migrate: input "target" must be a migration version (digits, e.g. 42 or 20240131120000), got "latest"' },
    { title: 'a negative revert', inputs: { migrations: MIGRATIONS, revert: '-1' }, error: 'db-migrate: input "revert" must be an integer from 0 to 10000, got "-1"' },
    { title: 'a lock-timeout that is not a duration', inputs: { migrations: MIGRATIONS, 'lock-timeout': 'soon' }, error: 'db-migrate: input "lock-timeout" must be a duration such as 500ms, 90s, 10m, 1h or 1h30m, got "soon"' },
    {
      title: 'a history-table that is not an identifier',
      inputs: { migrations: MIGRATIONS, 'history-table': 'history; DROP TABLE users' },
      error: 'db-migrate: input "history-table" must be a table name or schema.table of letters, digits and underscores, got "history; DROP TABLE users"',
    },
    {
      title: 'a migrations directory that does not exist',
      inputs: { migrations: 'db/nowhere' },
      error: /^db-migrate: input "migrations" must be a directory of SQL migrations; "\/.+\/db\/nowhere" is not a directory$/,
    },
    {
      title: 'a backup path that is a directory',
      inputs: { migrations: MIGRATIONS, backup: 'db' },
      error: /^db-migrate: input "backup" must be the path of the dump file to write \(relative to the workspace\); ".+\/db" is a directory$/,
    },
    {
      title: 'a working-directory that does not exist',
      inputs: { command: 'true', 'working-directory': 'apps/api' },
      error: /^db-migrate: input "working-directory" must be an existing directory \(relative to the workspace\); ".+\/apps\/api" is not one$/,
    },
  ])('fails on $title with one clear error', async ({ inputs, error, mask }) => {
    const workspace = workspaceWith(ONE);
    const result = await runAction(ACTION, { inputs: { 'database-url': postgres.urlFor('postgres'), ...inputs }, workspace });
    expectCleanFailure(result);
    if (typeof error === 'string') expect(result.errors[0]).toBe(error);
    else expect(result.errors[0]).toMatch(error);
    if (mask) expect(result.masks).toContain(mask);
  });

  it.each([
    {
      title: 'two files of the same version',
      database: 'dbm_bad_dir_duplicate',
      files: { ...ONE, '1_also_one.sql': 'SELECT 1;', 'V2__flyway_style.sql': 'SELECT 2;', '002_two.sql': 'SELECT 2;' },
      error: 'db-migrate: input "migrations": the migrations in "DIR" have 2 problems: 2 migration files have version 1 (001_a.sql, 1_also_one.sql): versions must be unique; 2 migration files have version 2 (002_two.sql, V2__flyway_style.sql): versions must be unique',
    },
    {
      title: 'a malformed file name',
      database: 'dbm_bad_dir_malformed',
      files: { ...ONE, 'create_users.sql': 'SELECT 1;', 'V3_single_underscore.sql': 'SELECT 1;', 'README.md': 'not SQL: ignored' },
      error:
        'db-migrate: input "migrations": the migrations in "DIR" have 2 problems: malformed file name "V3_single_underscore.sql" (expected NNN_name.sql, NNN_name.down.sql or VNNN__name.sql (NNN: digits)); malformed file name "create_users.sql" (expected NNN_name.sql, NNN_name.down.sql or VNNN__name.sql (NNN: digits))',
    },
    {
      title: 'a down file with nothing to undo',
      database: 'dbm_bad_dir_orphan_down',
      files: { ...ONE, '002_b.down.sql': 'DROP TABLE b;' },
      error: 'db-migrate: input "migrations": the migrations in "DIR" have a problem: down migration "002_b.down.sql" has no migration of version 2 to undo',
    },
  ])('fails on a migrations directory with $title before connecting', async ({ database: name, files, error }) => {
    const db = database(name);
    const workspace = workspaceWith(files);
    const result = await runAction(ACTION, { inputs: { 'database-url': db.url, migrations: MIGRATIONS }, workspace });
    expectCleanFailure(result);
    expect(result.errors[0]).toBe(error.replace('DIR', `${workspace}/${MIGRATIONS}`));
    expect(result.log).not.toContain('Connect to');
    expect(tableExists(db.sql, 'migration_history')).toBe(false);
  });

  it('an unreachable host fails after connect-timeout naming host, port and database, never the password', async () => {
    const port = await freePort();
    const url = `postgres://${postgres.user}:${encodeURIComponent(postgres.password)}@127.0.0.1:${port}/app_staging`;
    const result = await runAction(ACTION, { inputs: { 'database-url': url, migrations: MIGRATIONS, 'connect-timeout': '1s' }, workspace: workspaceWith(ONE) });
    expectCleanFailure(result);
    expect(result.errors[0]).toMatch(
      new RegExp(`^db-migrate: could not connect to PostgreSQL at 127\\.0\\.0\\.1:${port}/app_staging \\(user "suite"\\) within \\d+\\.\\ds \\(connect-timeout\\): connection refused; check the host and port, and that the server is running and listening there$`),
    );
    expect(result.log).toContain('retrying for up to 1.0s (connect-timeout)');
  });

  it('a wrong password fails at once, naming the user but not the password', async () => {
    const url = `postgres://${postgres.user}:${encodeURIComponent('not-the-Pa55:word')}@127.0.0.1:${postgres.port}/postgres`;
    const result = await runAction(ACTION, { inputs: { 'database-url': url, migrations: MIGRATIONS }, workspace: workspaceWith(ONE) });
    expectCleanFailure(result);
    expect(result.errors[0]).toBe(
      `db-migrate: could not connect to PostgreSQL at 127.0.0.1:${postgres.port}/postgres (user "suite"): password authentication failed for user "suite"; check the user and password in database-url`,
    );
    expect(result.masks).toEqual(expect.arrayContaining(['not-the-Pa55:word', encodeURIComponent('not-the-Pa55:word')]));
  });

  it('a database that does not exist says so', async () => {
    const result = await runAction(ACTION, { inputs: { 'database-url': postgres.urlFor('no_such_db'), migrations: MIGRATIONS }, workspace: workspaceWith(ONE) });
    expectCleanFailure(result);
    expect(result.errors[0]).toContain('database "no_such_db" does not exist; check the database name in database-url, or create the database first');
  });

  it('keeps retrying while the server is down and migrates once it comes up', async () => {
    const db = database('dbm_server_late');
    // The "server" (a forwarder to the real one) starts listening only once the action has been refused.
    const server = await startTcpForwarder(postgres.port, { listening: false });
    const url = `postgres://${postgres.user}:${encodeURIComponent(postgres.password)}@127.0.0.1:${server.port}/dbm_server_late`;
    try {
      const run = startRun({ 'database-url': url, migrations: MIGRATIONS, 'connect-timeout': '20s' }, workspaceWith(ONE));
      await eventually(() => run.log().includes('Could not connect yet (connection refused); retrying for up to 20.0s (connect-timeout)'), 15_000, 'a refused connection');
      await server.listen();
      const result = await run.finished;
      expect(result.exitCode).toBe(0);
      expect(historyOf(db.sql)).toEqual(['1:a']);
    } finally {
      await server.close();
    }
  });
});
