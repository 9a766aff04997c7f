/**
 * ECS roll-outs for the staging environment. moto never moves a deployment
 * along (FACTS.md): its service keeps one PRIMARY deployment IN_PROGRESS with
 * nothing running. This sits in the fault proxy in front of moto and answers
 * UpdateService and DescribeServices as ECS does: an update with a task
 * definition (or forceNewDeployment) starts a new PRIMARY deployment that
 * completes on the next poll (tasks running = desired, the old deployment
 * gone), or fails (rolloutState FAILED) when a test asked for it with
 * `failNextRollout`. A count-only update moves the running count on the next poll.
 *
 * One-off tasks (RunTask, e.g. a migration run from inside the VPC): moto
 * starts a task that never stops. Here a RunTask hands the task to the
 * environment's task runner, and DescribeTasks answers RUNNING until the
 * runner is done, then STOPPED with the container's exit code, as ECS does.
 */
import { jsonRewrite, type FaultProxy } from '../services/fault-proxy.js';

interface WireDeployment {
  id: string;
  status: 'PRIMARY' | 'ACTIVE';
  taskDefinition: string;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  failedTasks: number;
  rolloutState: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  rolloutStateReason: string;
  launchType: string;
  createdAt: number;
  updatedAt: number;
}

interface WireEvent {
  id: string;
  createdAt: number;
  message: string;
}

interface ServiceState {
  deployments: WireDeployment[];
  events: WireEvent[];
}

type Body = Record<string, unknown>;

export interface RolloutRecord {
  service: string;
  taskDefinition: string;
  outcome: 'completed' | 'failed';
}

/** A one-off task as RunTask asked for it. */
export interface OneOffTask {
  taskArn: string;
  taskDefinition: string;
  container: string;
  command: string[];
}

export interface TaskOutcome {
  /** undefined when the container never ran (ECS reports no exit code, e.g. the image could not be pulled). */
  exitCode: number | undefined;
  reason: string;
  output: string;
}

export type TaskRunner = (task: OneOffTask) => Promise<TaskOutcome>;

export interface TaskRecord extends OneOffTask {
  outcome?: TaskOutcome;
}

export class EcsRollouts {
  private readonly services = new Map<string, ServiceState>();
  private readonly failures = new Map<string, string[]>();
  private count = 0;
  /** Every roll-out that ended, in order: what the pipeline asked ECS to run and how it went. */
  readonly history: RolloutRecord[] = [];
  /** Every one-off task started, in order, with its outcome once it stopped. */
  readonly tasks: TaskRecord[] = [];

  constructor(private readonly runTask: TaskRunner = async () => ({ exitCode: undefined, reason: 'CannotStartContainerError: no task runner', output: '' })) {}

  install(proxy: FaultProxy): void {
    const rewrite = jsonRewrite((body, request) => this.rewrite(body, JSON.parse(request.body.toString('utf8') || '{}') as Body, request.operation));
    proxy.addRule({
      match: (request) => request.operation === 'DescribeServices' || request.operation === 'UpdateService',
      fault: { kind: 'rewrite', rewrite: (response, request) => (response.status === 200 && rewrite.kind === 'rewrite' ? rewrite.rewrite(response, request) : response) },
    });
    const tasks = jsonRewrite((body, request) => (request.operation === 'RunTask' ? this.started(body, JSON.parse(request.body.toString('utf8') || '{}') as Body) : this.described(body)));
    proxy.addRule({
      match: (request) => request.operation === 'RunTask' || request.operation === 'DescribeTasks',
      fault: { kind: 'rewrite', rewrite: (response, request) => (response.status === 200 && tasks.kind === 'rewrite' ? tasks.rewrite(response, request) : response) },
    });
  }

  /** The next roll-out of this service (by name) fails with this reason, as the circuit breaker reports it. */
  failNextRollout(service: string, reason = 'ECS deployment circuit breaker: tasks failed to start.'): void {
    this.failures.set(service, [...(this.failures.get(service) ?? []), reason]);
  }

  reset(): void {
    this.services.clear();
    this.failures.clear();
    this.history.splice(0);
    this.tasks.splice(0);
  }

  /** RunTask: each task moto started goes to the task runner; ECS answers it PROVISIONING. */
  private started(body: Body, request: Body): Body {
    const override = ((request.overrides as Body | undefined)?.containerOverrides as Body[] | undefined)?.[0] ?? {};
    for (const task of (body.tasks as Body[] | undefined) ?? []) {
      const record: TaskRecord = {
        taskArn: String(task.taskArn),
        taskDefinition: String(request.taskDefinition),
        container: String(override.name ?? ''),
        command: ((override.command as string[] | undefined) ?? []).map(String),
      };
      this.tasks.push(record);
      void this.runTask(record).then(
        (outcome) => (record.outcome = outcome),
        (error: unknown) => (record.outcome = { exitCode: undefined, reason: `CannotStartContainerError: ${String(error)}`, output: '' }),
      );
      Object.assign(task, { lastStatus: 'PROVISIONING', desiredStatus: 'RUNNING' });
    }
    return body;
  }

  /** DescribeTasks: a one-off task runs until its runner is done, then it is STOPPED with the exit code. */
  private described(body: Body): Body {
    for (const task of (body.tasks as Body[] | undefined) ?? []) {
      const record = this.tasks.find((candidate) => candidate.taskArn === task.taskArn);
      if (!record) continue;
      if (!record.outcome) {
        Object.assign(task, { lastStatus: 'RUNNING', desiredStatus: 'RUNNING' });
        continue;
      }
      const { exitCode, reason } = record.outcome;
      Object.assign(task, {
        lastStatus: 'STOPPED',
        desiredStatus: 'STOPPED',
        stopCode: exitCode === undefined ? 'TaskFailedToStart' : 'EssentialContainerExited',
        stoppedReason: exitCode === undefined ? reason : 'Essential container in task exited',
        containers: [{ name: record.container, lastStatus: 'STOPPED', ...(exitCode === undefined ? { reason } : { exitCode }) }],
      });
    }
    return body;
  }

