import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checksum, errorLine, findTransactionControl, loadMigrations, splitStatements, type SqlScript } from './migrations.js';

function directoryWith(files: Record<string, string>): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'dbm-unit-'));
  for (const [file, sql] of Object.entries(files)) writeFileSync(path.join(directory, file), sql);
  return directory;
}

const script = (sql: string, file = '001_x.sql'): SqlScript => ({ file, sql, transactional: !/^--\s*no-transaction/i.test(sql) });

describe('loadMigrations', () => {
  it('orders by numeric version across both naming styles, pairs down files, ignores other files', () => {
    const directory = directoryWith({
      '10_ten.sql': 'SELECT 10;',
      'V2__two.sql': '-- no-transaction\nCREATE INDEX CONCURRENTLY i ON t (c);',
      '001_one.sql': 'SELECT 1;\r\n',
      '001_one.down.sql': 'SELECT -1;',
      'README.md': '# docs',
      '.hidden.sql': 'junk',
    });
    mkdirSync(path.join(directory, '003_folder.sql'));
    const migrations = loadMigrations('migrations', directory);
    expect(migrations.map((migration) => [migration.version, migration.name, migration.transactional, migration.down?.file])).toEqual([
      [1n, 'one', true, '001_one.down.sql'],
      [2n, 'two', false, undefined],
      [10n, 'ten', true, undefined],
    ]);
    // CRLF is normalised before hashing: the same migration checked out on Windows is not "edited".
    expect(migrations[0]?.checksum).toBe(checksum('SELECT 1;\n'));
  });

  it('reports every problem of the directory at once', () => {
    const directory = directoryWith({ '1_a.sql': '', '01_b.sql': '', 'bad.sql': '', '5_x.down.sql': '' });
    expect(() => loadMigrations('migrations', directory)).toThrow(
      /3 problems: malformed file name "bad\.sql" .*; 2 migration files have version 1 \(01_b\.sql, 1_a\.sql\): versions must be unique; down migration "5_x\.down\.sql" has no migration of version 5 to undo/,
    );
  });
});

describe('splitStatements', () => {
  it('splits on semicolons outside strings, identifiers, comments and dollar quotes, with the line of each first token', () => {
    const sql = [
      '-- header comment',
      "INSERT INTO t VALUES ('a;b');",
      '/* block; comment */',
      'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $fn$ SELECT 1; $fn$;',
      'CREATE TABLE "odd;name" (id int);',
      '',
      'DO $$ BEGIN PERFORM 1; END $$;',
      '-- trailing comment only',
    ].join('\n');
    expect(splitStatements(script(sql)).map((statement) => [statement.line, statement.text.replace(/^(?:--[^\n]*\n|\/\*.*?\*\/\n)*/s, '')])).toEqual([
      [2, "INSERT INTO t VALUES ('a;b')"],
      [4, 'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $fn$ SELECT 1; $fn$'],
      [5, 'CREATE TABLE "odd;name" (id int)'],
      [7, 'DO $$ BEGIN PERFORM 1; END $$'],
    ]);
  });

  it('maps a PostgreSQL error position to the file line', () => {
    const sql = '-- one\n-- two\nSELECT\n  1,\n  FROM nowhere;';
    const [statement] = splitStatements(script(sql));
    expect(statement?.line).toBe(3);
    const position = (statement?.text.indexOf('FROM') ?? 0) + 1;
    expect(errorLine(statement!, String(position))).toBe(5);
    expect(errorLine(statement!, undefined)).toBe(3);
  });

  it('counts positions in characters, as PostgreSQL does, not UTF-16 units', () => {
    const [statement] = splitStatements(script("SELECT '😀',\n'é', nope"));
    const characters = Array.from(statement!.text);
    expect(errorLine(statement!, characters.indexOf('n') + 1)).toBe(2);
  });
});

describe('findTransactionControl', () => {
  it('finds BEGIN/COMMIT in a transactional migration, allows them in function bodies and no-transaction files', () => {
    const sql = 'BEGIN;\nCREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN END $$;\n-- c\nCOMMIT;';
    expect(findTransactionControl(script(sql), splitStatements(script(sql)))).toEqual(['001_x.sql line 1 (BEGIN)', '001_x.sql line 4 (COMMIT)']);
    const untracked = `-- no-transaction\n${sql}`;
    expect(findTransactionControl(script(untracked), splitStatements(script(untracked)))).toEqual([]);
  });
});
