/**
 * Tasks: the stopped tasks of a failed deployment (why it failed), and the
 * one-off task run before the service update (e.g. migrations).
 */
import {
  DescribeTasksCommand,
  ListTasksCommand,
  RunTaskCommand,
  type AwsVpcConfiguration,
  type ContainerDefinition,
  type ECSClient,
  type RunTaskCommandInput,
  type Service,
  type Task,
} from '@aws-sdk/client-ecs';
import { call, pollCall } from '@deploy-suite/aws';
import { ActionFailure, ConfigurationError, WaitTimeoutError, formatDuration, waitUntil, type Logger, type PollResult } from '@deploy-suite/kit';
import { shortTaskDefinition, taskId, toStoppedTask, type StoppedTask } from './names.js';
import { Input, RUN_TASK_STARTED_BY } from './constants.js';
import type { RenderedTaskDefinition } from './render.js';

/** The stopped tasks ECS started for a deployment (their `startedBy` is the deployment id), newest first. */
export async function listStoppedTasks(client: ECSClient, cluster: string, deploymentId: string, limit = 10): Promise<StoppedTask[]> {
  const listed = await call('ListTasks', () => client.send(new ListTasksCommand({ cluster, startedBy: deploymentId, desiredStatus: 'STOPPED', maxResults: 100 })));
  const arns = (listed.taskArns ?? []).slice(0, limit);
  if (arns.length === 0) return [];
  const described = await call('DescribeTasks', () => client.send(new DescribeTasksCommand({ cluster, tasks: arns })));
  return (described.tasks ?? [])
    .sort((a, b) => (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0))
    .map(toStoppedTask);
}

/** The container that runs the one-off command: the one named, the only one, or the first essential one. */
export function runTaskContainer(definition: RenderedTaskDefinition, name: string | undefined): ContainerDefinition {
  const containers = definition.containerDefinitions ?? [];
  if (name !== undefined) {
    const found = containers.find((container) => container.name === name);
    if (!found) {
      throw new ConfigurationError(
        `input "${Input.RunTaskContainer}" names container "${name}", which task definition family "${definition.family}" does not have; its containers are: ${containers.map((container) => container.name).join(', ')}`,
      );
    }
    return found;
  }
  return (containers.length === 1 ? containers[0] : containers.find((container) => container.essential !== false)) ?? (containers[0] as ContainerDefinition);
}

export interface RunTaskOptions {
  cluster: string;
  taskDefinitionArn: string;
  definition: RenderedTaskDefinition;
  command: string[];
  container: string | undefined;
  network: AwsVpcConfiguration | undefined;
  service: Service;
  pollIntervalMs: number;
  timeoutMs: number;
  log: Logger;
}

/** The one-off task did not stop in time and was left running (it still uses its revision). */
export class TaskLeftRunningError extends ActionFailure {}

export interface RunTaskResult {
  taskArn: string;
  container: string;
  exitCode: number | undefined;
  task: StoppedTask;
  elapsedMs: number;
}

/** RunTask's request: the service's launch type or capacity providers, platform and network, unless given. */
export function runTaskRequest(options: Omit<RunTaskOptions, 'pollIntervalMs' | 'timeoutMs' | 'log'>, containerName: string): RunTaskCommandInput {
  const { service } = options;
  const request: RunTaskCommandInput = {
    cluster: options.cluster,
    taskDefinition: options.taskDefinitionArn,
    count: 1,
    startedBy: RUN_TASK_STARTED_BY,
    overrides: { containerOverrides: [{ name: containerName, command: options.command }] },
  };
  if (service.capacityProviderStrategy && service.capacityProviderStrategy.length > 0) request.capacityProviderStrategy = service.capacityProviderStrategy;
  else if (service.launchType) request.launchType = service.launchType;
  if (service.platformVersion && service.platformVersion !== 'LATEST') request.platformVersion = service.platformVersion;
  const network = options.network ?? service.networkConfiguration?.awsvpcConfiguration;
  if (network) request.networkConfiguration = { awsvpcConfiguration: network };
  else if (options.definition.networkMode === 'awsvpc') {
    throw new ConfigurationError(
      `the one-off task needs a network: task definition family "${options.definition.family}" uses awsvpc and the service has no network configuration; set input "${Input.RunTaskNetwork}"`,
    );
  }
  return request;
}

/** Runs the one-off task, waits until it stops, and reports the container's exit code; never stops it early. */
export async function runOneOffTask(client: ECSClient, options: RunTaskOptions): Promise<RunTaskResult> {
  const container = runTaskContainer(options.definition, options.container).name as string;
  const request = runTaskRequest(options, container);
  options.log.info(`Running ${JSON.stringify(options.command)} in container ${container} of ${shortTaskDefinition(options.taskDefinitionArn)}`);
  const started = Date.now();
  const response = await call('RunTask', () => client.send(new RunTaskCommand(request)));
  const taskArn = response.tasks?.[0]?.taskArn;
  if (!taskArn) {
    const failure = response.failures?.[0];
    throw new ActionFailure(`RunTask started no task: ${failure ? `${failure.reason ?? 'unknown'}${failure.detail ? ` (${failure.detail})` : ''}` : 'no reason given'}`);
  }
  options.log.info(`Started task ${taskId(taskArn)}`);
  const task = await waitForStop(client, taskArn, options);
  const exitCode = task.containers?.find((candidate) => candidate.name === container)?.exitCode;
  return { taskArn, container, exitCode, task: toStoppedTask(task), elapsedMs: Date.now() - started };
}

/** Polls the task until it is STOPPED; a poll that outlasted the SDK's retries is a warning; the timeout leaves it running. */
async function waitForStop(client: ECSClient, taskArn: string, options: RunTaskOptions): Promise<Task> {
  let lastStatus = '';
  const poll = async (): Promise<PollResult<Task>> => {
    const answer = await pollCall('DescribeTasks', () => client.send(new DescribeTasksCommand({ cluster: options.cluster, tasks: [taskArn] })), (line) => options.log.warning(line));
    if (!answer) return { done: false, status: lastStatus || 'unknown' };
    const described = answer.tasks?.[0];
    if (!described) throw new ActionFailure(`task ${taskId(taskArn)} is no longer known to ECS`);
    const status = described.lastStatus ?? 'UNKNOWN';
    if (status !== lastStatus) options.log.info(`Task ${taskId(taskArn)}: ${status}`);
    lastStatus = status;
    return status === 'STOPPED' ? { done: true, value: described } : { done: false, status };
  };
  const every = { initialDelayMs: options.pollIntervalMs, maxDelayMs: options.pollIntervalMs, factor: 1, jitter: 0 };
  const progress = { progressIntervalMs: Math.max(options.pollIntervalMs, 30_000), progress: (line: string) => options.log.info(line) };
  try {
    return await waitUntil<Task>(poll, { description: `one-off task ${taskId(taskArn)}`, timeoutMs: options.timeoutMs, ...every, ...progress });
  } catch (error) {
    if (!(error instanceof WaitTimeoutError)) throw error;
    throw new TaskLeftRunningError(
      `one-off task ${taskId(taskArn)} did not stop within ${formatDuration(options.timeoutMs)} (last status ${lastStatus || 'unknown'}); it was left running and the service was not updated`,
    );
  }
}