  private rewrite(body: Body, request: Body, operation: string): Body {
    const cluster = String(request.cluster ?? 'default').split('/').pop() as string;
    const answered = operation === 'UpdateService' ? [body.service as Body | undefined] : ((body.services as Body[] | undefined) ?? []);
    for (const service of answered) {
      if (!service) continue;
      const name = String(service.serviceName);
      const key = `${cluster}/${name}`;
      let state = this.services.get(key);
      if (!state) {
        state = this.seed(service);
        this.services.set(key, state);
      }
      if (operation === 'UpdateService') this.update(name, state, request);
      else this.advance(name, state);
      this.project(service, state);
    }
    return body;
  }

  private now(): number {
    return Date.now() / 1000;
  }

  private event(state: ServiceState, service: string, message: string): void {
    state.events.unshift({ id: `staging-event-${++this.count}`, createdAt: this.now(), message: `(service ${service}) ${message}` });
  }

  /** The service as moto has it, steady: one completed deployment with every task running. */
  private seed(service: Body): ServiceState {
    const first = ((service.deployments as Partial<WireDeployment>[] | undefined) ?? [])[0] ?? {};
    const desired = Number(service.desiredCount ?? 0);
    return {
      deployments: [
        {
          id: String(first.id ?? `ecs-svc/staging-${++this.count}`),
          status: 'PRIMARY',
          // moto's deployment keeps the first task definition; service.taskDefinition is already
          // the new one when an UpdateService answer is the first sight of the service.
          taskDefinition: String(first.taskDefinition ?? service.taskDefinition),
          desiredCount: desired,
          runningCount: desired,
          pendingCount: 0,
          failedTasks: 0,
          rolloutState: 'COMPLETED',
          rolloutStateReason: 'ECS deployment completed.',
          launchType: 'FARGATE',
          createdAt: this.now(),
          updatedAt: this.now(),
        },
      ],
      events: [],
    };
  }

  private update(name: string, state: ServiceState, request: Body): void {
    const primary = state.deployments.find((deployment) => deployment.status === 'PRIMARY') as WireDeployment;
    const desired = typeof request.desiredCount === 'number' ? request.desiredCount : primary.desiredCount;
    const changesTasks = request.taskDefinition !== undefined && request.taskDefinition !== primary.taskDefinition;
    if (!changesTasks && !request.forceNewDeployment) {
      primary.desiredCount = desired;
      return;
    }
    for (const deployment of state.deployments) deployment.status = 'ACTIVE';
    const id = `ecs-svc/staging-${++this.count}`;
    state.deployments.unshift({
      id,
      status: 'PRIMARY',
      taskDefinition: String(request.taskDefinition ?? primary.taskDefinition),
      desiredCount: desired,
      runningCount: 0,
      pendingCount: desired,
      failedTasks: 0,
      rolloutState: 'IN_PROGRESS',
      rolloutStateReason: `ECS deployment ${id} in progress.`,
      launchType: 'FARGATE',
      createdAt: this.now(),
      updatedAt: this.now(),
    });
    this.event(state, name, `has started ${desired} tasks: (deployment ${id}).`);
  }

  /** One poll: a deployment in progress completes or fails; counts catch up with desired. */
  private advance(name: string, state: ServiceState): void {
    const primary = state.deployments.find((deployment) => deployment.status === 'PRIMARY') as WireDeployment;
    if (primary.rolloutState === 'IN_PROGRESS') {
      const failure = this.failures.get(name)?.shift();
      if (failure) {
        Object.assign(primary, { rolloutState: 'FAILED', rolloutStateReason: failure, runningCount: 0, pendingCount: 0, failedTasks: 3, updatedAt: this.now() });
        this.event(state, name, `(deployment ${primary.id}) deployment failed: tasks failed to start.`);
        this.history.push({ service: name, taskDefinition: primary.taskDefinition, outcome: 'failed' });
        return;
      }
      Object.assign(primary, { rolloutState: 'COMPLETED', rolloutStateReason: `ECS deployment ${primary.id} completed.`, runningCount: primary.desiredCount, pendingCount: 0, updatedAt: this.now() });
      state.deployments = [primary];
      this.event(state, name, `(deployment ${primary.id}) deployment completed.`);
      this.event(state, name, 'has reached a steady state.');
      this.history.push({ service: name, taskDefinition: primary.taskDefinition, outcome: 'completed' });
      return;
    }
    if (primary.rolloutState === 'COMPLETED' && primary.runningCount !== primary.desiredCount) {
      const difference = primary.desiredCount - primary.runningCount;
      primary.runningCount = primary.desiredCount;
      this.event(state, name, difference > 0 ? `has started ${difference} tasks.` : `has stopped ${-difference} running tasks.`);
      this.event(state, name, 'has reached a steady state.');
    }
  }

  private project(service: Body, state: ServiceState): void {
    const primary = state.deployments.find((deployment) => deployment.status === 'PRIMARY') as WireDeployment;
    service.deployments = state.deployments.map((deployment) => ({ ...deployment }));
    service.runningCount = state.deployments.reduce((sum, deployment) => sum + deployment.runningCount, 0);
    service.pendingCount = state.deployments.reduce((sum, deployment) => sum + deployment.pendingCount, 0);
    service.desiredCount = primary.desiredCount;
    service.events = [...state.events, ...((service.events as WireEvent[] | undefined) ?? [])].slice(0, 100);
  }
}
