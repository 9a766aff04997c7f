export const id = 563;
export const ids = [563];
export const modules = {

/***/ 3563:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  acquireLock: () => (/* reexport */ acquireLock),
  applyMigrations: () => (/* reexport */ applyMigrations),
  displayName: () => (/* reexport */ displayName),
  ensureHistory: () => (/* reexport */ ensureHistory),
  findTransactionControl: () => (/* reexport */ findTransactionControl),
  historyExists: () => (/* reexport */ historyExists),
  loadMigrations: () => (/* reexport */ loadMigrations),
  lockKey: () => (/* reexport */ lockKey),
  openSession: () => (/* reexport */ openSession),
  readHistory: () => (/* reexport */ readHistory),
  releaseLock: () => (/* reexport */ releaseLock),
  revertMigrations: () => (/* reexport */ revertMigrations),
  splitStatements: () => (/* reexport */ splitStatements)
});

// EXTERNAL MODULE: ../../packages/kit/src/index.ts + 16 modules
var src = __webpack_require__(6325);
// EXTERNAL MODULE: ../../node_modules/.pnpm/pg@8.23.1/node_modules/pg/esm/index.mjs
var esm = __webpack_require__(2293);
// EXTERNAL MODULE: ./src/parse.ts
var parse = __webpack_require__(1356);
;// CONCATENATED MODULE: ./src/connection.ts
/**
 * One PostgreSQL session for the whole run. Connecting retries what is
 * transient (a server starting, a port not yet open) until connect-timeout,
 * and every failure names host, port and database, never the password, and
 * says what to check.
 */



const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', '57P03', '53300']);
/** Sorts a connection error into retry-or-not, with what the user should check. */
function classifyConnectError(error, target) {
    const code = error.code ?? '';
    const message = (0,src/* describeError */.Uc)(error);
    const transient = TRANSIENT_CODES.has(code) || /timeout expired|Connection terminated (?:unexpectedly|due to connection timeout)/i.test(message);
    switch (code) {
        case 'ECONNREFUSED':
            return { transient, reason: 'connection refused', hint: 'check the host and port, and that the server is running and listening there' };
        case 'ENOTFOUND':
            return { transient: false, reason: `the host name "${target.host}" does not resolve`, hint: 'check the host in database-url (and, for a private host, that the runner is inside its network)' };
        case 'EAI_AGAIN':
            return { transient, reason: `the host name "${target.host}" could not be resolved (DNS did not answer)`, hint: "check the runner's DNS and network" };
        case 'ETIMEDOUT':
        case 'EHOSTUNREACH':
        case 'ENETUNREACH':
            return { transient, reason: `no route or no answer (${code})`, hint: 'check that the runner can reach the host: security group, firewall, VPC (a GitHub-hosted runner needs a public endpoint)' };
        case '28P01':
            return { transient: false, reason: `password authentication failed for user "${target.user}"`, hint: 'check the user and password in database-url' };
        case '28000':
            return { transient: false, reason: `the server rejected the login: ${message}`, hint: "check pg_hba.conf allows this client, and whether the server requires SSL (add ?sslmode=require to database-url)" };
        case '3D000':
            return { transient: false, reason: `database "${target.database}" does not exist`, hint: 'check the database name in database-url, or create the database first' };
        case '57P03':
            return { transient, reason: 'the server is starting up or shutting down', hint: 'wait for the server to finish starting' };
        case '53300':
            return { transient, reason: 'the server has no free connection slots', hint: 'check max_connections and connection poolers' };
        default:
            if (/ssl|tls|certificate/i.test(message)) {
                return { transient: false, reason: `SSL negotiation failed: ${message}`, hint: 'check sslmode in database-url and the server certificate' };
            }
            return { transient, reason: message, hint: 'check database-url and that the server is reachable from the runner' };
    }
}
async function openSession(target, options) {
    const where = `PostgreSQL at ${(0,parse/* describeTarget */.ff)(target)} (user "${target.user}")`;
    const started = Date.now();
    let lastFailure;
    let retrying = false;
    let client;
    try {
        client = await (0,src/* waitUntil */.a0)(async () => {
            const remaining = Math.max(1_000, options.connectTimeoutMs - (Date.now() - started));
            const candidate = new esm/* default.Client */.Ay.Client({
                connectionString: target.url,
                application_name: options.applicationName,
                connectionTimeoutMillis: Math.min(remaining, 15_000),
            });
            // An error event with no listener would crash the process (e.g. the server going away while idle).
            candidate.on('error', () => { });
            try {
                await candidate.connect();
                return { done: true, value: candidate };
            }
            catch (error) {
                await candidate.end().catch(() => { });
                lastFailure = classifyConnectError(error, target);
                if (!lastFailure.transient)
                    throw new src/* ActionFailure */.dR(`could not connect to ${where}: ${lastFailure.reason}; ${lastFailure.hint}`);
                if (!retrying)
                    options.log.info(`Could not connect yet (${lastFailure.reason}); retrying for up to ${(0,src/* formatDuration */.a3)(options.connectTimeoutMs)} (connect-timeout)`);
                retrying = true;
                return { done: false, status: lastFailure.reason };
            }
        }, {
            description: `a connection to ${where}`,
            timeoutMs: options.connectTimeoutMs,
            initialDelayMs: 250,
            maxDelayMs: 2_000,
            progressIntervalMs: 5_000,
            progress: (line) => options.log.info(line),
        });
    }
    catch (error) {
        if (error instanceof src/* WaitTimeoutError */.Do && lastFailure) {
            throw new src/* ActionFailure */.dR(`could not connect to ${where} within ${(0,src/* formatDuration */.a3)(error.elapsedMs)} (connect-timeout): ${lastFailure.reason}; ${lastFailure.hint}`);
        }
        throw error;
    }
    return prepareSession(client, where, options.statementTimeoutMs);
}
/** Sets the session's statement timeout and (PostgreSQL 14+) its check for a vanished client; reads the server version. */
async function prepareSession(client, where, statementTimeoutMs) {
    try {
        const settings = await client.query(`SELECT current_setting('server_version') AS server_version, current_setting('server_version_num')::int AS version_num,
              set_config('statement_timeout', $1, false)`, [`${statementTimeoutMs}ms`]);
        const row = settings.rows[0];
        // Without this a backend only notices a vanished client (a killed runner) when its statement ends,
        // and keeps the migration lock and its transaction until then.
        if (row.version_num >= 140_000)
            await client.query(`SET client_connection_check_interval = '1s'`);
        return {
            client,
            serverVersion: row.server_version,
            close: () => client.end().catch(() => { }),
        };
    }
    catch (error) {
        await client.end().catch(() => { });
        throw new src/* ActionFailure */.dR(`connected to ${where} but could not prepare the session: ${(0,src/* describeError */.Uc)(error)}`);
    }
}

