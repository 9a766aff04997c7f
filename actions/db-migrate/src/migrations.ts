/**
 * Reads a directory of SQL migrations: `NNN_name.sql` or `VNNN__name.sql`,
 * each with an optional `<same name>.down.sql`. Every problem in the directory
 * is reported at once, before anything touches the database.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigurationError, isInside } from '@deploy-suite/kit';
import { postgreSplitterOptions, splitQuery } from 'dbgate-query-splitter';
import type { SplitResultItemRich } from 'dbgate-query-splitter/lib/splitQuery.js';
import { NO_TRANSACTION_MARKER } from './constants.js';

export interface SqlScript {
  /** File name inside the migrations directory. */
  file: string;
  /** Contents with line endings normalised to \n. */
  sql: string;
  /** False when the first line is `-- no-transaction`. */
  transactional: boolean;
}

export interface Migration extends SqlScript {
  version: bigint;
  name: string;
  /** sha256 of the normalised contents: what the history table records. */
  checksum: string;
  down?: SqlScript;
}

export interface Statement {
  text: string;
  /** 1-based line in the file where the statement's first token is. */
  line: number;
}

const UP_OR_DOWN = /^(?:V(\d+)__|(\d+)_)(.+?)(\.down)?\.sql$/i;
const NAME_FORM = 'NNN_name.sql, NNN_name.down.sql or VNNN__name.sql (NNN: digits)';

/** What a directory entry is, following links: a link that leads nowhere is a problem to report, not a crash. */
function entryKind(file: string): 'file' | 'other' | 'a broken symbolic link' | 'a symbolic link that cannot be followed (a loop)' {
  try {
    const stats = statSync(file, { throwIfNoEntry: false });
    if (!stats) return 'a broken symbolic link';
    return stats.isFile() ? 'file' : 'other';
  } catch {
    return 'a symbolic link that cannot be followed (a loop)';
  }
}

/** Reads and validates the directory; versions ascend in the result. */
export function loadMigrations(inputName: string, directory: string): Migration[] {
  let entries: string[];
  try {
    if (!statSync(directory).isDirectory()) throw new Error('not a directory');
    entries = readdirSync(directory);
  } catch {
    throw new ConfigurationError(`input "${inputName}" must be a directory of SQL migrations; "${directory}" is not a directory`);
  }
  const problems: string[] = [];
  const realDirectory = realpathSync(directory);
  const ups = new Map<bigint, string[]>();
  const downs = new Map<bigint, string[]>();
  for (const file of entries.sort()) {
    if (file.startsWith('.') || !/\.sql$/i.test(file)) continue;
    const kind = entryKind(path.join(directory, file));
    if (kind !== 'file') {
      if (kind !== 'other') problems.push(`"${file}" is ${kind}`);
      continue;
    }
    // A link out of the directory would run SQL the user never put among the migrations.
    if (!isInside(realDirectory, realpathSync(path.join(directory, file)))) {
      problems.push(`"${file}" is a symbolic link to a file outside the migrations directory`);
      continue;
    }
    const match = UP_OR_DOWN.exec(file);
    const digits = match?.[1] ?? match?.[2];
    if (!match || digits === undefined || digits.length > 18) {
      problems.push(`malformed file name "${file}" (expected ${NAME_FORM})`);
      continue;
    }
    const version = BigInt(digits);
    const bucket = match[4] ? downs : ups;
    bucket.set(version, [...(bucket.get(version) ?? []), file]);
  }
  for (const [kind, bucket] of [['migration', ups], ['down migration', downs]] as const) {
    for (const [version, files] of bucket) {
      if (files.length > 1) problems.push(`${files.length} ${kind} files have version ${version} (${files.join(', ')}): versions must be unique`);
    }
  }
  for (const [version, files] of downs) {
    if (!ups.has(version)) problems.push(`down migration "${files[0]}" has no migration of version ${version} to undo`);
  }
  if (problems.length > 0) {
    throw new ConfigurationError(`input "${inputName}": the migrations in "${directory}" have ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}: ${problems.join('; ')}`);
  }
  const migrations: Migration[] = [];
  for (const [version, [file]] of ups as Map<bigint, [string]>) {
    const script = readScript(directory, file);
    const downFile = downs.get(version)?.[0];
    migrations.push({
      ...script,
      version,
      name: (UP_OR_DOWN.exec(file) as RegExpExecArray)[3] as string,
      checksum: checksum(script.sql),
      ...(downFile ? { down: readScript(directory, downFile) } : {}),
    });
  }
  return migrations.sort((a, b) => (a.version < b.version ? -1 : 1));
}

function readScript(directory: string, file: string): SqlScript {
  // Normalised so a checkout with CRLF line endings (or a BOM) is not "edited".
  const sql = readFileSync(path.join(directory, file), 'utf8').replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
  const firstLine = sql.split('\n', 1)[0] ?? '';
  return { file, sql, transactional: !NO_TRANSACTION_MARKER.test(firstLine) };
}

export function checksum(sql: string): string {
  return createHash('sha256').update(sql).digest('hex');
}

const SPLITTER_OPTIONS = { ...postgreSplitterOptions, returnRichInfo: true };
const LEADING_COMMENTS = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/;
const TRANSACTION_CONTROL = /^(?:BEGIN|COMMIT|ROLLBACK|END|ABORT|START\s+TRANSACTION|SAVEPOINT|RELEASE|PREPARE\s+TRANSACTION|COMMIT\s+PREPARED)\b/i;

/**
 * Splits a script into statements (dollar quotes, strings and comments
 * respected), each with the line of its first token, so an error can name the
 * line. Statements that are only comments are dropped.
 */
export function splitStatements(script: SqlScript): Statement[] {
  const statements: Statement[] = [];
  for (const item of splitQuery(script.sql, SPLITTER_OPTIONS) as SplitResultItemRich[]) {
    const start = (item.trimStart ?? item.start).position;
    const leading = (LEADING_COMMENTS.exec(item.text)?.[0] ?? '').length;
    if (item.text.slice(leading).trim() === '') continue;
    statements.push({ text: item.text, line: lineAt(script.sql, start + leading) });
  }
  return statements;
}

/** Statements that would break "one migration, one transaction", as `file:line KEYWORD`. */
export function findTransactionControl(script: SqlScript, statements: readonly Statement[]): string[] {
  if (!script.transactional) return [];
  return statements
    .map((statement) => ({ statement, code: statement.text.replace(LEADING_COMMENTS, '') }))
    .filter(({ code }) => TRANSACTION_CONTROL.test(code))
    .map(({ statement, code }) => `${script.file} line ${statement.line} (${(TRANSACTION_CONTROL.exec(code) as RegExpExecArray)[0].toUpperCase()})`);
}

/** 1-based line of a 0-based offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) line++;
  return line;
}

/**
 * The file line of PostgreSQL's error position (1-based, in characters of the
 * statement as sent), or the statement's own line when there is none.
 */
export function errorLine(statement: Statement, position: string | number | undefined): number {
  const characters = Number(position);
  if (!Number.isInteger(characters) || characters < 1) return statement.line;
  const before = Array.from(statement.text).slice(0, characters - 1).join('');
  const leading = (LEADING_COMMENTS.exec(statement.text)?.[0] ?? '').length;
  return statement.line + lineAt(before, before.length) - lineAt(statement.text, leading);
}
