/**
 * The ECS calls this action makes, each turning an AWS error into one line
 * that names the operation (ActionFailure), and the few reads it repeats.
 */
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  type ECSClient,
  type Service,
  type Tag,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { describeAwsError } from '@deploy-suite/aws';
import { ActionFailure } from '@deploy-suite/kit';

export interface Logger {
  info(line: string): void;
  warning(line: string): void;
}

/** Runs one AWS call; its failure becomes an ActionFailure naming the operation (the SDK has already retried). */
export async function call<T>(operation: string, task: () => Promise<T>): Promise<T> {
  try {
    return await task();
  } catch (error) {
    throw new ActionFailure(describeAwsError(operation, error), { cause: error });
  }
}

const TRANSIENT_NAMES = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'ServerException', 'InternalFailure', 'ServiceUnavailable', 'TimeoutError', 'RequestTimeout']);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED']);

/** Errors a poll may outlive: throttling, 5xx and network faults that outlasted the SDK's own retries. */
export function isTransient(error: unknown): boolean {
  if (error instanceof ActionFailure) return isTransient(error.cause);
  const shape = (error ?? {}) as { name?: string; code?: string; $fault?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  return (
    shape.$retryable !== undefined ||
    shape.$fault === 'server' ||
    (shape.$metadata?.httpStatusCode ?? 0) >= 500 ||
    TRANSIENT_NAMES.has(shape.name ?? '') ||
    NETWORK_CODES.has(shape.code ?? '')
  );
}

export async function describeService(client: ECSClient, cluster: string, service: string): Promise<Service> {
  const response = await call('DescribeServices', () => client.send(new DescribeServicesCommand({ cluster, services: [service], include: ['TAGS'] })));
  const found = response.services?.[0];
  if (!found) {
    const reason = response.failures?.[0]?.reason ?? 'MISSING';
    throw new ActionFailure(`service "${service}" was not found in cluster "${cluster}" (${reason})`);
  }
  if (found.status !== 'ACTIVE') throw new ActionFailure(`service "${service}" in cluster "${cluster}" is ${found.status}, not ACTIVE`);
  return found;
}

export async function describeTaskDefinition(client: ECSClient, taskDefinition: string): Promise<{ definition: TaskDefinition; tags: Tag[] }> {
  const response = await call('DescribeTaskDefinition', () => client.send(new DescribeTaskDefinitionCommand({ taskDefinition, include: ['TAGS'] })));
  if (!response.taskDefinition) throw new ActionFailure(`DescribeTaskDefinition returned no task definition for ${taskDefinition}`);
  return { definition: response.taskDefinition, tags: response.tags ?? [] };
}

/** `web:12` from `arn:aws:ecs:...:task-definition/web:12` (or the value itself when it is not an ARN). */
export function shortTaskDefinition(arn: string | undefined): string {
  if (!arn) return '(none)';
  return arn.includes('task-definition/') ? (arn.split('task-definition/')[1] as string) : arn;
}

/** The family and revision of a task definition ARN. */
export function parseTaskDefinitionArn(arn: string): { family: string; revision: number } | undefined {
  const match = /task-definition\/([^:/]+):(\d+)$/.exec(arn);
  return match ? { family: match[1] as string, revision: Number(match[2]) } : undefined;
}