;// CONCATENATED MODULE: ./src/history.ts
/**
 * The history table: one row per applied migration (version, name, checksum,
 * when, how long, from which commit and run). A migration's row is written in
 * the migration's own transaction, so the two never disagree.
 */


function qualifiedName(table) {
    return table.schema ? `${(0,esm/* escapeIdentifier */.F)(table.schema)}.${(0,esm/* escapeIdentifier */.F)(table.table)}` : (0,esm/* escapeIdentifier */.F)(table.table);
}
function displayName(table) {
    return table.schema ? `${table.schema}.${table.table}` : table.table;
}
const COLUMNS = ['version', 'name', 'checksum', 'applied_at', 'duration_ms', 'commit_sha', 'applied_by'];
/** A refusal from the server (no CREATE on the schema, no SELECT on the table) as one explained line. */
async function onHistory(table, doing, task) {
    try {
        return await task();
    }
    catch (error) {
        if (error instanceof src/* ActionFailure */.dR)
            throw error;
        const denied = error.code === '42501' ? '; the user in database-url needs the rights to create and write that table (or choose another with "history-table")' : '';
        throw new src/* ActionFailure */.dR(`could not ${doing} the history table ${displayName(table)}: ${(0,src/* describeError */.Uc)(error)}${denied}`);
    }
}
function historyExists(client, table) {
    return onHistory(table, 'look for', async () => {
        const result = await client.query('SELECT to_regclass($1) IS NOT NULL AS exists', [qualifiedName(table)]);
        return result.rows[0]?.exists === true;
    });
}
/** Creates the table when missing; an existing table of another tool's shape is an error, not a guess. */
function ensureHistory(client, table) {
    return onHistory(table, 'create', () => createHistory(client, table));
}
async function createHistory(client, table) {
    if (table.schema)
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${(0,esm/* escapeIdentifier */.F)(table.schema)}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${qualifiedName(table)} (
    version bigint PRIMARY KEY,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    duration_ms integer NOT NULL,
    commit_sha text,
    applied_by text
  )`);
    const columns = await client.query(`SELECT attname AS column_name FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped`, [qualifiedName(table)]);
    const present = new Set(columns.rows.map((row) => row.column_name));
    const absent = COLUMNS.filter((column) => !present.has(column));
    if (absent.length > 0) {
        throw new src/* ActionFailure */.dR(`the table ${displayName(table)} exists but is not a db-migrate history table (no column ${absent.join(', ')}); ` +
            'another migration tool may own it: choose another name with "history-table"');
    }
}
function readHistory(client, table) {
    return onHistory(table, 'read', () => selectHistory(client, table));
}
async function selectHistory(client, table) {
    const result = await client.query(`SELECT version::text AS version, name, checksum, applied_at, duration_ms, commit_sha FROM ${qualifiedName(table)} ORDER BY version`);
    return result.rows.map((row) => ({
        version: BigInt(row.version),
        name: row.name,
        checksum: row.checksum,
        appliedAt: row.applied_at,
        durationMs: row.duration_ms,
        commitSha: row.commit_sha,
    }));
}
async function recordApplied(client, table, row) {
    await client.query(`INSERT INTO ${qualifiedName(table)} (version, name, checksum, duration_ms, commit_sha, applied_by) VALUES ($1, $2, $3, $4, $5, $6)`, [row.version.toString(), row.name, row.checksum, Math.round(row.durationMs), row.commitSha || null, row.appliedBy]);
}
async function recordReverted(client, table, version) {
    await client.query(`DELETE FROM ${qualifiedName(table)} WHERE version = $1`, [version.toString()]);
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/lock.ts
/**
 * One run at a time per database: a session-level advisory lock held for the
 * whole run. It lives and dies with the session, so a crashed runner cannot
 * leave it behind. A run that finds it taken says who holds it and waits up to
 * lock-timeout.
 */


/** A stable 64-bit key per history table: runs that share a history serialise. */
function lockKey(historyTable) {
    return (0,external_node_crypto_.createHash)('sha256').update(`deploy-suite/db-migrate:${historyTable}`).digest().readBigInt64BE(0);
}
async function tryLock(client, key) {
    const result = await client.query('SELECT pg_try_advisory_lock($1::bigint) AS locked', [key.toString()]);
    return result.rows[0]?.locked === true;
}
/** Who holds the lock, from pg_locks (a bigint key shows as classid = high half, objid = low half). */
async function describeHolder(client, key) {
    const unsigned = BigInt.asUintN(64, key);
    const result = await client.query(`SELECT a.pid, a.application_name, a.backend_start, a.state
       FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND l.classid = $1::bigint::oid AND l.objid = $2::bigint::oid
      LIMIT 1`, [(unsigned >> 32n).toString(), (unsigned & 0xffffffffn).toString()]);
    const holder = result.rows[0];
    if (!holder)
        return 'a session that just released it';
    // Without pg_read_all_stats, another user's session shows its pid but not always the rest.
    const application = holder.application_name ? ` (${holder.application_name})` : '';
    const since = holder.backend_start ? `, connected since ${holder.backend_start.toISOString()}` : '';
    return `server process ${holder.pid}${application}${since}${holder.state ? `, ${holder.state}` : ''}`;
}
async function acquireLock(client, key, database, options) {
    if (await tryLock(client, key)) {
        options.log.info(`Holding the migration lock of ${database} for the whole run`);
        return;
    }
    let holder = await describeHolder(client, key);
    options.log.info(`Another run holds the migration lock of ${database}: ${holder}. Waiting up to ${(0,src/* formatDuration */.a3)(options.timeoutMs)} (lock-timeout).`);
    try {
        await (0,src/* waitUntil */.a0)(async () => {
            if (await tryLock(client, key))
                return { done: true, value: undefined };
            holder = await describeHolder(client, key);
            return { done: false, status: `held by ${holder}` };
        }, {
            description: `the migration lock of ${database}`,
            timeoutMs: options.timeoutMs,
            initialDelayMs: 100,
            maxDelayMs: 1_000,
            progressIntervalMs: options.progressIntervalMs ?? 15_000,
            progress: (line) => options.log.info(line),
        });
    }
    catch (error) {
        if (!(error instanceof src/* WaitTimeoutError */.Do))
            throw error;
        throw new src/* ActionFailure */.dR(`another run held the migration lock of ${database} for all of lock-timeout (${(0,src/* formatDuration */.a3)(options.timeoutMs)}); nothing was run. ` +
            `Holder: ${holder}. Let that run finish and re-run, or raise lock-timeout; if no run is active the holder is a stuck session ` +
            `(pg_terminate_backend on its process id ends it)`);
    }
    options.log.info(`Got the migration lock of ${database}; holding it for the whole run`);
}
async function releaseLock(client, key) {
    await client.query('SELECT pg_advisory_unlock($1::bigint)', [key.toString()]);
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ../../node_modules/.pnpm/dbgate-query-splitter@4.12.0/node_modules/dbgate-query-splitter/lib/index.js
var lib = __webpack_require__(1784);
// EXTERNAL MODULE: ./src/constants.ts
var constants = __webpack_require__(4426);
;// CONCATENATED MODULE: ./src/migrations.ts
/**
 * Reads a directory of SQL migrations: `NNN_name.sql` or `VNNN__name.sql`,
 * each with an optional `<same name>.down.sql`. Every problem in the directory
 * is reported at once, before anything touches the database.
 */






const UP_OR_DOWN = /^(?:V(\d+)__|(\d+)_)(.+?)(\.down)?\.sql$/i;
const NAME_FORM = 'NNN_name.sql, NNN_name.down.sql or VNNN__name.sql (NNN: digits)';
/** What a directory entry is, following links: a link that leads nowhere is a problem to report, not a crash. */
function entryKind(file) {
    try {
        const stats = (0,external_node_fs_.statSync)(file, { throwIfNoEntry: false });
        if (!stats)
            return 'a broken symbolic link';
        return stats.isFile() ? 'file' : 'other';
    }
    catch {
        return 'a symbolic link that cannot be followed (a loop)';
    }
}
/** Reads and validates the directory; versions ascend in the result. */
function loadMigrations(inputName, directory) {
    let entries;
    try {
        if (!(0,external_node_fs_.statSync)(directory).isDirectory())
            throw new Error('not a directory');
        entries = (0,external_node_fs_.readdirSync)(directory);
    }
    catch {
        throw new src/* ConfigurationError */.j1(`input "${inputName}" must be a directory of SQL migrations; "${directory}" is not a directory`);
    }
    const problems = [];
    const realDirectory = (0,external_node_fs_.realpathSync)(directory);
    const ups = new Map();
    const downs = new Map();
    for (const file of entries.sort()) {
        if (file.startsWith('.') || !/\.sql$/i.test(file))
            continue;
        const kind = entryKind(external_node_path_default().join(directory, file));
        if (kind !== 'file') {
            if (kind !== 'other')
                problems.push(`"${file}" is ${kind}`);
            continue;
        }
        // A link out of the directory would run SQL the user never put among the migrations.
        if (!(0,src/* isInside */.FK)(realDirectory, (0,external_node_fs_.realpathSync)(external_node_path_default().join(directory, file)))) {
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
    for (const [kind, bucket] of [['migration', ups], ['down migration', downs]]) {
        for (const [version, files] of bucket) {
            if (files.length > 1)
                problems.push(`${files.length} ${kind} files have version ${version} (${files.join(', ')}): versions must be unique`);
        }
    }
    for (const [version, files] of downs) {
        if (!ups.has(version))
            problems.push(`down migration "${files[0]}" has no migration of version ${version} to undo`);
    }
    if (problems.length > 0) {
        throw new src/* ConfigurationError */.j1(`input "${inputName}": the migrations in "${directory}" have ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}: ${problems.join('; ')}`);
    }
    const migrations = [];
    for (const [version, [file]] of ups) {
        const script = readScript(directory, file);
        const downFile = downs.get(version)?.[0];
        migrations.push({
            ...script,
            version,
            name: UP_OR_DOWN.exec(file)[3],
            checksum: checksum(script.sql),
            ...(downFile ? { down: readScript(directory, downFile) } : {}),
        });
    }
    return migrations.sort((a, b) => (a.version < b.version ? -1 : 1));
}
function readScript(directory, file) {
    // Normalised so a checkout with CRLF line endings (or a BOM) is not "edited".
    const sql = (0,external_node_fs_.readFileSync)(external_node_path_default().join(directory, file), 'utf8').replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
    const firstLine = sql.split('\n', 1)[0] ?? '';
    return { file, sql, transactional: !constants/* NO_TRANSACTION_MARKER */.C2.test(firstLine) };
}
function checksum(sql) {
    return (0,external_node_crypto_.createHash)('sha256').update(sql).digest('hex');
}
const SPLITTER_OPTIONS = { ...lib.postgreSplitterOptions, returnRichInfo: true };
const LEADING_COMMENTS = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/;
const TRANSACTION_CONTROL = /^(?:BEGIN|COMMIT|ROLLBACK|END|ABORT|START\s+TRANSACTION|SAVEPOINT|RELEASE|PREPARE\s+TRANSACTION|COMMIT\s+PREPARED)\b/i;
/**
 * Splits a script into statements (dollar quotes, strings and comments
 * respected), each with the line of its first token, so an error can name the
 * line. Statements that are only comments are dropped.
 */
function splitStatements(script) {
    const statements = [];
    for (const item of (0,lib.splitQuery)(script.sql, SPLITTER_OPTIONS)) {
        const start = (item.trimStart ?? item.start).position;
        const leading = (LEADING_COMMENTS.exec(item.text)?.[0] ?? '').length;
        if (item.text.slice(leading).trim() === '')
            continue;
        statements.push({ text: item.text, line: lineAt(script.sql, start + leading) });
    }
    return statements;
}
/** Statements that would break "one migration, one transaction", as `file:line KEYWORD`. */
function findTransactionControl(script, statements) {
    if (!script.transactional)
        return [];
    return statements
        .map((statement) => ({ statement, code: statement.text.replace(LEADING_COMMENTS, '') }))
        .filter(({ code }) => TRANSACTION_CONTROL.test(code))
        .map(({ statement, code }) => `${script.file} line ${statement.line} (${TRANSACTION_CONTROL.exec(code)[0].toUpperCase()})`);
}
/** 1-based line of a 0-based offset. */
function lineAt(text, offset) {
    let line = 1;
    for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1))
        line++;
    return line;
}
/**
 * The file line of PostgreSQL's error position (1-based, in characters of the
 * statement as sent), or the statement's own line when there is none.
 */
function errorLine(statement, position) {
    const characters = Number(position);
    if (!Number.isInteger(characters) || characters < 1)
        return statement.line;
    const before = Array.from(statement.text).slice(0, characters - 1).join('');
    const leading = (LEADING_COMMENTS.exec(statement.text)?.[0] ?? '').length;
    return statement.line + lineAt(before, before.length) - lineAt(statement.text, leading);
}

;// CONCATENATED MODULE: ./src/runner.ts
/**
 * Runs migrations: each in its own transaction together with its history
 * row, so a failure leaves no trace of the failing migration and keeps the
 * earlier ones. `-- no-transaction` migrations run statement by statement
 * (CREATE INDEX CONCURRENTLY cannot run in a transaction).
 */



/** Where a statement failed, and what PostgreSQL said. */
function statementFailure(script, statement, error, context) {
    const details = error;
    const line = errorLine(statement, details.position);
    // A DatabaseError carries a severity and a five-character SQLSTATE; anything else came from the socket.
    const fromServer = details.severity !== undefined && /^[0-9A-Z]{5}$/.test(details.code ?? '');
    const timedOut = fromServer && details.code === '57014' && /statement timeout/i.test((0,src/* describeError */.Uc)(error));
    const reason = timedOut
        ? `the statement ran longer than statement-timeout (${(0,src/* formatDuration */.a3)(context.statementTimeoutMs)})`
        : fromServer
            ? `${(0,src/* describeError */.Uc)(error)} (SQLSTATE ${details.code})`
            : `the connection to the server was lost (${(0,src/* describeError */.Uc)(error)})`;
    // 25001: e.g. CREATE INDEX CONCURRENTLY, VACUUM, ALTER TYPE ... ADD VALUE (before PostgreSQL 12) in a transaction.
    const hint = fromServer && details.code === '25001' && script.transactional ? 'start the file with "-- no-transaction" to run it outside a transaction' : details.hint;
    return `${script.file} line ${line}: ${reason}${hint ? `; hint: ${hint}` : ''}`;
}
async function runScript(script, context, recordInTransaction) {
    const { client } = context;
    const statements = splitStatements(script);
    const started = performance.now();
    if (script.transactional) {
        await client.query('BEGIN');
        for (const statement of statements) {
            try {
                await client.query(statement.text);
            }
            catch (error) {
                await client.query('ROLLBACK').catch(() => { });
                return { failure: `${statementFailure(script, statement, error, context)}; its transaction was rolled back` };
            }
        }
        const durationMs = performance.now() - started;
        try {
            await recordInTransaction(durationMs);
        }
        catch (error) {
            await client.query('ROLLBACK').catch(() => { });
            return { failure: `${script.file}: could not record it in the history (${(0,src/* describeError */.Uc)(error)}); its transaction was rolled back` };
        }
        try {
            await client.query('COMMIT');
        }
        catch (error) {
            // The answer to COMMIT was lost: only the server knows whether it took effect.
            return { failure: `${script.file}: the connection failed during COMMIT (${(0,src/* describeError */.Uc)(error)}); check its row in the history table to see whether it was applied` };
        }
        return { durationMs };
    }
    for (const [index, statement] of statements.entries()) {
        try {
            await client.query(statement.text);
        }
        catch (error) {
            const kept = index === 0
                ? 'no statement of it had run'
                : `its first ${index} statement${index === 1 ? '' : 's'} (up to line ${statements[index - 1].line}) ran outside a transaction and stay applied; ` +
                    'undo or finish them by hand before re-running (a failed CREATE INDEX CONCURRENTLY leaves an INVALID index to drop)';
            return { failure: `${statementFailure(script, statement, error, context)}; it is marked no-transaction, so ${kept}` };
        }
    }
    const durationMs = performance.now() - started;
    try {
        await recordInTransaction(durationMs);
    }
    catch (error) {
        return { failure: `${script.file} ran completely but could not be recorded in the history (${(0,src/* describeError */.Uc)(error)}): record it by hand` };
    }
    return { durationMs };
}
/** Reports a migration that keeps running, at a steady rate. */
async function withProgress(label, context, task) {
    const interval = context.progressIntervalMs ?? 30_000;
    const started = Date.now();
    const timer = setInterval(() => context.log.info(`  ${label} is still running (${(0,src/* formatDuration */.a3)(Date.now() - started)} elapsed)`), interval);
    try {
        return await task();
    }
    finally {
        clearInterval(timer);
    }
}
async function applyMigrations(migrations, context) {
    const done = [];
    for (const migration of migrations) {
        context.log.info(`Applying ${migration.file}${migration.transactional ? '' : ' (no transaction)'}`);
        const outcome = await withProgress(migration.file, context, () => runScript(migration, context, (durationMs) => recordApplied(context.client, context.table, {
            version: migration.version,
            name: migration.name,
            checksum: migration.checksum,
            durationMs,
            commitSha: context.commitSha,
            appliedBy: context.appliedBy,
        })));
        if ('failure' in outcome)
            return { done, failure: new src/* ActionFailure */.dR(`migration ${outcome.failure}`) };
        done.push({ version: migration.version, name: migration.name, file: migration.file, transactional: migration.transactional, durationMs: outcome.durationMs });
        context.log.info(`  applied in ${(0,src/* formatDuration */.a3)(outcome.durationMs)}`);
    }
    return { done };
}
async function revertMigrations(migrations, context) {
    const done = [];
    for (const migration of migrations) {
        const down = migration.down;
        context.log.info(`Undoing ${migration.file} with ${down.file}${down.transactional ? '' : ' (no transaction)'}`);
        const outcome = await withProgress(down.file, context, () => runScript(down, context, () => recordReverted(context.client, context.table, migration.version)));
        if ('failure' in outcome)
            return { done, failure: new src/* ActionFailure */.dR(`down migration ${outcome.failure}`) };
        done.push({ version: migration.version, name: migration.name, file: down.file, transactional: down.transactional, durationMs: outcome.durationMs });
        context.log.info(`  undone in ${(0,src/* formatDuration */.a3)(outcome.durationMs)}`);
    }
    return { done };
}

;// CONCATENATED MODULE: ./src/engine.ts
/**
 * What talks to PostgreSQL (pg) and splits SQL (dbgate-query-splitter), in one module that main.ts loads
 * once the inputs are read: a bad input fails without loading either.
 */







/***/ })

};
