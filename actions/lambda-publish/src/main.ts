import * as core from '@actions/core';
import { ActionFailure, addTable, code, describeError, escapeHtml, phase, writeSummary, type Cell } from '@deploy-suite/kit';
import pLimit from 'p-limit';
import { rollbackAlias } from './alias.js';
import { createClients, type Clients } from './clients.js';
import { Output } from './constants.js';
import { deployFunction, newReport, type DeployContext, type FunctionReport } from './deploy.js';
import { getInputs, type Inputs } from './inputs.js';
import type { Logger } from './lambda.js';
import { formatBytes, prepare, type Prepared } from './prepare.js';
import { pruneVersions } from './versions.js';

const log: Logger = { info: core.info, warning: core.warning };

export async function run(): Promise<void> {
  const inputs = getInputs();
  const clients = createClients(inputs.region);
  const limit = pLimit(inputs.parallel);
  const prepared = await phase('Check the functions and build the packages', () => checkAll(inputs, clients, limit));
  const reports = prepared.map(newReport);
  const context: DeployContext = { clients, log, wait: inputs.wait, deadline: () => ({ at: Date.now() + inputs.waitTimeoutMs, pollMs: 1_000 }) };
  let failed: string[] = [];
  try {
    failed = await phase('Publish', () => deployAll(prepared, reports, context, limit));
    if (failed.length > 0 && inputs.rollback === 'on-failure') await phase('Roll back', () => rollbackAll(prepared, reports, context));
    if (failed.length === 0) await phase('Delete old versions', () => pruneAll(prepared, reports, clients));
  } finally {
    setOutputs(reports);
    await summarize(reports);
  }
  if (failed.length > 0) throw new ActionFailure(failureMessage(failed, reports, inputs));
}

/** The first failure, how many there were, and where the aliases this step moved were left. */
function failureMessage(failed: string[], reports: FunctionReport[], inputs: Inputs): string {
  const others = failed.length > 1 ? ` (and ${failed.length - 1} more failed function${failed.length > 2 ? 's' : ''}: see the summary)` : '';
  const aliasOf = (report: FunctionReport): string => `alias "${report.alias}"${reports.length > 1 ? ` of ${report.functionName}` : ''}`;
  const rolledBack = reports.filter((report) => report.rolledBack).map((report) => `${aliasOf(report)} serves version ${report.previousVersion} again`);
  const left = reports.filter((report) => report.aliasMoved && !report.rolledBack).map((report) => `${aliasOf(report)} was left as this step set it`);
  const aftermath = [...(rolledBack.length > 0 ? [`rolled back: ${rolledBack.join(', ')}`] : []), ...(left.length > 0 ? [`${inputs.rollback === 'never' ? 'rollback is "never": ' : ''}${left.join(', ')}`] : [])];
  return `${failed[0]}${others}${aftermath.length > 0 ? `; ${aftermath.join('; ')}` : ''}`;
}

function checkAll(inputs: Inputs, clients: Clients, limit: ReturnType<typeof pLimit>): Promise<Prepared[]> {
  return Promise.all(inputs.functions.map((spec) => limit(() => prepare(spec, clients, log))));
}

/** Deploys every function; returns one line per failed function. */
async function deployAll(prepared: Prepared[], reports: FunctionReport[], context: DeployContext, limit: ReturnType<typeof pLimit>): Promise<string[]> {
  const settled = await Promise.allSettled(prepared.map((item, index) => limit(() => deployFunction(item, context, reports[index] as FunctionReport))));
  const failed: string[] = [];
  settled.forEach((result, index) => {
    if (result.status === 'fulfilled') return;
    const report = reports[index] as FunctionReport;
    report.outcome = 'failed';
    report.detail = describeError(result.reason);
    failed.push(prepared.length > 1 && !report.detail.startsWith(report.functionName) ? `${report.functionName}: ${report.detail}` : report.detail);
  });
  return failed;
}

/**
 * After any failure, every alias this step moved goes back: the failed
 * function's, and with several functions the others' too, so the set of
 * functions is left as it was rather than half-deployed.
 */
