import * as core from '@actions/core';
import { ActionFailure, ConfigurationError, addTable, code, coreLogger, escapeHtml, formatDuration, phase, writeSummary, type Cell } from '@deploy-suite/kit';
import { backupDatabase, type BackupResult } from './backup.js';
import { runMigrationCommand } from './command.js';
import type { Session } from './connection.js';
import type * as EngineModule from './engine.js';
import { ACTION_NAME, Input, Output } from './constants.js';
import { getInputs, type Inputs, type Source } from './inputs.js';
import type { Migration, SqlScript } from './migrations.js';
import { describeTarget, passwordForms, redact } from './parse.js';
import { currentVersion, planRevert, planUp, verifyHistory, type AppliedMigration } from './plan.js';
import type { RunContext, RunReport, StepResult } from './runner.js';

/** pg and the SQL splitter, loaded once the inputs are read (engine.ts). */
type Engine = typeof EngineModule;

/** Lines quote file names and PostgreSQL's messages: coreLogger prints each as one inert line. */
const log = coreLogger();

export async function run(): Promise<void> {
  const inputs = getInputs();
  const engine = await import('./engine.js');
  if (inputs.source.kind === 'command') await runCommandMode(inputs, inputs.source, engine);
  else await runBuiltIn(inputs, inputs.source.directory, engine);
}

function connect(inputs: Inputs, engine: Engine): Promise<Session> {
  return phase(`Connect to ${describeTarget(inputs.database)}`, async () => {
    const session = await engine.openSession(inputs.database, {
      connectTimeoutMs: inputs.connectTimeoutMs,
      applicationName: `${ACTION_NAME} ${inputs.appliedBy}`.slice(0, 63),
      statementTimeoutMs: inputs.statementTimeoutMs,
      log,
    });
    log.info(`Connected to PostgreSQL ${session.serverVersion} as "${inputs.database.user}"`);
    return session;
  });
}

/** Runs `task` holding the migration lock (unless `lock` is false), and always closes the session. */
async function withSession<T>(inputs: Inputs, lock: boolean, engine: Engine, task: (session: Session) => Promise<T>): Promise<T> {
  const session = await connect(inputs, engine);
  const key = engine.lockKey(engine.displayName(inputs.historyTable));
  let locked = false;
  try {
    if (lock) {
      await phase('Take the migration lock', () =>
        engine.acquireLock(session.client, key, describeTarget(inputs.database), { timeoutMs: inputs.lockTimeoutMs, log }),
      );
      locked = true;
    }
    return await task(session);
  } finally {
    // Closing the session releases the lock anyway; unlocking first keeps the server log quiet.
    if (locked) await engine.releaseLock(session.client, key).catch(() => {});
    await session.close();
  }
}

async function runBuiltIn(inputs: Inputs, directory: string, engine: Engine): Promise<void> {
  const migrations = await phase('Read migrations', async () => readMigrations(directory, engine));
  await withSession(inputs, !inputs.dryRun, engine, async ({ client }) => {
    const plan = await phase('Check the history against the files', () => planRun(client, inputs, migrations, engine));
    if (inputs.dryRun) return reportDryRun(inputs, migrations, plan);
    const backup = await backUpBeforeChanges(inputs, plan);
    const context = { client, table: inputs.historyTable, commitSha: inputs.commitSha, appliedBy: inputs.appliedBy, statementTimeoutMs: inputs.statementTimeoutMs, log };
    const report = await runPlan(plan, context, engine);
    const version = versionAfter(plan, report);
    const undo = plan.toUndo.length > 0;
    setOutputs({
      applied: undo ? [] : report.done,
      reverted: undo ? report.done : [],
      pending: migrations.filter((migration) => !version.all.has(migration.version)).length,
      version: version.current,
      ...(backup ? { backupPath: backup.path } : {}),
    });
    await runSummary(inputs, { before: currentVersion(plan.applied), after: version.current, report, undo, planned: undo ? plan.toUndo : plan.toApply, backup });
    if (report.failure) throw failureAfter(report, undo, version.current);
  });
}

function readMigrations(directory: string, engine: Engine): Migration[] {
  const found = engine.loadMigrations(Input.Migrations, directory);
  const withDown = found.filter((migration) => migration.down).length;
  log.info(`${found.length} migration${found.length === 1 ? '' : 's'} in ${directory} (${withDown} with a down file)`);
  return found;
}

interface RunPlan {
  applied: AppliedMigration[];
  toApply: Migration[];
  deferred: Migration[];
  toUndo: Migration[];
}

