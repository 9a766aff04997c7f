import * as core from '@actions/core';
import { ActionFailure, addTable, code, escapeHtml, writeSummary } from '@deploy-suite/kit';
import { Output } from './constants.js';
import { createClient, createDeployment, findDeployments, getDeployment, type FoundDeployment } from './github.js';
import { getInputs, type Inputs } from './inputs.js';
import { collect, nextState, readRecords, restoreTo, saveRecord, type Collected } from './records.js';

export async function run(): Promise<void> {
  const inputs = getInputs();
  if (inputs.mode === 'save') return save(inputs);
  if (inputs.mode === 'collect') return collectRecords(inputs);
  if (inputs.mode === 'publish') return publish(inputs);
  return recall(inputs);
}

function save(inputs: Inputs): void {
  for (const record of inputs.saved) {
    const file = saveRecord(inputs.directory, record);
    core.info(`Recorded ${record.kind} ${record.name}: ${record.outcome} (${file})`);
  }
}

function setRollbackOutputs(result: Pick<Collected, 'rollbackServices' | 'rollbackFunctions'>): void {
  core.setOutput(Output.RollbackServices, JSON.stringify(result.rollbackServices));
  core.setOutput(Output.RollbackFunctions, JSON.stringify(result.rollbackFunctions));
}

async function collectRecords(inputs: Inputs): Promise<void> {
  const result = collect(readRecords(inputs.directory));
  core.setOutput(Output.Records, JSON.stringify(result.records));
  core.setOutput(Output.Results, result.results);
  core.setOutput(Output.Failed, String(result.failed));
  core.setOutput(Output.ScaledDown, String(result.scaledDown));
  core.setOutput(Output.Database, result.database);
  setRollbackOutputs(result);
  core.info(result.records.length === 0 ? 'No target was deployed.' : result.results);
  if (result.scaledDown) core.notice('Every service deployed is scaled to 0 (out of hours): it keeps its count, and there is nothing live to smoke-test.');
  if (result.records.length === 0) return;
  core.summary.addHeading('Deployed targets', 3);
  addTable(
    ['Target', 'Outcome', 'Before', 'After'],
    result.records.map((record) => [code(`${record.kind}.${record.name}`), escapeHtml(record.outcome), code(record.details.previous ?? '—'), code(record.details.current ?? '—')]),
  );
  await writeSummary();
}

async function publish(inputs: Inputs): Promise<void> {
  const octokit = await createClient(inputs.token!, inputs.apiUrl);
  const [last] = await findDeployments(octokit, inputs.repository, inputs.environment!, 1);
  const state = nextState(last?.payload?.state, inputs.records!);
  const id = await createDeployment(octokit, inputs.repository, {
    environment: inputs.environment!,
    sha: inputs.sha!,
    payload: { state, records: inputs.records! },
    description: `deploy-suite: ${Object.keys(state.services).length} service(s), ${Object.keys(state.functions).length} function(s)`,
    logUrl: inputs.runUrl,
  });
  core.setOutput(Output.DeploymentId, String(id));
  core.info(`Recorded deployment ${id} of ${inputs.sha} to ${inputs.environment}: the next run compares with this commit`);
}

async function recall(inputs: Inputs): Promise<void> {
  const octokit = await createClient(inputs.token!, inputs.apiUrl);
  const found = await findTarget(inputs, octokit);
  if (!found.payload) throw new ActionFailure(`deployment ${found.id} (${found.sha}) carries no deploy-suite record: it was not made by the deploy workflow`);
  const restore = restoreTo(found.payload.state);
  setRollbackOutputs(restore);
  core.setOutput(Output.Sha, found.sha);
  core.setOutput(Output.DeploymentId, String(found.id));
  core.info(`Deployment ${found.id} of ${found.sha} ran: ${[...restore.rollbackServices.map((s) => `${s.name}=${s['task-definition']}`), ...restore.rollbackFunctions.map((f) => `${f['function-name']}:${f.alias}=${f.version}`)].join(', ')}`);
}

/** `deployment`: an id, a commit SHA, or empty for the successful deployment before the last one. */
async function findTarget(inputs: Inputs, octokit: Awaited<ReturnType<typeof createClient>>): Promise<FoundDeployment> {
  const wanted = inputs.deployment ?? '';
  if (/^\d+$/.test(wanted)) return getDeployment(octokit, inputs.repository, Number(wanted));
  const sha = /^[0-9a-f]{40}$/.test(wanted) ? wanted : undefined;
  if (wanted && !sha) throw new ActionFailure(`input "deployment" must be a deployment id, a full commit SHA or empty, got "${wanted}"`);
  const found = await findDeployments(octokit, inputs.repository, inputs.environment!, sha ? 1 : 2, sha);
  const target = sha ? found[0] : found[1];
  if (!target) throw new ActionFailure(sha ? `no successful deployment of ${sha} to "${inputs.environment}"` : `"${inputs.environment}" has no successful deployment before the current one to go back to`);
  return target;
}
