import * as core from '@actions/core';
import { ActionFailure, addTable, code, escapeHtml, writeSummary } from '@deploy-suite/kit';
import { Output } from './constants.js';
import { createClient, createDeployment, CURRENT, findDeployments, getDeployment, SUCCEEDED, type FoundDeployment } from './github.js';
import { getInputs, type Inputs } from './inputs.js';
import { collect, nextState, readRecords, restoreTo, saveRecord, stateAt, type Collected } from './records.js';

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
  const github = await createClient(inputs.token!, inputs.apiUrl);
  const [last] = await findDeployments(github, inputs.repository, inputs.environment!, 1, { states: CURRENT });
  const state = nextState(last?.payload?.state, inputs.records!);
  const id = await createDeployment(github, inputs.repository, {
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
  const github = await createClient(inputs.token!, inputs.apiUrl);
  const { target, later } = await findTarget(inputs, github);
  if (!target.payload) throw new ActionFailure(`deployment ${target.id} (${target.sha}) carries no deploy-suite record: it was not made by the deploy workflow`);
  // A target the deployment did not touch ran what the next deployment that changed it found there.
  const state = stateAt(target.payload.state, later.map((deployment) => deployment.payload?.records ?? []));
  const restore = restoreTo(state);
  setRollbackOutputs(restore);
  core.setOutput(Output.Sha, target.sha);
  core.setOutput(Output.DeploymentId, String(target.id));
  core.info(`Deployment ${target.id} of ${target.sha} ran: ${[...restore.rollbackServices.map((s) => `${s.name}=${s['task-definition']}`), ...restore.rollbackFunctions.map((f) => `${f['function-name']}:${f.alias}=${f.version}`)].join(', ')}`);
}

/** How far back a rollback can look. */
const RECALL_DEPTH = 50;

/**
 * `deployment`: an id, a commit SHA, or empty for the successful deployment before the last one; with the
 * deployments made after it, oldest first.
 */
async function findTarget(inputs: Inputs, github: Awaited<ReturnType<typeof createClient>>): Promise<{ target: FoundDeployment; later: FoundDeployment[] }> {
  const wanted = inputs.deployment ?? '';
  const id = /^\d+$/.test(wanted) ? Number(wanted) : undefined;
  const sha = /^[0-9a-f]{40}$/.test(wanted) ? wanted : undefined;
  if (wanted && id === undefined && !sha) throw new ActionFailure(`input "deployment" must be a deployment id, a full commit SHA or empty, got "${wanted}"`);
  // Earlier deployments succeeded in their time; GitHub has marked them inactive since.
  const found = await findDeployments(github, inputs.repository, inputs.environment!, RECALL_DEPTH, { states: SUCCEEDED });
  const index = id !== undefined ? found.findIndex((deployment) => deployment.id === id) : sha ? found.findIndex((deployment) => deployment.sha === sha) : 1;
  const target = index >= 0 ? found[index] : undefined;
  if (!target) {
    if (id !== undefined) return { target: await getDeployment(github, inputs.repository, id), later: [] };
    throw new ActionFailure(sha ? `no successful deployment of ${sha} to "${inputs.environment}" among the last ${RECALL_DEPTH}` : `"${inputs.environment}" has no successful deployment before the current one to go back to`);
  }
  return { target, later: found.slice(0, index).reverse() };
}
