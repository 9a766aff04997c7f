import * as core from '@actions/core';
import { addTable, code, coreLogger, describeError, escapeHtml, formatDuration, phase, writeSummary, type Cell } from '@deploy-suite/kit';
import { createClient } from '@deploy-suite/aws';
import { ACTION_NAME, Output } from './constants.js';
import type { EcsClients, Reporter } from './deploy.js';
import { getInputs, type Inputs } from './inputs.js';
import { describeStoppedTask, shortTaskDefinition } from './names.js';
import { newReport, type DeployReport } from './report.js';

export async function run(): Promise<void> {
  const inputs = getInputs();
  // Lines quote service events and stopped reasons: coreLogger prints each as one inert line.
  const reporter: Reporter = { ...coreLogger(), phase };
  reporter.info(`${inputs.runTaskOnly ? 'A one-off task for' : 'Updating'} ECS service ${inputs.service} in cluster ${inputs.cluster}`);
  // The SDK loads only once the inputs are read: a bad input fails at about 2.3x a bare `node -e 0` (3.9x when
  // it loaded first). Kept in the bundle (webpackMode "eager") it is not evaluated but still parsed: 2.7x.
  const { deploy } = await import('./deploy.js');
  const ecs = await ecsClients(inputs);
  const report = newReport(inputs);
  try {
    await deploy(inputs, ecs, reporter, report);
  } catch (error) {
    // Once the service was read, a failure anywhere still gets a summary of what was done.
    if (report.previousTaskDefinitionArn && !report.outcome) Object.assign(report, { outcome: 'failed', detail: describeError(error) });
    throw error;
  } finally {
    setOutputs(report);
    if (report.outcome) await summarize(report);
  }
}

async function ecsClients(inputs: Inputs): Promise<EcsClients> {
  const { ECSClient } = await import('@aws-sdk/client-ecs');
  const options = { action: ACTION_NAME, service: 'ecs', region: inputs.region } as const;
  return {
    client: createClient(ECSClient, options),
    // RegisterTaskDefinition is retried by the action, which first looks for a revision whose answer was lost.
    once: createClient(ECSClient, { ...options, maxAttempts: 1 }),
  };
}

function setOutputs(report: DeployReport): void {
  if (report.taskDefinitionArn) core.setOutput(Output.TaskDefinitionArn, report.taskDefinitionArn);
  if (report.previousTaskDefinitionArn) core.setOutput(Output.PreviousTaskDefinitionArn, report.previousTaskDefinitionArn);
  if (report.deploymentId) core.setOutput(Output.DeploymentId, report.deploymentId);
  if (report.desiredCount) core.setOutput(Output.DesiredCount, String(report.desiredCount.after));
  if (report.runTask) core.setOutput(Output.RunTaskExitCode, report.runTask.exitCode === undefined ? '' : String(report.runTask.exitCode));
  core.setOutput(Output.Registered, String(report.registered));
  core.setOutput(Output.RolledBack, String(report.rolledBack));
}

const OUTCOME_TITLES: Record<NonNullable<DeployReport['outcome']>, string> = {
  deployed: '✅ Deployed',
  unchanged: '✅ Already up to date',
  started: '🚀 Deployment started (not waited for)',
  failed: '❌ Deployment failed',
  'rolled-back': '↩️ Deployment failed and was rolled back',
};

async function summarize(report: DeployReport): Promise<void> {
  const outcome = report.outcome ?? 'failed';
  core.summary.addHeading(`ECS deploy: ${escapeHtml(report.service)} — ${OUTCOME_TITLES[outcome]}`, 3);
  addTable(['Deployment', 'Details'], deploymentFacts(report));
  summarizeDetails(report);
  await writeSummary();
}

function deploymentFacts(report: DeployReport): Cell[][] {
  const facts: Cell[][] = [
    ['Cluster', code(report.cluster)],
    ['Task definition', code(`${shortTaskDefinition(report.previousTaskDefinitionArn)} → ${shortTaskDefinition(report.taskDefinitionArn)}`)],
  ];
  if (report.deploymentId) facts.push(['Deployment ID', code(report.deploymentId)]);
  if (report.desiredCount && report.desiredCount.before !== report.desiredCount.after) {
    facts.push(['Desired count', `${report.desiredCount.before} → ${report.desiredCount.after}`]);
  }
  if (report.rolloutMs !== undefined) facts.push(['Roll-out took', formatDuration(report.rolloutMs)]);
  if (report.detail) facts.push(['Outcome', report.detail]);
  if (report.aftermath) facts.push(['Afterwards', report.aftermath]);
  if (report.runTask) facts.push(['One-off task', describeStoppedTask(report.runTask.task)]);
  if (report.deregistered.length > 0) facts.push(['Deregistered', report.deregistered.map(shortTaskDefinition).join(', ')]);
  return facts;
}

/** The containers' images, the service events seen and the stopped tasks, each a table when there is any. */
function summarizeDetails(report: DeployReport): void {
  if (report.images.length > 0) {
    core.summary.addHeading('Containers', 4);
    addTable(
      ['Container', 'Image before', 'Image after'],
      report.images.map((change) => [change.container, change.before ? code(change.before) : '—', change.after ? code(change.after) : '(removed)']),
    );
  }
  if (report.timeline.length > 0) {
    core.summary.addHeading('Service events', 4);
    addTable(
      ['Time', 'Event'],
      report.timeline.map((event) => [event.createdAt?.toISOString() ?? '', event.message ?? '']),
    );
  }
  if (report.stoppedTasks.length > 0) {
    core.summary.addHeading('Stopped tasks', 4);
    addTable(
      ['Task', 'Stop code', 'Reason', 'Containers'],
      report.stoppedTasks.map((task) => [
        task.taskId,
        task.stopCode ?? '',
        task.stoppedReason ?? '',
        task.containers.map((container) => `${container.name}: exit ${container.exitCode ?? 'none'}${container.reason ? ` (${container.reason})` : ''}`).join('; '),
      ]),
    );
  }
}
