/**
 * The phases of a run once the inputs are read, over every function: check
 * and package, deploy, roll back, prune. main.ts imports this module only
 * after getInputs(), so a bad input fails without loading the Lambda SDK.
 */
import { describeError, type Logger } from '@deploy-suite/kit';
import type pLimit from 'p-limit';
import { rollbackAlias } from './alias.js';
import type { Clients } from './clients.js';
import { deployFunction, type DeployContext, type FunctionReport } from './deploy.js';
import type { Inputs } from './inputs.js';
import { prepare, preparePackage, type Prepared } from './prepare.js';
import { pruneVersions } from './versions.js';

export { createClients } from './clients.js';
export { newReport } from './deploy.js';

type Limit = ReturnType<typeof pLimit>;

/**
 * Every package first (a link out of a zip-directory, or a zip-file that is no zip, fails before any AWS
 * request), then what AWS holds for each function.
 */
export async function checkAll(inputs: Inputs, clients: Clients, limit: Limit, log: Logger): Promise<Prepared[]> {
  const packages = await Promise.all(inputs.functions.map((spec) => limit(() => preparePackage(spec, log))));
  return Promise.all(inputs.functions.map((spec, index) => limit(() => prepare(spec, packages[index], clients))));
}

/** Deploys every function; returns one line per failed function. */
export async function deployAll(prepared: Prepared[], reports: FunctionReport[], context: DeployContext, limit: Limit): Promise<string[]> {
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
 * functions is left as it was rather than half-deployed. A rollback that
 * fails is reported through `error` and the others still run.
 */
export async function rollbackAll(prepared: Prepared[], reports: FunctionReport[], context: DeployContext, error: (line: string) => void): Promise<void> {
  for (const [index, item] of prepared.entries()) {
    const report = reports[index] as FunctionReport;
    try {
      await rollbackAlias({ ...context, prepared: item, report });
    } catch (failure) {
      error(`${report.functionName}: the rollback failed: ${describeError(failure)}; alias "${item.spec.alias}" may still route to version ${report.version}`);
    }
  }
}

export async function pruneAll(prepared: Prepared[], reports: FunctionReport[], clients: Clients, log: Logger): Promise<void> {
  for (const [index, item] of prepared.entries()) {
    if (item.spec.keepVersions === undefined) continue;
    const report = reports[index] as FunctionReport;
    try {
      report.deletedVersions = await pruneVersions(clients.lambda, item.spec.functionName, item.spec.keepVersions, [report.previousVersion, report.version], log);
    } catch (failure) {
      // Tidying up is worth a warning, never a failed deploy.
      log.warning(`${report.functionName}: old versions were not deleted: ${describeError(failure)}`);
    }
  }
}
