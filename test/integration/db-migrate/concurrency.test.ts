import { describe, expect, it } from 'vitest';
import { runAction, services } from '../../src/index.js';
import { ACTION, MIGRATIONS, database, eventually, historyOf, startRun, startTcpForwarder, tableExists, workspaceWith, writeMigrations } from './fixtures.js';

/**
 * Each migration writes a row naming itself: applied twice would show twice. The first one waits
 * (up to 20s) until both runs are connected, so they truly contend however slowly either starts.
 */
function loggedMigrations(count: number, sleepSeconds: number): Record<string, string> {
  const waitForBoth = `DO $$
BEGIN
  FOR attempt IN 1..400 LOOP
    PERFORM pg_stat_clear_snapshot();
    EXIT WHEN (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'db-migrate%') >= 2;
    PERFORM pg_sleep(0.05);
  END LOOP;
END $$;
`;
  const files: Record<string, string> = {
    '001_log.sql': `${waitForBoth}CREATE TABLE applications (version int NOT NULL, at timestamptz DEFAULT clock_timestamp());\nINSERT INTO applications (version) VALUES (1);\n`,
  };
  for (let version = 2; version <= count; version++) {
    files[`${String(version).padStart(3, '0')}_step.sql`] = `SELECT pg_sleep(${sleepSeconds});\nINSERT INTO applications (version) VALUES (${version});\n`;
  }
  return files;
}

