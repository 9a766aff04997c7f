/**
 * db-migrate runs only the SQL the user put among the migrations: the
 * directories stay inside the workspace, and a migration file that is a link
 * out of the directory is refused before anything connects.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAction } from '../../src/index.js';
import { ACTION, MIGRATIONS, database, tableExists, workspaceWith } from './fixtures.js';

/** A workspace inside a directory that also holds `elsewhere/` with a migration of its own. */
function workspaceBesideElsewhere(): { workspace: string; elsewhere: string; cleanup(): void } {
  const parent = mkdtempSync(path.join(tmpdir(), 'dbm-paths-'));
  const workspace = path.join(parent, 'ws');
  mkdirSync(path.join(workspace, MIGRATIONS), { recursive: true });
  writeFileSync(path.join(workspace, MIGRATIONS, '001_a.sql'), 'CREATE TABLE a (id int);\n');
  const elsewhere = path.join(parent, 'elsewhere');
  mkdirSync(elsewhere);
  writeFileSync(path.join(elsewhere, '001_evil.sql'), 'CREATE TABLE evil (id int);\n');
  return { workspace, elsewhere, cleanup: () => rmSync(parent, { recursive: true, force: true }) };
}

describe.concurrent('db-migrate: paths stay inside the workspace', () => {
  it.each([
    { title: 'migrations that climb out of the workspace', inputs: { migrations: '../elsewhere' }, error: /^db-migrate: input "migrations" must be a path inside the workspace \(.+\), got "\.\.\/elsewhere", which is outside it$/ },
    { title: 'migrations given as an absolute path outside', inputs: { migrations: '<elsewhere>' }, error: /^db-migrate: input "migrations" must be a path inside the workspace \(.+\), got ".+\/elsewhere", which is outside it$/ },
    { title: 'migrations through a link out of the workspace', inputs: { migrations: 'linked' }, error: /^db-migrate: input "migrations" must stay inside the workspace \(.+\): "linked" goes through a symlink that points outside it$/ },
    { title: 'a working-directory out of the workspace', inputs: { command: 'true', 'working-directory': '..' }, error: /^db-migrate: input "working-directory" must be a path inside the workspace \(.+\), got "\.\.", which is outside it$/ },
    { title: 'a relative backup out of the workspace', inputs: { migrations: MIGRATIONS, backup: '../dump.sql' }, error: /^db-migrate: input "backup" must be a path inside the workspace \(.+\), got "\.\.\/dump\.sql", which is outside it$/ },
  ])('refuses $title before connecting', async ({ title, inputs, error }) => {
    const { workspace, elsewhere, cleanup } = workspaceBesideElsewhere();
    try {
      symlinkSync(elsewhere, path.join(workspace, 'linked'));
      const db = database(`dbm_paths_${title.replace(/\W+/g, '_').slice(0, 40)}`);
      const given = Object.fromEntries(Object.entries(inputs).map(([name, value]) => [name, value.replace('<elsewhere>', elsewhere)]));
      const result = await runAction(ACTION, { inputs: { 'database-url': db.url, ...given }, workspace });
      expect(result.exitCode).toBe(1);
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]).toMatch(error);
      expect(tableExists(db.sql, 'evil')).toBe(false);
      expect(tableExists(db.sql, 'migration_history')).toBe(false);
    } finally {
      cleanup();
    }
  });

  it('refuses a migration file that is a link out of the migrations directory, naming it', async () => {
    const { workspace, elsewhere, cleanup } = workspaceBesideElsewhere();
    try {
      symlinkSync(path.join(elsewhere, '001_evil.sql'), path.join(workspace, MIGRATIONS, '002_evil.sql'));
      const db = database('dbm_paths_linked_file');
      const result = await runAction(ACTION, { inputs: { 'database-url': db.url, migrations: MIGRATIONS }, workspace });
      expect(result.exitCode).toBe(1);
      expect(result.errors[0]).toBe(`db-migrate: input "migrations": the migrations in "${workspace}/${MIGRATIONS}" have a problem: "002_evil.sql" is a symbolic link to a file outside the migrations directory`);
      expect(tableExists(db.sql, 'evil')).toBe(false);
    } finally {
      cleanup();
    }
  });

  it('reports a migration file that is a broken link, or a link loop, as a problem of the directory, before connecting', async () => {
    const { workspace, cleanup } = workspaceBesideElsewhere();
    try {
      symlinkSync(path.join(workspace, 'no-such-file.sql'), path.join(workspace, MIGRATIONS, '002_gone.sql'));
      symlinkSync('003_loop.sql', path.join(workspace, MIGRATIONS, '003_loop.sql'));
      const db = database('dbm_paths_broken_link');
      const result = await runAction(ACTION, { inputs: { 'database-url': db.url, migrations: MIGRATIONS }, workspace });
      expect(result.exitCode).toBe(1);
      expect(result.errors).toEqual([
        `db-migrate: input "migrations": the migrations in "${workspace}/${MIGRATIONS}" have 2 problems: "002_gone.sql" is a broken symbolic link; "003_loop.sql" is a symbolic link that cannot be followed (a loop)`,
      ]);
      expect(tableExists(db.sql, 'a')).toBe(false);
      expect(tableExists(db.sql, 'migration_history')).toBe(false);
    } finally {
      cleanup();
    }
  });

  it('writes a backup to an absolute path outside the workspace (e.g. runner.temp), as documented', async () => {
    const temp = mkdtempSync(path.join(tmpdir(), 'dbm-runner-temp-'));
    try {
      const db = database('dbm_paths_backup_temp');
      const file = path.join(temp, 'db.sql');
      const result = await runAction(ACTION, { inputs: { 'database-url': db.url, migrations: MIGRATIONS, backup: file }, workspace: workspaceWith({ '001_a.sql': 'CREATE TABLE a (id int);\n' }) });
      expect(result.exitCode, result.log).toBe(0);
      expect(result.outputs['backup-path']).toBe(file);
    } finally {
      rmSync(temp, { recursive: true, force: true });
    }
  });
});
