/**
 * The deployment, phase by phase: read the service, render, register, run the
 * one-off task, update the service, watch the roll-out, roll back on failure,
 * clean up old revisions. Everything the step reports is gathered in a
 * DeployReport that main.ts turns into outputs and a step summary, also when
 * a phase fails.
 */
import { UpdateServiceCommand, type ECSClient, type Service, type ServiceEvent, type UpdateServiceCommandInput } from '@aws-sdk/client-ecs';
import { call } from '@deploy-suite/aws';
import { ActionFailure, formatDuration, type Logger } from '@deploy-suite/kit';
import { describeService, describeTaskDefinition, shortTaskDefinition } from './aws.js';
import type { Inputs } from './inputs.js';
import { checkContainerNames, imageChanges, renderTaskDefinition, sameTaskDefinition, toRegistrable, type ImageChange, type RenderChanges } from './render.js';
import { deregisterRevision, pruneRevisions, registerRevision, registrationToken, revisionTags } from './revisions.js';
import { forgetSavedCount, resolveDesiredCount, saveCountBeforeScalingToZero } from './scale.js';
import { TaskLeftRunningError, describeStoppedTask, listStoppedTasks, runOneOffTask, runTaskContainer, type RunTaskResult, type StoppedTask } from './tasks.js';
import { watchRollout, type RolloutTarget, type WatchResult } from './watch.js';

export interface Reporter extends Logger {
  /** Runs one phase inside its own log group. */
  phase<T>(title: string, task: () => Promise<T>): Promise<T>;
}

export type Outcome = 'deployed' | 'unchanged' | 'started' | 'failed' | 'rolled-back';

export interface DeployReport {
  cluster: string;
  service: string;
  family?: string;
  taskDefinitionArn?: string;
  previousTaskDefinitionArn?: string;
  /** Whether this run registered a new revision (still registered at the end). */
  registered: boolean;
  images: ImageChange[];
  deploymentId?: string;
  desiredCount?: { before: number; after: number };
  runTask?: RunTaskResult;
  /** New service events seen while watching, oldest first. */
  timeline: ServiceEvent[];
  outcome?: Outcome;
  /** One line on how it ended. */
  detail?: string;
  rolloutMs?: number;
  rolledBack: boolean;
  /** After a failed roll-out: what became of the service (rolled back, left as it is, ...). */
  aftermath?: string;
  stoppedTasks: StoppedTask[];
  deregistered: string[];
}

export function newReport(inputs: Pick<Inputs, 'cluster' | 'service'>): DeployReport {
  return { cluster: inputs.cluster, service: inputs.service, registered: false, images: [], timeline: [], rolledBack: false, stoppedTasks: [], deregistered: [] };
}

/** The deployment an UpdateService answer started: the PRIMARY one on our revision, else the PRIMARY one. */
export function startedDeployment(service: Service | undefined, taskDefinitionArn: string): string | undefined {
  const deployments = service?.deployments ?? [];
  const primary = deployments.filter((deployment) => deployment.status === 'PRIMARY');
  return (primary.find((deployment) => deployment.taskDefinition === taskDefinitionArn) ?? primary[0])?.id;
}