/** Reads the history (a dry run creates no table), checks it against the files, and plans what to apply or undo. */
async function planRun(client: Session['client'], inputs: Inputs, migrations: Migration[], engine: Engine): Promise<RunPlan> {
  if (!inputs.dryRun) await engine.ensureHistory(client, inputs.historyTable);
  const history = !inputs.dryRun || (await engine.historyExists(client, inputs.historyTable)) ? await engine.readHistory(client, inputs.historyTable) : [];
  verifyHistory(migrations, history, engine.displayName(inputs.historyTable));
  log.info(`${history.length} applied (current version ${currentVersion(history) ?? 'none'}); all checksums match`);
  const up = inputs.revert > 0 ? { toApply: [], deferred: [] } : planUp(migrations, history, inputs.target, Input.Target);
  const undo = inputs.revert > 0 ? planRevert(migrations, history, inputs.revert, Input.Revert) : [];
  refuseTransactionControl([...up.toApply, ...undo.flatMap((migration) => (migration.down ? [migration.down] : []))], engine);
  for (const migration of up.toApply) log.info(`pending: ${migration.file}${migration.transactional ? '' : ' (no transaction)'}`);
  for (const migration of up.deferred) log.info(`left for later (beyond target ${inputs.target}): ${migration.file}`);
  for (const migration of undo) log.info(`to undo: ${migration.file} with ${migration.down?.file}`);
  return { applied: history, toApply: up.toApply, deferred: up.deferred, toUndo: undo };
}

function refuseTransactionControl(scripts: SqlScript[], engine: Engine): void {
  const misplaced = scripts.flatMap((script) => engine.findTransactionControl(script, engine.splitStatements(script)));
  if (misplaced.length === 0) return;
  throw new ConfigurationError(
    `input "${Input.Migrations}": each migration runs in its own transaction, so transaction control is not allowed in it: ${misplaced.join(', ')}. ` +
      'Remove it, or start the file with "-- no-transaction" to run it statement by statement',
  );
}

async function reportDryRun(inputs: Inputs, migrations: Migration[], plan: RunPlan): Promise<void> {
  setOutputs({ applied: [], reverted: [], pending: migrations.length - plan.applied.length, version: currentVersion(plan.applied) });
  log.info(`Dry run: ${describePlan(plan.toApply.length, plan.toUndo.length)} would run; nothing was changed.`);
  await dryRunSummary(inputs, plan.toApply, plan.deferred, plan.toUndo, plan.applied);
}

/** The backup, when one is asked for and anything will run. */
async function backUpBeforeChanges(inputs: Inputs, plan: RunPlan): Promise<BackupResult | undefined> {
  const file = inputs.backupPath;
  if (!file) return undefined;
  if (plan.toApply.length + plan.toUndo.length === 0) {
    log.info('Nothing to migrate: no backup taken');
    return undefined;
  }
  return phase('Back up the database', () => backUp(inputs, file));
}

async function runPlan(plan: RunPlan, context: RunContext, engine: Engine): Promise<RunReport> {
  const count = (n: number): string => `${n} migration${n === 1 ? '' : 's'}`;
  if (plan.toUndo.length > 0) return phase(`Undo ${count(plan.toUndo.length)}`, () => engine.revertMigrations(plan.toUndo, context));
  if (plan.toApply.length > 0) return phase(`Apply ${count(plan.toApply.length)}`, () => engine.applyMigrations(plan.toApply, context));
  log.info(`Up to date: nothing to apply (version ${currentVersion(plan.applied) ?? 'none'})`);
  return { done: [] };
}

/** The applied versions after the run, and the highest of them. */
function versionAfter(plan: RunPlan, report: RunReport): { all: Set<bigint>; current: bigint | undefined } {
  const all = new Set(plan.applied.map((row) => row.version));
  for (const step of report.done) {
    if (plan.toUndo.length > 0) all.delete(step.version);
    else all.add(step.version);
  }
  const current = [...all].reduce<bigint | undefined>((max, value) => (max === undefined || value > max ? value : max), undefined);
  return { all, current };
}

/** A migration failed: what it said, what of this run stays, and where the database is. */
function failureAfter(report: RunReport, undo: boolean, version: bigint | undefined): ActionFailure {
  const done = report.done.length;
  const kept = done === 0 ? '' : ` ${done} earlier migration${done === 1 ? '' : 's'} of this run ${done === 1 ? 'stays' : 'stay'} ${undo ? 'undone' : 'applied'};`;
  return new ActionFailure(`${report.failure?.message};${kept} the database is at version ${version ?? 'none'}`);
}

