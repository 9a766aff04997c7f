import * as core from '@actions/core';
import { ActionFailure, addTable, escapeHtml, formatDuration, phase, redactSecretsDeep, safeLogText, setSafeOutput, writeSummary } from '@deploy-suite/kit';
import { Input, Output } from './constants.js';
import { createDispatcher } from './http.js';
import { getInputs } from './inputs.js';
import { formatRate, runLoadProbe, type LoadReport } from './load.js';
import { runChecks } from './probe.js';
import { buildReport, CHECK_TABLE_HEADERS, checkRows, failureMessage, LOAD_TABLE_HEADERS, loadLines, loadRow } from './report.js';

export async function run(): Promise<void> {
  const inputs = getInputs();
  const deadline = Date.now() + inputs.timeoutMs;
  if (inputs.insecure) core.info(`TLS certificates are not verified (${Input.Insecure}: true).`);

  const count = inputs.checks.length;
  const results = await phase(`Checks: ${count} endpoint${count > 1 ? 's' : ''}, deadline ${formatDuration(inputs.timeoutMs)}`, async () => {
    const client = createDispatcher({ insecure: inputs.insecure, maxRedirects: inputs.maxRedirects, connectTimeoutMs: inputs.requestTimeoutMs });
    try {
      return await runChecks(inputs.checks, client, {
        deadline,
        intervalMs: inputs.intervalMs,
        consecutiveSuccesses: inputs.consecutiveSuccesses,
        requestTimeoutMs: inputs.requestTimeoutMs,
        // Lines quote what servers answered: redacted, and never a workflow command.
        log: (line) => core.info(safeLogText(line)),
      });
    } finally {
      await client.close();
    }
  });
  const checksPassed = results.every((result) => result.passed);

  let load: LoadReport | undefined;
  const loadInputs = inputs.load;
  if (loadInputs && checksPassed) {
    load = await phase(`Load probe: ${loadInputs.requests} requests at concurrency ${loadInputs.concurrency}`, async () => {
      const targets = results.map((result) => ({ check: result.check, url: result.last.finalUrl ?? result.check.url }));
      const report = await runLoadProbe(targets, { ...loadInputs, requestTimeoutMs: inputs.requestTimeoutMs, deadline, insecure: inputs.insecure });
      for (const line of loadLines(report)) core.info(safeLogText(line));
      return report;
    });
  } else if (loadInputs) {
    core.info('Load probe skipped: the checks did not pass.');
  }

  const report = buildReport(results, load);
  core.setOutput(Output.Passed, String(report.passed));
  // Outputs are not masked by the runner, and a later step may forward the report (to Slack, an artifact).
  setSafeOutput(Output.Report, JSON.stringify(redactSecretsDeep(report)));

  core.summary.addHeading(`Smoke test ${report.passed ? 'passed' : 'failed'}`, 3);
  addTable(CHECK_TABLE_HEADERS, checkRows(results));
  if (load && loadInputs) {
    core.summary.addHeading('Load probe', 4);
    addTable(LOAD_TABLE_HEADERS, [loadRow(load)]);
    const thresholds = [`max error rate ${formatRate(loadInputs.maxErrorRate)}`];
    if (loadInputs.maxP95Ms !== undefined) thresholds.push(`max p95 ${formatDuration(loadInputs.maxP95Ms)}`);
    core.summary.addRaw(`<p>Thresholds: ${escapeHtml(thresholds.join(', '))}</p>`, true);
  } else if (loadInputs) {
    core.summary.addRaw('<p>Load probe skipped: the checks did not pass.</p>', true);
  }
  await writeSummary();

  if (!report.passed) throw new ActionFailure(failureMessage(results, load));
  core.info(`All ${count} check${count > 1 ? 's' : ''} passed${load ? ' and the load probe met its thresholds' : ''}.`);
}
