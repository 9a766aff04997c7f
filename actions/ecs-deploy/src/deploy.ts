/**
 * The deployment, phase by phase: read the service, render, register, run the
 * one-off task, update the service, watch the roll-out, roll back on failure,
 * clean up old revisions. Each phase returns what it found or did; `deploy`
 * records that in the DeployReport, which main.ts turns into outputs and a
 * step summary, also when a later phase fails.
 */
import { UpdateServiceCommand, type ECSClient, type Service, type Tag, type TaskDefinition, type UpdateServiceCommandInput } from '@aws-sdk/client-ecs';
import { call } from '@deploy-suite/aws';
import { ActionFailure, formatDuration, type Logger } from '@deploy-suite/kit';
import { describeService, describeTaskDefinition } from './aws.js';
import type { Inputs, RunTaskInputs } from './inputs.js';
import { describeStoppedTask, shortTaskDefinition, type StoppedTask } from './names.js';
import { checkContainerNames, imageChanges, renderTaskDefinition, sameTaskDefinition, toRegistrable, type ImageChange, type RenderChanges, type RenderedTaskDefinition } from './render.js';
import type { DeployReport } from './report.js';
import { deregisterRevision, pruneRevisions, registerRevision, registrationToken, revisionTags } from './revisions.js';
import { forgetSavedCount, resolveDesiredCount, saveCountBeforeScalingToZero } from './scale.js';
import { TaskLeftRunningError, listStoppedTasks, runOneOffTask, runTaskContainer, type RunTaskResult } from './tasks.js';
import { watchRollout, type RolloutTarget, type WatchResult } from './watch.js';

export interface Reporter extends Logger {
  /** Runs one phase inside its own log group. */
  phase<T>(title: string, task: () => Promise<T>): Promise<T>;
}

export interface EcsClients {
  client: ECSClient;
  /** Without the SDK's retries, for RegisterTaskDefinition (see registerRevision). */
  once: ECSClient;
}

type Recorded = Partial<DeployReport>;

/** A phase's failure and what the report should say about it; `deploy` records it, then throws `error`. */
class PhaseFailure {
  constructor(
    readonly error: unknown,
    readonly recorded: Recorded,
  ) {}
}

/** The service as this run found it. */
interface Before {
  service: Service;
  definition: TaskDefinition;
  tags: Tag[];
  arn: string;
  count: number;
  /** Events from before this run are not news. */
  seenEventIds: Set<string>;
}

/** What the run changes: the revision it deploys and the count it sets. */
interface Change {
  arn: string;
  /** This run registered `arn` (and deregisters it if it fails before the update). */
  registered: boolean;
  definition: RenderedTaskDefinition;
  desiredCount: number | undefined;
  taskDefinitionChanges: boolean;
  countChanges: boolean;
  /** Only the count changes: no new deployment. */
  scaleOnly: boolean;
}

/** The deployment an UpdateService answer started: the PRIMARY one on our revision, else the PRIMARY one. */
export function startedDeployment(service: Service | undefined, taskDefinitionArn: string): string | undefined {
  const deployments = service?.deployments ?? [];
  const primary = deployments.filter((deployment) => deployment.status === 'PRIMARY');
  return (primary.find((deployment) => deployment.taskDefinition === taskDefinitionArn) ?? primary[0])?.id;
}

export async function deploy(inputs: Inputs, ecs: EcsClients, reporter: Reporter, report: DeployReport): Promise<void> {
  const record = (recorded: Recorded): void => void Object.assign(report, recorded);
  try {
    await deployPhases(inputs, ecs, reporter, report.timeline, record);
  } catch (error) {
    if (!(error instanceof PhaseFailure)) throw error;
    record(error.recorded);
    throw error.error;
  }
}

