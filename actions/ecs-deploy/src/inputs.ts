import { readFileSync, statSync } from 'node:fs';
import type { AwsVpcConfiguration } from '@aws-sdk/client-ecs';
import {
  ConfigurationError,
  getBoolean,
  getDuration,
  getChoice,
  getOptionalInteger,
  getOptionalString,
  getRequiredString,
  getStructured,
  maskEnvironmentValue,
  resolveInputPath,
} from '@deploy-suite/kit';
import { Input, ROLLBACK_CHOICES, type RollbackMode } from './constants.js';
import {
  parseCommand,
  parseContainerVariables,
  parseDesiredCount,
  parseImages,
  parseNetworkConfiguration,
  parseTaskDefinitionFile,
  type ContainerVariable,
  type DesiredCount,
  type TaskDefinitionFile,
} from './parse.js';

export interface RunTaskInputs {
  command: string[];
  /** The container that runs the command; default: the only one, or the first essential one. */
  container: string | undefined;
  /** Overrides the service's network configuration. */
  network: AwsVpcConfiguration | undefined;
}

export interface Inputs {
  cluster: string;
  service: string;
  /** The file to start from; undefined: the service's current task definition. */
  taskDefinitionFile: (TaskDefinitionFile & { path: string }) | undefined;
  /** An existing revision to put the service on as it is (a rollback to a recorded deployment). */
  taskDefinitionArn: string | undefined;
  images: Map<string, string>;
  environment: ContainerVariable[];
  secrets: ContainerVariable[];
  /** Undefined: leave the count as it is. */
  desiredCount: DesiredCount | undefined;
  forceNewDeployment: boolean;
  wait: boolean;
  timeoutMs: number;
  pollIntervalMs: number;
  rollback: RollbackMode;
  /** Undefined: keep every revision. */
  keepRevisions: number | undefined;
  runTask: RunTaskInputs | undefined;
  /** Run the one-off task and stop: the service is not updated (migrations before the roll-out). */
  runTaskOnly: boolean;
  /** With `restore` and no saved count: the count for a service at 0. */
  restoreCount: number | undefined;
  region: string | undefined;
  /** The commit each registered revision is tagged with. */
  commitSha: string | undefined;
}

/** A registered revision: its ARN, or family:revision. */
const TASK_DEFINITION_REFERENCE = /^(?:arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/)?[A-Za-z0-9_-]{1,255}:\d+$/;

function readTaskDefinitionArn(): string | undefined {
  const given = getOptionalString(Input.TaskDefinition);
  return given !== undefined && TASK_DEFINITION_REFERENCE.test(given) ? given : undefined;
}

function readTaskDefinitionFile(): Inputs['taskDefinitionFile'] {
  const given = getOptionalString(Input.TaskDefinition);
  if (given === undefined || TASK_DEFINITION_REFERENCE.test(given)) return undefined;
  const file = resolveInputPath(Input.TaskDefinition, given);
  // A directory would otherwise fail in readFileSync as an unexplained EISDIR.
  if (!statSync(file, { throwIfNoEntry: false })?.isFile()) throw new ConfigurationError(`input "${Input.TaskDefinition}" must be the path of a task definition JSON file; no file "${given}"`);
  return { ...parseTaskDefinitionFile(Input.TaskDefinition, readFileSync(file, 'utf8'), given), path: given };
}

/** Environment values may be credentials (a database URL, a token): masked (the kit rule lambda-publish uses too) before anything could print them. */
function readEnvironment(): ContainerVariable[] {
  const environment = parseContainerVariables(Input.Environment, getOptionalString(Input.Environment) ?? '');
  for (const variable of environment) maskEnvironmentValue(variable.value);
  return environment;
}

export function getInputs(): Inputs {
  const cluster = getRequiredString(Input.Cluster);
  const service = getRequiredString(Input.Service);
  const desiredCount = getOptionalString(Input.DesiredCount);
  const command = getOptionalString(Input.RunTask);
  const network = getStructured(Input.RunTaskNetwork);
  const runTaskContainer = getOptionalString(Input.RunTaskContainer);
  if (command === undefined && (network !== undefined || runTaskContainer !== undefined)) {
    throw new ConfigurationError(`inputs "${Input.RunTaskContainer}" and "${Input.RunTaskNetwork}" need "${Input.RunTask}" (the command of the one-off task)`);
  }
  const taskDefinitionArn = readTaskDefinitionArn();
  const changesGiven = [Input.Containers, Input.Environment, Input.Secrets].filter((name) => getOptionalString(name) !== undefined);
  if (taskDefinitionArn && changesGiven.length > 0) {
    throw new ConfigurationError(`input "${Input.TaskDefinition}" names a registered revision (${taskDefinitionArn}), which is deployed as it is: drop ${changesGiven.map((name) => `"${name}"`).join(', ')}, or give a task definition file to render`);
  }
  const runTaskOnly = getBoolean(Input.RunTaskOnly);
  if (runTaskOnly && command === undefined) throw new ConfigurationError(`input "${Input.RunTaskOnly}" needs "${Input.RunTask}" (the command of the one-off task)`);
  return {
    cluster,
    service,
    taskDefinitionFile: readTaskDefinitionFile(),
    taskDefinitionArn,
    runTaskOnly,
    restoreCount: getOptionalInteger(Input.RestoreCount, { min: 1 }),
    images: parseImages(Input.Containers, getOptionalString(Input.Containers) ?? ''),
    environment: readEnvironment(),
    secrets: parseContainerVariables(Input.Secrets, getOptionalString(Input.Secrets) ?? '', { valueRequired: true }),
    desiredCount: desiredCount === undefined ? undefined : parseDesiredCount(Input.DesiredCount, desiredCount),
    forceNewDeployment: getBoolean(Input.ForceNewDeployment),
    wait: getBoolean(Input.Wait),
    timeoutMs: getDuration(Input.Timeout, { positive: true }),
    pollIntervalMs: getDuration(Input.PollInterval, { positive: true }),
    rollback: getChoice(Input.Rollback, ROLLBACK_CHOICES),
    keepRevisions: getOptionalInteger(Input.KeepRevisions, { min: 1 }),
    runTask:
      command === undefined
        ? undefined
        : {
            command: parseCommand(Input.RunTask, command),
            container: runTaskContainer,
            network: network === undefined ? undefined : parseNetworkConfiguration(Input.RunTaskNetwork, network.value),
          },
    region: getOptionalString(Input.Region),
    commitSha: process.env.GITHUB_SHA || undefined,
  };
}
