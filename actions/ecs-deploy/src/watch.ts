/**
 * Watching a roll-out by polling the service at a steady interval, not the
 * SDK waiter (whose delay grows to minutes): each new service event is printed
 * once, and the verdict follows the deployment that this run started.
 */
import type { Deployment, ECSClient, Service, ServiceEvent } from '@aws-sdk/client-ecs';
import { pollCall } from '@deploy-suite/aws';
import { WaitTimeoutError, formatDuration, waitUntil, type Logger } from '@deploy-suite/kit';
import { describeService } from './aws.js';
import { shortTaskDefinition } from './names.js';

export interface RolloutTarget {
  /** The deployment to follow; undefined when ECS gave none (then: the PRIMARY one on our task definition). */
  deploymentId: string | undefined;
  taskDefinitionArn: string;
  /** The revision before this run: the service back on it means a rollback. */
  previousTaskDefinitionArn: string | undefined;
  /** Only the desired count changed: no new deployment, wait for running = desired. */
  scaleOnly: boolean;
}

export type RolloutVerdict =
  | { state: 'in-progress'; status: string }
  | { state: 'completed' }
  | { state: 'failed'; reason: string }
  /** The circuit breaker (or someone) put the service back on the previous revision. */
  | { state: 'rolled-back-by-ecs'; reason: string; rollbackDeploymentId: string | undefined }
  | { state: 'timed-out'; reason: string };

function counts(deployment: Deployment | Service): string {
  const failed = 'failedTasks' in deployment && deployment.failedTasks ? `, ${deployment.failedTasks} failed` : '';
  return `${deployment.runningCount ?? 0}/${deployment.desiredCount ?? 0} running, ${deployment.pendingCount ?? 0} pending${failed}`;
}

/** Where a roll-out stands, from one DescribeServices answer. Pure: the unit tests drive it with ECS's shapes. */
export function assessRollout(service: Service, target: RolloutTarget): RolloutVerdict {
  const deployments = service.deployments ?? [];
  const primary = deployments.find((deployment) => deployment.status === 'PRIMARY');
  if (target.scaleOnly) {
    const steady = deployments.length <= 1 && service.runningCount === service.desiredCount && (service.pendingCount ?? 0) === 0;
    return steady ? { state: 'completed' } : { state: 'in-progress', status: `${counts(service)}, ${deployments.length} deployment(s)` };
  }
  const ours = target.deploymentId
    ? deployments.find((deployment) => deployment.id === target.deploymentId)
    : deployments.find((deployment) => deployment.status === 'PRIMARY' && deployment.taskDefinition === target.taskDefinitionArn);
  const label = `deployment ${target.deploymentId ?? '(ours)'}`;
  const previous = target.previousTaskDefinitionArn;
  const backOnPrevious = previous !== undefined && previous !== target.taskDefinitionArn;
  const rollbackByEcs = (reason: string): RolloutVerdict => ({
    state: 'rolled-back-by-ecs',
    reason,
    rollbackDeploymentId: primary?.taskDefinition === previous ? primary?.id : undefined,
  });
  if (ours?.rolloutState === 'FAILED') {
    const reason = `${label} failed: ${ours.rolloutStateReason ?? 'rollout state FAILED'}`;
    return backOnPrevious && primary && primary !== ours && primary.taskDefinition === previous ? rollbackByEcs(reason) : { state: 'failed', reason };
  }
  if (!ours || (primary && primary.id !== ours.id)) {
    if (backOnPrevious && primary?.taskDefinition === previous) {
      return rollbackByEcs(`${label} is no longer PRIMARY: ECS started deployment ${primary.id} back on ${shortTaskDefinition(previous)} (a circuit-breaker rollback)`);
    }
    const replacement = primary ? `deployment ${primary.id} on ${shortTaskDefinition(primary.taskDefinition)} replaced it` : 'the service has no PRIMARY deployment';
    return { state: 'failed', reason: `${label} is no longer PRIMARY: ${replacement} (another deployment started?)` };
  }
  if (backOnPrevious && service.taskDefinition === previous) {
    return rollbackByEcs(`the service is back on ${shortTaskDefinition(previous)}`);
  }
  if (ours.rolloutState === 'COMPLETED') return { state: 'completed' };
  if (!ours.rolloutState && deployments.length === 1 && ours.runningCount === ours.desiredCount) return { state: 'completed' };
  const rollout = ours.rolloutState ? `${ours.rolloutState}, ` : '';
  const others = deployments.length > 1 ? `, ${deployments.length - 1} older deployment(s) draining` : '';
  return { state: 'in-progress', status: `${rollout}${counts(ours)}${others}` };
}

export interface WatchOptions {
  cluster: string;
  service: string;
  target: RolloutTarget;
  pollIntervalMs: number;
  timeoutMs: number;
  /** What is being watched, for the progress lines ("the roll-out of web:5"). */
  description: string;
  log: Logger;
  /** Events already shown (or there before this run); new ones are added. */
  seenEventIds: Set<string>;
  /** Every new event, oldest first, for the summary. */
  timeline: ServiceEvent[];
  now?: () => number;
}

export interface WatchResult {
  verdict: Exclude<RolloutVerdict, { state: 'in-progress' }>;
  elapsedMs: number;
  /** The last answer, for the stopped tasks of a failure. */
  service: Service | undefined;
}

/** Records events not seen before, oldest first, and prints each once. */
export function recordNewEvents(service: Service, seen: Set<string>, timeline: ServiceEvent[], log: Logger): void {
  const fresh = (service.events ?? []).filter((event) => event.id && !seen.has(event.id));
  fresh.sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0));
  for (const event of fresh) {
    seen.add(event.id as string);
    timeline.push(event);
    log.info(`${event.createdAt?.toISOString() ?? ''} ${event.message ?? ''}`.trim());
  }
}

export async function watchRollout(client: ECSClient, options: WatchOptions): Promise<WatchResult> {
  const now = options.now ?? Date.now;
  const started = now();
  let last: Service | undefined;
  try {
    const verdict = await waitUntil<WatchResult['verdict']>(
      async () => {
        const service = await pollCall('DescribeServices', () => describeService(client, options.cluster, options.service), (line) => options.log.warning(line));
        if (!service) return { done: false, status: 'the last DescribeServices call failed' };
        last = service;
        recordNewEvents(service, options.seenEventIds, options.timeline, options.log);
        const verdict = assessRollout(service, options.target);
        return verdict.state === 'in-progress' ? { done: false, status: verdict.status } : { done: true, value: verdict };
      },
      {
        description: options.description,
        timeoutMs: options.timeoutMs,
        initialDelayMs: options.pollIntervalMs,
        maxDelayMs: options.pollIntervalMs,
        factor: 1,
        jitter: 0,
        progressIntervalMs: Math.max(options.pollIntervalMs, 30_000),
        progress: (line) => options.log.info(line),
        now,
      },
    );
    return { verdict, elapsedMs: now() - started, service: last };
  } catch (error) {
    if (!(error instanceof WaitTimeoutError)) throw error;
    return {
      verdict: { state: 'timed-out', reason: `${options.description} did not finish within ${formatDuration(options.timeoutMs)}${error.lastStatus ? ` (last status: ${error.lastStatus})` : ''}` },
      elapsedMs: now() - started,
      service: last,
    };
  }
}