async function deployPhases(inputs: Inputs, ecs: EcsClients, reporter: Reporter, timeline: DeployReport['timeline'], record: (recorded: Recorded) => void): Promise<void> {
  const changes = renderChanges(inputs);
  const before = await readService(ecs.client, inputs, reporter);
  const desiredCount = resolveDesiredCount(inputs.desiredCount, before.service, inputs.restoreCount);
  record({ previousTaskDefinitionArn: before.arn, desiredCount: { before: before.count, after: desiredCount ?? before.count } });
  const { definition, unchanged, existing, images } = await renderRevision(ecs.client, inputs, before, changes, reporter);
  record({ family: definition.family, images });
  const { arn, registered } = await chooseRevision(ecs, inputs, before, { definition, unchanged, existing }, reporter);
  record({ taskDefinitionArn: arn, registered });
  const taskDefinitionChanges = arn !== before.arn;
  const countChanges = desiredCount !== undefined && desiredCount !== before.count;
  const change: Change = { arn, registered, definition, desiredCount, taskDefinitionChanges, countChanges, scaleOnly: !taskDefinitionChanges && !inputs.forceNewDeployment };
  const watching = { ecs: ecs.client, inputs, reporter, before, timeline };

  if (inputs.runTask) record({ runTask: await runOneOff(ecs.client, inputs, inputs.runTask, before, change, reporter) });
  if (inputs.runTaskOnly) {
    reporter.info(`The service keeps ${shortTaskDefinition(before.arn)}: run-task-only`);
    return record({ outcome: 'unchanged', detail: `ran the one-off task on ${shortTaskDefinition(arn)}; the service was not updated (run-task-only)` });
  }
  if (change.scaleOnly && !countChanges) {
    record(await followDeploymentInFlight(watching, arn));
    return record({ deregistered: await prune(ecs.client, inputs, reporter, definition.family as string, [arn]) });
  }

  const deploymentId = await updateService(ecs.client, inputs, before, change, reporter);
  record({ deploymentId });
  if (inputs.wait) record(await watchAndRollBack(watching, change, deploymentId));
  else record({ outcome: 'started', detail: `${change.scaleOnly ? 'scaling' : `deployment ${deploymentId ?? ''}`} started; not waited for (wait: false)` });
  record({ deregistered: await prune(ecs.client, inputs, reporter, definition.family as string, [arn, before.arn]) });
}

/** The changes the inputs ask for; a task definition file is checked against them before any call: a typo changes nothing. */
function renderChanges(inputs: Inputs): RenderChanges {
  const changes: RenderChanges = { images: inputs.images, environment: inputs.environment, secrets: inputs.secrets };
  if (inputs.taskDefinitionFile) checkContainerNames(toRegistrable(inputs.taskDefinitionFile.definition), changes);
  return changes;
}

function readService(client: ECSClient, inputs: Inputs, reporter: Reporter): Promise<Before> {
  return reporter.phase(`Read service ${inputs.service}`, async () => {
    const service = await describeService(client, inputs.cluster, inputs.service);
    const current = await describeTaskDefinition(client, service.taskDefinition as string);
    const arn = current.definition.taskDefinitionArn as string;
    reporter.info(`Service ${service.serviceName} in cluster ${inputs.cluster} runs ${shortTaskDefinition(arn)}: ${service.runningCount ?? 0}/${service.desiredCount ?? 0} tasks running`);
    const seenEventIds = new Set((service.events ?? []).map((event) => event.id as string));
    return { service, definition: current.definition, tags: current.tags, arn, count: service.desiredCount ?? 0, seenEventIds };
  });
}

interface Revision {
  definition: RenderedTaskDefinition;
  /** The rendered definition equals the service's current one. */
  unchanged: boolean;
  /** The registered revision the input names: deployed as it is (a rollback to what an earlier deployment ran). */
  existing: TaskDefinition | undefined;
  images: ImageChange[];
}