async function runCommandMode(inputs: Inputs, source: Extract<Source, { kind: 'command' }>, engine: Engine): Promise<void> {
  const shownCommand = redact(source.command, passwordForms(inputs.database));
  await withSession(inputs, true, engine, async () => {
    let backup: BackupResult | undefined;
    if (inputs.backupPath) {
      const file = inputs.backupPath;
      backup = await phase('Back up the database', () => backUp(inputs, file));
      core.setOutput(Output.BackupPath, backup.path);
    }
    const result = await phase(`Run: ${shownCommand}`, () =>
      runMigrationCommand(source.command, { workingDirectory: source.workingDirectory, databaseUrl: inputs.database.url, timeoutMs: source.timeoutMs, log }),
    );
    core.setOutput(Output.ExitCode, String(result.exitCode));
    core.summary.addHeading(`${ACTION_NAME}: ${escapeHtml(describeTarget(inputs.database))}`, 3);
    addTable(
      ['Command', 'Exit code', 'Duration', 'Backup'],
      [[code(shownCommand), result.exitCode, formatDuration(result.durationMs), backup ? code(backup.path) : 'none']],
    );
    await writeSummary();
    if (result.exitCode !== 0) throw new ActionFailure(`the command exited with code ${result.exitCode} after ${formatDuration(result.durationMs)} (its output is above)`);
    log.info(`The command finished in ${formatDuration(result.durationMs)}`);
  });
}

async function backUp(inputs: Inputs, file: string): Promise<BackupResult> {
  const backup = await backupDatabase(inputs.database, file, log);
  log.info(`Backup written: ${backup.path} (${backup.bytes} bytes in ${formatDuration(backup.durationMs)})`);
  return backup;
}

function setOutputs(values: { applied: StepResult[]; reverted: StepResult[]; pending: number; version: bigint | undefined; backupPath?: string }): void {
  const asJson = (steps: StepResult[]): string =>
    JSON.stringify(steps.map((step) => ({ version: step.version.toString(), name: step.name, file: step.file, durationMs: Math.round(step.durationMs) })));
  core.setOutput(Output.Applied, asJson(values.applied));
  core.setOutput(Output.Reverted, asJson(values.reverted));
  core.setOutput(Output.Pending, String(values.pending));
  core.setOutput(Output.Version, values.version?.toString() ?? '');
  core.setOutput(Output.BackupPath, values.backupPath ?? '');
}

function describePlan(up: number, down: number): string {
  if (down > 0) return `${down} down migration${down === 1 ? '' : 's'}`;
  return `${up} migration${up === 1 ? '' : 's'}`;
}

async function dryRunSummary(inputs: Inputs, toApply: Migration[], deferred: Migration[], toUndo: Migration[], applied: AppliedMigration[]): Promise<void> {
  core.summary.addHeading(`${ACTION_NAME} (dry run): ${escapeHtml(describeTarget(inputs.database))}`, 3);
  core.summary.addRaw(
    `<p>Current version ${escapeHtml(String(currentVersion(applied) ?? 'none'))}. ${escapeHtml(describePlan(toApply.length, toUndo.length))} would run; nothing was changed.</p>`,
    true,
  );
  const rows: Cell[][] = [
    ...toUndo.map((migration): Cell[] => [String(migration.version), code(migration.down?.file ?? ''), migration.down?.transactional ? 'yes' : 'no', 'would undo']),
    ...toApply.map((migration): Cell[] => [String(migration.version), code(migration.file), migration.transactional ? 'yes' : 'no', 'would apply']),
    ...deferred.map((migration): Cell[] => [String(migration.version), code(migration.file), migration.transactional ? 'yes' : 'no', 'beyond target']),
  ];
  if (rows.length > 0) addTable(['Version', 'File', 'Transaction', 'Plan'], rows);
  await writeSummary();
}

async function runSummary(
  inputs: Inputs,
  run: { before?: bigint; after?: bigint; report: RunReport; undo: boolean; planned: Migration[]; backup?: BackupResult },
): Promise<void> {
  const { report } = run;
  const total = report.done.reduce((sum, step) => sum + step.durationMs, 0);
  const verb = run.undo ? 'undone' : 'applied';
  core.summary.addHeading(`${ACTION_NAME}: ${escapeHtml(describeTarget(inputs.database))}`, 3);
  core.summary.addRaw(
    `<p>Version ${escapeHtml(String(run.before ?? 'none'))} → ${escapeHtml(String(run.after ?? 'none'))}: ${report.done.length} migration${report.done.length === 1 ? '' : 's'} ${verb} in ${escapeHtml(formatDuration(total))}` +
      `${report.failure ? '; <strong>a migration failed</strong>' : ''}.${run.backup ? ` Backup: <code>${escapeHtml(run.backup.path)}</code> (${run.backup.bytes} bytes).` : ''}</p>`,
    true,
  );
  if (run.planned.length > 0) {
    const rows = run.planned.map((migration, index): Cell[] => {
      const step = report.done[index];
      const file = run.undo ? (migration.down?.file ?? migration.file) : migration.file;
      const status = step ? verb : index === report.done.length && report.failure ? 'failed' : 'not run';
      // core.summary renders an empty cell as an unclosed <td>.
      return [String(migration.version), code(file), step ? formatDuration(step.durationMs) : '–', status];
    });
    addTable(['Version', 'File', 'Duration', 'Result'], rows);
  }
  if (report.failure) core.summary.addRaw(`<p>${escapeHtml(report.failure.message)}</p>`, true);
  await writeSummary();
}
