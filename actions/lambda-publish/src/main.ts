import * as core from '@actions/core';
import { ActionFailure, addTable, code, coreLogger, escapeHtml, phase, redactSecretsDeep, setSafeOutput, writeSummary, type Cell } from '@deploy-suite/kit';
import pLimit from 'p-limit';
import { Output } from './constants.js';
import type { DeployContext, FunctionReport } from './deploy.js';
import { formatBytes } from './format.js';
import { getInputs, type Inputs } from './inputs.js';

// Lines quote Lambda's reasons and error messages: coreLogger prints each as one inert line.
const log = coreLogger();

export async function run(): Promise<void> {
  const inputs = getInputs();
  const limit = pLimit(inputs.parallel);
  const { publish, clients, prepared } = await phase('Check the functions and build the packages', async () => {
    // Only now the Lambda SDK and the modules that call it: a bad input fails without loading them.
    const publish = await import('./publish.js');
    const clients = publish.createClients(inputs.region);
    return { publish, clients, prepared: await publish.checkAll(inputs, clients, limit, log) };
  });
  const reports = prepared.map(publish.newReport);
  const context: DeployContext = { clients, log, wait: inputs.wait, deadline: () => ({ at: Date.now() + inputs.waitTimeoutMs, pollMs: 1_000 }) };
  let failed: string[] = [];
  try {
    failed = await phase('Publish', () => publish.deployAll(prepared, reports, context, limit));
    if (failed.length > 0 && inputs.rollback === 'on-failure') await phase('Roll back', () => publish.rollbackAll(prepared, reports, context, core.error));
    if (failed.length === 0) await phase('Delete old versions', () => publish.pruneAll(prepared, reports, clients, log));
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

/** Through setSafeOutput: an error in `results` may quote an environment value back (Lambda's 4 KB message does), and the runner masks logs, never outputs. */
function setOutputs(reports: FunctionReport[]): void {
  // Each string redacted before it is JSON-encoded, so a secret with a quote or a backslash is found too.
  setSafeOutput(Output.Results, JSON.stringify(redactSecretsDeep(Object.fromEntries(reports.map((report) => [report.functionName, resultOf(report)])))));
  setSafeOutput(Output.Changed, String(reports.some((report) => report.changed)));
  setSafeOutput(Output.RolledBack, String(reports.some((report) => report.rolledBack)));
  const [only] = reports;
  if (reports.length !== 1 || !only) return;
  setSafeOutput(Output.Version, only.version ?? '');
  setSafeOutput(Output.PreviousVersion, only.previousVersion ?? '');
  setSafeOutput(Output.AliasArn, only.aliasArn ?? '');
  setSafeOutput(Output.CodeSha256, only.codeSha256 ?? '');
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