async function renderRevision(client: ECSClient, inputs: Inputs, before: Before, changes: RenderChanges, reporter: Reporter): Promise<Revision> {
  const named = inputs.taskDefinitionArn;
  const existing = named ? (await reporter.phase(`Read task definition ${named}`, () => describeTaskDefinition(client, named))).definition : undefined;
  const file = inputs.taskDefinitionFile;
  const revision = await reporter.phase('Render task definition', async () => {
    const definition = renderTaskDefinition(file?.definition ?? existing ?? before.definition, changes);
    const images = imageChanges(before.definition, definition);
    reporter.info(`Rendered family ${definition.family} from ${file ? file.path : `the service's ${shortTaskDefinition(before.arn)}`}`);
    for (const change of images) {
      const arrow = change.before === change.after ? `${change.after} (unchanged)` : `${change.before ?? '(new)'} -> ${change.after ?? '(removed)'}`;
      reporter.info(`  ${change.container}: ${arrow}`);
    }
    return { definition, unchanged: sameTaskDefinition(definition, before.definition), existing, images };
  });
  // A run-task-container the definition does not have is an input error: found before anything is registered.
  if (inputs.runTask) runTaskContainer(revision.definition, inputs.runTask.container);
  return revision;
}

/** The revision to deploy: the registered one the input names, a new one, or the service's own when nothing changed. */
async function chooseRevision(ecs: EcsClients, inputs: Inputs, before: Before, revision: Omit<Revision, 'images'>, reporter: Reporter): Promise<{ arn: string; registered: boolean }> {
  if (revision.existing) {
    const arn = revision.existing.taskDefinitionArn as string;
    reporter.info(arn === before.arn ? `The service already runs ${shortTaskDefinition(arn)}` : `Putting the service on the registered ${shortTaskDefinition(arn)}`);
    return { arn, registered: false };
  }
  if (revision.unchanged && !inputs.forceNewDeployment) {
    reporter.info(`The rendered definition equals the service's ${shortTaskDefinition(before.arn)}: no new revision registered`);
    return { arn: before.arn, registered: false };
  }
  const arn = await reporter.phase('Register task definition', async () => {
    const tags = revisionTags(inputs.taskDefinitionFile?.tags ?? before.tags, inputs.commitSha);
    const registered = await registerRevision(ecs, revision.definition, tags, registrationToken(), reporter);
    reporter.info(`Registered ${shortTaskDefinition(registered)}${inputs.commitSha ? ` (tagged with commit ${inputs.commitSha})` : ''}${revision.unchanged ? ': forced, the definition is unchanged' : ''}`);
    return registered;
  });
  return { arn, registered: true };
}

/** Leaves the account as it was before this run: the revision it registered is deregistered. Says how that went. */
async function undoRegistration(client: ECSClient, change: Pick<Change, 'arn' | 'registered'>): Promise<{ note: string; registered: boolean }> {
  if (!change.registered) return { note: '', registered: false };
  try {
    await deregisterRevision(client, change.arn);
    return { note: `; revision ${shortTaskDefinition(change.arn)} was deregistered`, registered: false };
  } catch (error) {
    return { note: `; revision ${shortTaskDefinition(change.arn)} is left registered (deregistering it failed: ${(error as Error).message})`, registered: true };
  }
}

/** Runs the one-off task on the new revision; if it fails, the service is not updated and the registration is undone. */
function runOneOff(client: ECSClient, inputs: Inputs, runTask: RunTaskInputs, before: Before, change: Change, reporter: Reporter): Promise<RunTaskResult> {
  return reporter.phase('Run one-off task', async () => {
    const options = { cluster: inputs.cluster, taskDefinitionArn: change.arn, definition: change.definition, service: before.service, pollIntervalMs: inputs.pollIntervalMs, timeoutMs: inputs.timeoutMs, log: reporter };
    const result = await runOneOffTask(client, { ...options, ...runTask }).catch(async (error: unknown) => {
      // A task left running still uses the revision: keep it registered then.
      const stillRunning = error instanceof TaskLeftRunningError;
      const undone = stillRunning ? { note: '', registered: change.registered } : await undoRegistration(client, change);
      const recorded: Recorded = { outcome: 'failed', detail: `the one-off task failed: ${(error as Error).message}`, registered: undone.registered };
      const explained = error instanceof ActionFailure ? new ActionFailure(`${error.message}${stillRunning ? '' : '; the service was not updated'}${undone.note}`) : error;
      throw new PhaseFailure(explained, recorded);
    });
    reporter.info(`One-off task ${describeStoppedTask(result.task)} in ${formatDuration(result.elapsedMs)}`);
    if (result.exitCode === 0) return result;
    const undone = await undoRegistration(client, change);
    const exit = result.exitCode === undefined ? 'stopped without an exit code' : `exited with code ${result.exitCode}`;
    const reason = [result.task.stopCode, result.task.stoppedReason].filter(Boolean).join(': ');
    throw new PhaseFailure(
      new ActionFailure(`one-off task ${result.task.taskId} (container ${result.container}) ${exit}${reason ? ` (${reason})` : ''}; the service was not updated${undone.note}`),
      { runTask: result, outcome: 'failed', detail: `the one-off task ${exit}`, registered: undone.registered },
    );
  });
}

/** Sends UpdateService (saving the count first when scaling to 0); returns the deployment it started. */
function updateService(client: ECSClient, inputs: Inputs, before: Before, change: Change, reporter: Reporter): Promise<string | undefined> {
  return reporter.phase('Update service', async () => {
    const saved = change.desiredCount === 0 && change.countChanges ? await saveCountBeforeScalingToZero(client, before.service) : undefined;
    if (saved !== undefined) reporter.info(`Saved the desired count ${saved} in the service's tags for "desired-count: restore"`);
    const request: UpdateServiceCommandInput = { cluster: inputs.cluster, service: inputs.service };
    if (change.taskDefinitionChanges) request.taskDefinition = change.arn;
    if (change.countChanges) request.desiredCount = change.desiredCount;
    if (inputs.forceNewDeployment) request.forceNewDeployment = true;
    const updated = await call('UpdateService', () => client.send(new UpdateServiceCommand(request))).catch(async (error: unknown) => {
      if (saved !== undefined) await forgetSavedCount(client, before.service).catch(() => undefined);
      const undone = await undoRegistration(client, change);
      const message = (error as Error).message;
      throw new PhaseFailure(new ActionFailure(`${message}; the service was not changed${undone.note}`), { outcome: 'failed', detail: message, registered: undone.registered });
    });
    const deploymentId = startedDeployment(updated.service, change.arn);
    const what = [
      change.taskDefinitionChanges ? `to ${shortTaskDefinition(change.arn)}` : inputs.forceNewDeployment ? `with a forced new deployment of ${shortTaskDefinition(change.arn)}` : '',
      change.countChanges ? `desired count ${before.count} -> ${change.desiredCount}` : '',
    ].filter(Boolean);
    reporter.info(`Updated service ${inputs.service} ${what.join(', ')}${deploymentId && !change.scaleOnly ? `: deployment ${deploymentId}` : ''}`);
    if (inputs.desiredCount === 'restore') {
      await forgetSavedCount(client, before.service).catch((error: unknown) => reporter.warning(`could not remove the saved desired count tag: ${(error as Error).message}`));
    }
    return deploymentId;
  });
}

/** What watching needs: the service as found and where new events go. */
interface Watching {
  ecs: ECSClient;
  inputs: Inputs;
  reporter: Reporter;
  before: Before;
  timeline: DeployReport['timeline'];
}

function watch(watching: Watching, target: RolloutTarget, description: string): Promise<WatchResult> {
  const { ecs, inputs, reporter, before, timeline } = watching;
  return watchRollout(ecs, {
    cluster: inputs.cluster,
    service: inputs.service,
    target,
    pollIntervalMs: inputs.pollIntervalMs,
    timeoutMs: inputs.timeoutMs,
    description,
    log: reporter,
    seenEventIds: before.seenEventIds,
    timeline,
  });
}

/** Nothing to update: a re-run after an interrupted watch still waits for the deployment in flight (with nothing of ours to roll back). */
async function followDeploymentInFlight(watching: Watching, arn: string): Promise<Recorded> {
  const { inputs, reporter, before } = watching;
  reporter.info(`Service ${inputs.service} already runs ${shortTaskDefinition(arn)} with ${before.count} task(s): nothing to update`);
  const deploymentId = startedDeployment(before.service, arn);
  const unchanged: Recorded = { deploymentId, outcome: 'unchanged', detail: `already up to date on ${shortTaskDefinition(arn)}` };
  if (!inputs.wait) return unchanged;
  const description = `the deployment in flight on ${shortTaskDefinition(arn)}`;
  const target: RolloutTarget = { deploymentId, taskDefinitionArn: arn, previousTaskDefinitionArn: undefined, scaleOnly: false };
  const result = await reporter.phase(`Watch ${description}`, () => watch(watching, target, description));
  if (result.verdict.state !== 'completed') {
    const reason = result.verdict.reason;
    throw new PhaseFailure(new ActionFailure(`${reason}; this run changed nothing, so there is nothing to roll back`), { deploymentId, outcome: 'failed', detail: reason });
  }
  return { ...unchanged, rolloutMs: result.elapsedMs };
}

/** Watches the roll-out; when it fails, says why (the stopped tasks) and puts the service back. */
async function watchAndRollBack(watching: Watching, change: Change, deploymentId: string | undefined): Promise<Recorded> {
  const { inputs, reporter, before } = watching;
  const description = change.scaleOnly ? `${inputs.service} to run ${change.desiredCount} task(s)` : `the roll-out of ${shortTaskDefinition(change.arn)}`;
  const target: RolloutTarget = { deploymentId, taskDefinitionArn: change.arn, previousTaskDefinitionArn: before.arn, scaleOnly: change.scaleOnly };
  const result = await reporter.phase(`Watch ${description}`, () => watch(watching, target, description));
  if (result.verdict.state === 'completed') {
    const detail = change.scaleOnly
      ? `${inputs.service} runs ${change.desiredCount} task(s) after ${formatDuration(result.elapsedMs)}`
      : `${shortTaskDefinition(change.arn)} is stable after ${formatDuration(result.elapsedMs)}`;
    reporter.info(detail);
    return { outcome: 'deployed', rolloutMs: result.elapsedMs, detail };
  }
  const failure = result.verdict.reason.replace(/\.$/, '');
  const stoppedTasks = !change.scaleOnly && deploymentId ? await stoppedTasksOf(watching, deploymentId) : [];
  const why = stoppedTasks[0] ? ` (${describeStoppedTask(stoppedTasks[0])})` : '';
  const rollback = await rollBack(watching, result, change);
  const recorded: Recorded = { outcome: 'failed', rolloutMs: result.elapsedMs, detail: failure, stoppedTasks, ...rollback.recorded };
  throw new PhaseFailure(new ActionFailure(`${failure}${why}. ${rollback.aftermath}`), { ...recorded, aftermath: rollback.aftermath });
}

/** Why the tasks of the failed deployment stopped; a failure to list them is a warning. */
function stoppedTasksOf(watching: Watching, deploymentId: string): Promise<StoppedTask[]> {
  const { ecs, inputs, reporter } = watching;
  return reporter.phase(`Stopped tasks of deployment ${deploymentId}`, async () => {
    try {
      const stopped = await listStoppedTasks(ecs, inputs.cluster, deploymentId);
      if (stopped.length === 0) reporter.info('No stopped tasks');
      for (const task of stopped) reporter.info(describeStoppedTask(task));
      return stopped;
    } catch (error) {
      reporter.warning(`could not list the stopped tasks: ${(error as Error).message}`);
      return [];
    }
  });
}

/** Puts the service back on the previous revision (and count) and watches that; `aftermath` says how it went. */
async function rollBack(watching: Watching, failed: WatchResult, change: Change): Promise<{ aftermath: string; recorded: Recorded }> {
  const { inputs, before } = watching;
  const previous = shortTaskDefinition(before.arn);
  const byEcs = failed.verdict.state === 'rolled-back-by-ecs' ? failed.verdict : undefined;
  if (inputs.rollback === 'never') {
    if (byEcs) return { aftermath: `ECS is rolling the service back to ${previous} (rollback: never, so not watched)`, recorded: {} };
    const left = failed.verdict.state === 'timed-out' ? 'The deployment was left in progress' : 'The service was left as it is';
    return { aftermath: `${left} (rollback: never)`, recorded: {} };
  }
  if (!change.taskDefinitionChanges && !change.countChanges) return { aftermath: 'This run changed no revision or count, so there is nothing to roll back', recorded: {} };
  return watching.reporter.phase(`Roll back to ${previous}`, async () => {
    const started = byEcs ? followEcsRollback(watching, byEcs.rollbackDeploymentId) : await putServiceBack(watching, change);
    if ('aftermath' in started) return started;
    const target: RolloutTarget = { deploymentId: started.deploymentId, taskDefinitionArn: before.arn, previousTaskDefinitionArn: undefined, scaleOnly: !change.taskDefinitionChanges };
    const result = await watch(watching, target, `the rollback to ${previous}`);
    if (result.verdict.state !== 'completed') return { aftermath: `Rolling back to ${previous} failed too: ${result.verdict.reason}`, recorded: started.recorded };
    const who = byEcs ? 'The ECS circuit breaker rolled back' : 'Rolled back';
    return {
      aftermath: `${who} to ${previous}: the service is stable on it again after ${formatDuration(result.elapsedMs)}`,
      recorded: { ...started.recorded, rolledBack: true, outcome: 'rolled-back' },
    };
  });
}

type RollbackStart = { deploymentId: string | undefined; recorded: Recorded } | { aftermath: string; recorded: Recorded };

function followEcsRollback(watching: Watching, deploymentId: string | undefined): RollbackStart {
  watching.reporter.info(`The ECS circuit breaker is already rolling back${deploymentId ? ` (deployment ${deploymentId})` : ''}: watching it`);
  return { deploymentId, recorded: {} };
}

/** UpdateService back to the previous revision and count. */
async function putServiceBack(watching: Watching, change: Change): Promise<RollbackStart> {
  const { ecs, inputs, reporter, before } = watching;
  const request: UpdateServiceCommandInput = { cluster: inputs.cluster, service: inputs.service };
  if (change.taskDefinitionChanges) request.taskDefinition = before.arn;
  if (change.countChanges) request.desiredCount = before.count;
  let updated;
  try {
    updated = await call('UpdateService', () => ecs.send(new UpdateServiceCommand(request)));
  } catch (error) {
    return { aftermath: `Rolling back to ${shortTaskDefinition(before.arn)} failed: ${(error as Error).message}; the service is left on ${shortTaskDefinition(change.arn)}`, recorded: {} };
  }
  const deploymentId = startedDeployment(updated.service, before.arn);
  reporter.info(`Updated service ${inputs.service} back to ${shortTaskDefinition(before.arn)}${change.countChanges ? ` with ${before.count} task(s)` : ''}${deploymentId ? `: deployment ${deploymentId}` : ''}`);
  // The `desired-count` output and the summary give the count the service is left with.
  const recorded: Recorded = change.countChanges ? { desiredCount: { before: before.count, after: before.count } } : {};
  return { deploymentId, recorded };
}

/** Deregisters revisions beyond `keep-revisions` (never one in use); returns those it deregistered. A failure is a warning. */
async function prune(client: ECSClient, inputs: Inputs, reporter: Reporter, family: string, inUse: string[]): Promise<string[]> {
  const keep = inputs.keepRevisions;
  if (keep === undefined) return [];
  return reporter.phase(`Clean up revisions of ${family} (keep ${keep})`, async () => {
    try {
      return (await pruneRevisions(client, family, keep, new Set(inUse), reporter)).deregistered;
    } catch (error) {
      // Cleaning up is worth a warning, never a failed deploy.
      reporter.warning(`could not clean up old revisions: ${(error as Error).message}`);
      return [];
    }
  });
}