/** `once`: a client without the SDK's retries, for RegisterTaskDefinition (see registerRevision). */
export async function deploy(inputs: Inputs, client: ECSClient, reporter: Reporter, report: DeployReport, once: ECSClient = client): Promise<void> {
  const changes: RenderChanges = { images: inputs.images, environment: inputs.environment, secrets: inputs.secrets };
  const file = inputs.taskDefinitionFile;
  // A file is checked against the inputs before any call: a typo changes nothing.
  if (file) checkContainerNames(toRegistrable(file.definition), changes);

  const { service, current } = await reporter.phase(`Read service ${inputs.service}`, async () => {
    const service = await describeService(client, inputs.cluster, inputs.service);
    const current = await describeTaskDefinition(client, service.taskDefinition as string);
    reporter.info(
      `Service ${service.serviceName} in cluster ${inputs.cluster} runs ${shortTaskDefinition(current.definition.taskDefinitionArn)}: ${service.runningCount ?? 0}/${service.desiredCount ?? 0} tasks running`,
    );
    return { service, current };
  });
  const previousArn = current.definition.taskDefinitionArn as string;
  report.previousTaskDefinitionArn = previousArn;
  const previousCount = service.desiredCount ?? 0;
  const desiredCount = resolveDesiredCount(inputs.desiredCount, service, inputs.restoreCount);
  const countChanges = desiredCount !== undefined && desiredCount !== previousCount;
  report.desiredCount = { before: previousCount, after: desiredCount ?? previousCount };
  // Events from before this run are not news.
  const seenEventIds = new Set((service.events ?? []).map((event) => event.id as string));

  // A registered revision (a rollback to what an earlier deployment ran) is deployed as it is.
  const existing = inputs.taskDefinitionArn
    ? await reporter.phase(`Read task definition ${inputs.taskDefinitionArn}`, () => describeTaskDefinition(client, inputs.taskDefinitionArn as string))
    : undefined;
  const { rendered, unchanged } = await reporter.phase('Render task definition', async () => {
    const rendered = renderTaskDefinition(file?.definition ?? existing?.definition ?? current.definition, changes);
    report.family = rendered.family;
    report.images = imageChanges(current.definition, rendered);
    reporter.info(`Rendered family ${rendered.family} from ${file ? file.path : `the service's ${shortTaskDefinition(previousArn)}`}`);
    for (const change of report.images) {
      const arrow = change.before === change.after ? `${change.after} (unchanged)` : `${change.before ?? '(new)'} -> ${change.after ?? '(removed)'}`;
      reporter.info(`  ${change.container}: ${arrow}`);
    }
    return { rendered, unchanged: sameTaskDefinition(rendered, current.definition) };
  });
  // A run-task-container the definition does not have is an input error: found before anything is registered.
  if (inputs.runTask) runTaskContainer(rendered, inputs.runTask.container);

  let arn = previousArn;
  if (existing) {
    arn = existing.definition.taskDefinitionArn as string;
    reporter.info(arn === previousArn ? `The service already runs ${shortTaskDefinition(arn)}` : `Putting the service on the registered ${shortTaskDefinition(arn)}`);
  } else if (!unchanged || inputs.forceNewDeployment) {
    arn = await reporter.phase('Register task definition', async () => {
      const registered = await registerRevision({ client, once }, rendered, revisionTags(file?.tags ?? current.tags, inputs.commitSha), registrationToken(), reporter);
      reporter.info(`Registered ${shortTaskDefinition(registered)}${inputs.commitSha ? ` (tagged with commit ${inputs.commitSha})` : ''}${unchanged ? ': forced, the definition is unchanged' : ''}`);
      return registered;
    });
    report.registered = true;
  } else {
    reporter.info(`The rendered definition equals the service's ${shortTaskDefinition(previousArn)}: no new revision registered`);
  }
  report.taskDefinitionArn = arn;

  /** Leaves the account as it was before this run: the revision it registered is deregistered. */
  const undoRegistration = async (): Promise<string> => {
    if (!report.registered) return '';
    try {
      await deregisterRevision(client, arn);
      report.registered = false;
      return `; revision ${shortTaskDefinition(arn)} was deregistered`;
    } catch (error) {
      return `; revision ${shortTaskDefinition(arn)} is left registered (deregistering it failed: ${(error as Error).message})`;
    }
  };

  if (inputs.runTask) {
    const runTask = inputs.runTask;
    await reporter.phase('Run one-off task', async () => {
      let result: RunTaskResult;
      try {
        result = await runOneOffTask(client, {
          cluster: inputs.cluster,
          taskDefinitionArn: arn,
          definition: rendered,
          command: runTask.command,
          container: runTask.container,
          network: runTask.network,
          service,
          pollIntervalMs: inputs.pollIntervalMs,
          timeoutMs: inputs.timeoutMs,
          log: reporter,
        });
      } catch (error) {
        report.outcome = 'failed';
        // A task left running still uses the revision: keep it registered then.
        const stillRunning = error instanceof TaskLeftRunningError;
        const undone = stillRunning ? '' : await undoRegistration();
        report.detail = `the one-off task failed: ${(error as Error).message}`;
        if (error instanceof ActionFailure) throw new ActionFailure(`${error.message}${stillRunning ? '' : '; the service was not updated'}${undone}`);
        throw error;
      }
      report.runTask = result;
      reporter.info(`One-off task ${describeStoppedTask(result.task)} in ${formatDuration(result.elapsedMs)}`);
      if (result.exitCode !== 0) {
        report.outcome = 'failed';
        const undone = await undoRegistration();
        const exit = result.exitCode === undefined ? 'stopped without an exit code' : `exited with code ${result.exitCode}`;
        const reason = [result.task.stopCode, result.task.stoppedReason].filter(Boolean).join(': ');
        report.detail = `the one-off task ${exit}`;
        throw new ActionFailure(
          `one-off task ${result.task.taskId} (container ${result.container}) ${exit}${reason ? ` (${reason})` : ''}; the service was not updated${undone}`,
        );
      }
    });
  }

  if (inputs.runTaskOnly) {
    report.outcome = 'unchanged';
    report.detail = `ran the one-off task on ${shortTaskDefinition(arn)}; the service was not updated (run-task-only)`;
    reporter.info(`The service keeps ${shortTaskDefinition(previousArn)}: run-task-only`);
    return;
  }

  const taskDefinitionChanges = arn !== previousArn;
  const startsDeployment = taskDefinitionChanges || inputs.forceNewDeployment;
  if (!startsDeployment && !countChanges) {
    reporter.info(`Service ${inputs.service} already runs ${shortTaskDefinition(arn)} with ${previousCount} task(s): nothing to update`);
    report.deploymentId = startedDeployment(service, arn);
    if (inputs.wait) {
      // A re-run after an interrupted watch still waits for the deployment in flight; there is nothing of ours to roll back.
      const result = await watch(client, inputs, reporter, report, seenEventIds, {
        deploymentId: report.deploymentId,
        taskDefinitionArn: arn,
        previousTaskDefinitionArn: undefined,
        scaleOnly: false,
      }, `the deployment in flight on ${shortTaskDefinition(arn)}`);
      if (result.verdict.state !== 'completed') {
        report.outcome = 'failed';
        report.detail = result.verdict.reason;
        throw new ActionFailure(`${result.verdict.reason}; this run changed nothing, so there is nothing to roll back`);
      }
      report.rolloutMs = result.elapsedMs;
    }
    report.outcome = 'unchanged';
    report.detail = `already up to date on ${shortTaskDefinition(arn)}`;
    await prune(client, inputs, reporter, report, rendered.family as string, [arn]);
    return;
  }

  const scaleOnly = !startsDeployment;
  await reporter.phase('Update service', async () => {
    const saved = desiredCount === 0 && countChanges ? await saveCountBeforeScalingToZero(client, service) : undefined;
    if (saved !== undefined) reporter.info(`Saved the desired count ${saved} in the service's tags for "desired-count: restore"`);
    const request: UpdateServiceCommandInput = { cluster: inputs.cluster, service: inputs.service };
    if (taskDefinitionChanges) request.taskDefinition = arn;
    if (countChanges) request.desiredCount = desiredCount;
    if (inputs.forceNewDeployment) request.forceNewDeployment = true;
    let updated: Service | undefined;
    try {
      updated = (await call('UpdateService', () => client.send(new UpdateServiceCommand(request)))).service;
    } catch (error) {
      report.outcome = 'failed';
      if (saved !== undefined) await forgetSavedCount(client, service).catch(() => undefined);
      const undone = await undoRegistration();
      report.detail = (error as Error).message;
      throw new ActionFailure(`${(error as Error).message}; the service was not changed${undone}`);
    }
    report.deploymentId = startedDeployment(updated, arn);
    const what = [
      taskDefinitionChanges ? `to ${shortTaskDefinition(arn)}` : inputs.forceNewDeployment ? `with a forced new deployment of ${shortTaskDefinition(arn)}` : '',
      countChanges ? `desired count ${previousCount} -> ${desiredCount}` : '',
    ].filter(Boolean);
    reporter.info(`Updated service ${inputs.service} ${what.join(', ')}${report.deploymentId && !scaleOnly ? `: deployment ${report.deploymentId}` : ''}`);
    if (inputs.desiredCount === 'restore') {
      try {
        await forgetSavedCount(client, service);
      } catch (error) {
        reporter.warning(`could not remove the saved desired count tag: ${(error as Error).message}`);
      }
    }
  });

  if (!inputs.wait) {
    report.outcome = 'started';
    report.detail = `${scaleOnly ? 'scaling' : `deployment ${report.deploymentId ?? ''}`} started; not waited for (wait: false)`;
    await prune(client, inputs, reporter, report, rendered.family as string, [arn, previousArn]);
    return;
  }

  const target: RolloutTarget = { deploymentId: report.deploymentId, taskDefinitionArn: arn, previousTaskDefinitionArn: previousArn, scaleOnly };
  const result = await watch(client, inputs, reporter, report, seenEventIds, target, scaleOnly ? `${inputs.service} to run ${desiredCount} task(s)` : `the roll-out of ${shortTaskDefinition(arn)}`);
  if (result.verdict.state === 'completed') {
    report.outcome = 'deployed';
    report.rolloutMs = result.elapsedMs;
    report.detail = scaleOnly
      ? `${inputs.service} runs ${desiredCount} task(s) after ${formatDuration(result.elapsedMs)}`
      : `${shortTaskDefinition(arn)} is stable after ${formatDuration(result.elapsedMs)}`;
    reporter.info(report.detail);
    await prune(client, inputs, reporter, report, rendered.family as string, [arn, previousArn]);
    return;
  }

  // The roll-out failed: say why, then put the service back.
  report.outcome = 'failed';
  report.rolloutMs = result.elapsedMs;
  const failure = result.verdict.reason.replace(/\.$/, '');
  report.detail = failure;
  if (!scaleOnly && report.deploymentId) {
    const deploymentId = report.deploymentId;
    await reporter.phase(`Stopped tasks of deployment ${deploymentId}`, async () => {
      try {
        report.stoppedTasks = await listStoppedTasks(client, inputs.cluster, deploymentId);
        if (report.stoppedTasks.length === 0) reporter.info('No stopped tasks');
        for (const task of report.stoppedTasks) reporter.info(describeStoppedTask(task));
      } catch (error) {
        reporter.warning(`could not list the stopped tasks: ${(error as Error).message}`);
      }
    });
  }
  const why = report.stoppedTasks[0] ? ` (${describeStoppedTask(report.stoppedTasks[0])})` : '';
  const aftermath = await rollBack(client, inputs, reporter, report, seenEventIds, result, {
    previousArn,
    previousCount,
    taskDefinitionChanges,
    countChanges,
  });
  report.aftermath = aftermath;
  throw new ActionFailure(`${failure}${why}. ${aftermath}`);
}

async function watch(
  client: ECSClient,
  inputs: Inputs,
  reporter: Reporter,
  report: DeployReport,
  seenEventIds: Set<string>,
  target: RolloutTarget,
  description: string,
): Promise<WatchResult> {
  return reporter.phase(`Watch ${description}`, () =>
    watchRollout(client, {
      cluster: inputs.cluster,
      service: inputs.service,
      target,
      pollIntervalMs: inputs.pollIntervalMs,
      timeoutMs: inputs.timeoutMs,
      description,
      log: reporter,
      seenEventIds,
      timeline: report.timeline,
    }),
  );
}

interface RollbackContext {
  previousArn: string;
  previousCount: number;
  taskDefinitionChanges: boolean;
  countChanges: boolean;
}

/** Puts the service back on the previous revision (and count) and watches that; returns the sentence that says how it went. */
async function rollBack(
  client: ECSClient,
  inputs: Inputs,
  reporter: Reporter,
  report: DeployReport,
  seenEventIds: Set<string>,
  failed: WatchResult,
  context: RollbackContext,
): Promise<string> {
  const previous = shortTaskDefinition(context.previousArn);
  const byEcs = failed.verdict.state === 'rolled-back-by-ecs' ? failed.verdict : undefined;
  if (inputs.rollback === 'never') {
    if (byEcs) return `ECS is rolling the service back to ${previous} (rollback: never, so not watched)`;
    return failed.verdict.state === 'timed-out'
      ? `The deployment was left in progress (rollback: never)`
      : `The service was left as it is (rollback: never)`;
  }
  if (!context.taskDefinitionChanges && !context.countChanges) return 'This run changed no revision or count, so there is nothing to roll back';

  return reporter.phase(`Roll back to ${previous}`, async () => {
    let deploymentId: string | undefined;
    if (byEcs) {
      deploymentId = byEcs.rollbackDeploymentId;
      reporter.info(`The ECS circuit breaker is already rolling back${deploymentId ? ` (deployment ${deploymentId})` : ''}: watching it`);
    } else {
      const request: UpdateServiceCommandInput = { cluster: inputs.cluster, service: inputs.service };
      if (context.taskDefinitionChanges) request.taskDefinition = context.previousArn;
      if (context.countChanges) request.desiredCount = context.previousCount;
      try {
        const updated = await call('UpdateService', () => client.send(new UpdateServiceCommand(request)));
        deploymentId = startedDeployment(updated.service, context.previousArn);
        // The `desired-count` output and the summary give the count the service is left with.
        if (context.countChanges && report.desiredCount) report.desiredCount.after = context.previousCount;
      } catch (error) {
        return `Rolling back to ${previous} failed: ${(error as Error).message}; the service is left on ${shortTaskDefinition(report.taskDefinitionArn)}`;
      }
      reporter.info(`Updated service ${inputs.service} back to ${previous}${context.countChanges ? ` with ${context.previousCount} task(s)` : ''}${deploymentId ? `: deployment ${deploymentId}` : ''}`);
    }
    const result = await watchRollout(client, {
      cluster: inputs.cluster,
      service: inputs.service,
      target: {
        deploymentId,
        taskDefinitionArn: context.previousArn,
        previousTaskDefinitionArn: undefined,
        scaleOnly: !context.taskDefinitionChanges,
      },
      pollIntervalMs: inputs.pollIntervalMs,
      timeoutMs: inputs.timeoutMs,
      description: `the rollback to ${previous}`,
      log: reporter,
      seenEventIds,
      timeline: report.timeline,
    });
    if (result.verdict.state === 'completed') {
      report.rolledBack = true;
      report.outcome = 'rolled-back';
      const who = byEcs ? 'The ECS circuit breaker rolled back' : 'Rolled back';
      return `${who} to ${previous}: the service is stable on it again after ${formatDuration(result.elapsedMs)}`;
    }
    return `Rolling back to ${previous} failed too: ${result.verdict.reason}`;
  });
}

async function prune(client: ECSClient, inputs: Inputs, reporter: Reporter, report: DeployReport, family: string, inUse: string[]): Promise<void> {
  const keep = inputs.keepRevisions;
  if (keep === undefined) return;
  await reporter.phase(`Clean up revisions of ${family} (keep ${keep})`, async () => {
    try {
      const result = await pruneRevisions(client, family, keep, new Set(inUse), reporter);
      report.deregistered = result.deregistered;
    } catch (error) {
      // Cleaning up is worth a warning, never a failed deploy.
      reporter.warning(`could not clean up old revisions: ${(error as Error).message}`);
    }
  });
}