describe.concurrent('db-migrate under concurrency and crashes', () => {
  it('two runs started together from two processes apply each migration exactly once', async () => {
    const db = database('dbm_concurrent');
    const workspace = workspaceWith(loggedMigrations(5, 0.1));
    const inputs = { 'database-url': db.url, migrations: MIGRATIONS, 'lock-timeout': '20s' };
    const [one, two] = await Promise.all([runAction(ACTION, { inputs, workspace }), runAction(ACTION, { inputs, workspace })]);
    expect([one.exitCode, two.exitCode]).toEqual([0, 0]);
    const applied = [one, two].map((run) => JSON.parse(run.outputs.applied as string).map((step: { version: string }) => step.version));
    // The lock is held for the whole run: one run applies everything, the other waits and finds nothing to do.
    expect([...applied].sort((a, b) => b.length - a.length)).toEqual([['1', '2', '3', '4', '5'], []]);
    expect([one.log, two.log].filter((log) => log.includes('Another run holds the migration lock'))).toHaveLength(1);
    expect(db.sql('SELECT string_agg(version::text, \',\' ORDER BY version) FROM applications')).toBe('1,2,3,4,5');
    expect(historyOf(db.sql)).toHaveLength(5);
  });

  it('a run that cannot get the lock within lock-timeout fails clearly and changes nothing', async () => {
    const db = database('dbm_lock_timeout');
    const workspace = workspaceWith({ '001_slow.sql': 'CREATE TABLE slow (id int);\nSELECT pg_sleep(60);\n' });
    const holder = startRun({ 'database-url': db.url, migrations: MIGRATIONS }, workspace);
    await eventually(() => holder.log().includes('Applying 001_slow.sql'), 15_000, 'the first run to start migrating');
    const blocked = await runAction(ACTION, { inputs: { 'database-url': db.url, migrations: MIGRATIONS, 'lock-timeout': '600ms' }, workspace });
    expect(blocked.exitCode).toBe(1);
    expect(blocked.errors).toHaveLength(1);
    expect(blocked.errors[0]).toMatch(
      /^db-migrate: another run held the migration lock of 127\.0\.0\.1:\d+\/dbm_lock_timeout for all of lock-timeout \(600ms\); nothing was run\. Holder: server process \d+ \(db-migrate acme\/monorepo run 99\), connected since /,
    );
    expect(blocked.outputs).toEqual({});
    holder.child.kill('SIGKILL');
    await holder.finished;
    expect(tableExists(db.sql, 'slow')).toBe(false);
  });

  it('a run killed with SIGKILL during a long migration leaves no trace, releases the lock, and a later run succeeds', async () => {
    const db = database('dbm_sigkill');
    const workspace = workspaceWith({
      '001_first.sql': 'CREATE TABLE first (id int);\n',
      '002_long.sql': 'CREATE TABLE half_done (id int);\nINSERT INTO half_done VALUES (1);\nSELECT pg_sleep(60);\n',
    });
    const victim = startRun({ 'database-url': db.url, migrations: MIGRATIONS }, workspace);
    await eventually(
      () => db.sql("SELECT count(*) FROM pg_stat_activity WHERE datname = 'dbm_sigkill' AND query LIKE 'SELECT pg_sleep(60)%' AND state = 'active'") === '1',
      15_000,
      'the long migration to be running',
    );
    victim.child.kill('SIGKILL');
    const killed = await victim.finished;
    expect(killed.signal).toBe('SIGKILL');
    // The server notices the vanished client (client_connection_check_interval) and rolls back, well before pg_sleep ends.
    await eventually(() => db.sql("SELECT count(*) FROM pg_stat_activity WHERE datname = 'dbm_sigkill' AND query LIKE 'SELECT pg_sleep(60)%'") === '0', 10_000, 'the killed session to end');
    expect(db.sql("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")).toBe('0');
    expect(tableExists(db.sql, 'half_done')).toBe(false);
    expect(historyOf(db.sql)).toEqual(['1:first']);

    writeMigrations(workspace, { '002_long.sql': 'CREATE TABLE half_done (id int);\nINSERT INTO half_done VALUES (1);\nSELECT pg_sleep(0);\n' });
    const later = await runAction(ACTION, { inputs: { 'database-url': db.url, migrations: MIGRATIONS, 'lock-timeout': '5s' }, workspace });
    expect(later.errors).toEqual([]);
    expect(later.outputs.applied).toContain('"002_long.sql"');
    expect(historyOf(db.sql)).toEqual(['1:first', '2:long']);
  });

  it('a connection lost in the middle of a migration fails naming it, keeps the earlier ones, and the next run resumes', async () => {
    const { postgres } = services();
    const db = database('dbm_connection_lost');
    const network = await startTcpForwarder(postgres.port);
    const url = `postgres://${postgres.user}:${encodeURIComponent(postgres.password)}@127.0.0.1:${network.port}/dbm_connection_lost`;
    const workspace = workspaceWith({
      '001_first.sql': 'CREATE TABLE first (id int);\n',
      '002_long.sql': 'CREATE TABLE half_done (id int);\nSELECT pg_sleep(20);\n',
      '003_last.sql': 'CREATE TABLE last (id int);\n',
    });
    try {
      const running = runAction(ACTION, { inputs: { 'database-url': url, migrations: MIGRATIONS }, workspace });
      await eventually(
        () => db.sql("SELECT count(*) FROM pg_stat_activity WHERE datname = 'dbm_connection_lost' AND query LIKE 'SELECT pg_sleep(20)%' AND state = 'active'") === '1',
        15_000,
        'the long migration to be running',
      );
      network.cutAll();
      const result = await running;
      expect(result.exitCode).toBe(1);
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]).toMatch(/^db-migrate: migration 002_long\.sql line 2: the connection to the server was lost \(read ECONNRESET\); its transaction was rolled back; 1 earlier migration of this run stays applied; the database is at version 1$/);
      expect(result.outputs).toMatchObject({ version: '1', pending: '2' });
      await eventually(() => db.sql("SELECT count(*) FROM pg_stat_activity WHERE datname = 'dbm_connection_lost' AND query LIKE 'SELECT pg_sleep(20)%'") === '0', 10_000, 'the cut session to end');
      expect(tableExists(db.sql, 'half_done')).toBe(false);
      expect(historyOf(db.sql)).toEqual(['1:first']);

      writeMigrations(workspace, { '002_long.sql': 'CREATE TABLE half_done (id int);\nSELECT pg_sleep(0);\n' });
      const resumed = await runAction(ACTION, { inputs: { 'database-url': url, migrations: MIGRATIONS }, workspace });
      expect(resumed.errors).toEqual([]);
      expect(historyOf(db.sql)).toEqual(['1:first', '2:long', '3:last']);
    } finally {
      await network.close();
    }
  });
});