async function rollbackAll(prepared: Prepared[], reports: FunctionReport[], context: DeployContext): Promise<void> {
  for (const [index, item] of prepared.entries()) {
    const report = reports[index] as FunctionReport;
    try {
      await rollbackAlias({ ...context, prepared: item, report });
    } catch (error) {
      core.error(`${report.functionName}: the rollback failed: ${describeError(error)}; alias "${item.spec.alias}" may still route to version ${report.version}`);
    }
  }
}

async function pruneAll(prepared: Prepared[], reports: FunctionReport[], clients: Clients): Promise<void> {
  for (const [index, item] of prepared.entries()) {
    if (item.spec.keepVersions === undefined) continue;
    const report = reports[index] as FunctionReport;
    try {
      report.deletedVersions = await pruneVersions(clients.lambda, item.spec.functionName, item.spec.keepVersions, [report.previousVersion, report.version], log);
    } catch (error) {
      // Tidying up is worth a warning, never a failed deploy.
      core.warning(`${report.functionName}: old versions were not deleted: ${describeError(error)}`);
    }
  }
}

function resultOf(report: FunctionReport): Record<string, unknown> {
  return {
    version: report.version ?? '',
    'previous-version': report.previousVersion ?? '',
    'alias-arn': report.aliasArn ?? '',
    'code-sha256': report.codeSha256 ?? '',
    changed: report.changed,
    'rolled-back': report.rolledBack,
    outcome: report.outcome ?? 'not started',
    ...(report.canary ? { canary: report.canary } : {}),
    ...(report.deletedVersions.length > 0 ? { 'deleted-versions': report.deletedVersions } : {}),
    ...(report.detail ? { error: report.detail } : {}),
  };
}

function setOutputs(reports: FunctionReport[]): void {
  core.setOutput(Output.Results, JSON.stringify(Object.fromEntries(reports.map((report) => [report.functionName, resultOf(report)]))));
  core.setOutput(Output.Changed, String(reports.some((report) => report.changed)));
  core.setOutput(Output.RolledBack, String(reports.some((report) => report.rolledBack)));
  const [only] = reports;
  if (reports.length !== 1 || !only) return;
  core.setOutput(Output.Version, only.version ?? '');
  core.setOutput(Output.PreviousVersion, only.previousVersion ?? '');
  core.setOutput(Output.AliasArn, only.aliasArn ?? '');
  core.setOutput(Output.CodeSha256, only.codeSha256 ?? '');
}

const OUTCOMES: Record<NonNullable<FunctionReport['outcome']>, string> = {
  published: '✅ published',
  unchanged: '⏭️ unchanged, skipped',
  updated: '✅ $LATEST updated (not published)',
  pointed: '✅ alias moved',
  failed: '❌ failed',
  'rolled-back': '↩️ failed, rolled back',
};

async function summarize(reports: FunctionReport[]): Promise<void> {
  if (reports.length === 0) return;
  core.summary.addHeading('Lambda publish', 3);
  const rows: Cell[][] = reports.map((report) => [
    code(report.functionName),
    report.alias ?? '—',
    `${report.previousVersion ?? '—'} → ${report.version ?? '—'}`,
    report.codeSha256 ? { html: `${report.codeSize !== undefined ? `${escapeHtml(formatBytes(report.codeSize))}<br>` : ''}<code>${escapeHtml(report.codeSha256)}</code>` } : '—',
    `${report.outcome ? OUTCOMES[report.outcome] : 'not started'}${report.detail ? `: ${report.detail}` : ''}`,
    report.canary ?? '—',
  ]);
  addTable(['Function', 'Alias', 'Version', 'Code', 'Outcome', 'Canary'], rows);
  const deleted = reports.filter((report) => report.deletedVersions.length > 0);
  if (deleted.length > 0) core.summary.addRaw(`<p>Deleted old versions: ${deleted.map((report) => `${escapeHtml(report.functionName)} ${report.deletedVersions.join(', ')}`).join('; ')}</p>`);
  await writeSummary();
}
