/**
 * Fixtures for the ecs-deploy tests: a cluster, VPC and FARGATE service of
 * its own per test in moto, and an ECS roll-out simulator that sits in the
 * fault proxy between the action and moto. moto never moves a deployment
 * along (see shared FACTS), so the simulator answers DescribeServices,
 * UpdateService and DescribeTasks the way ECS does: a new PRIMARY deployment
 * per update that completes, fails, is rolled back by the circuit breaker or
 * hangs, with the service events ECS writes, and one-off tasks that stop with
 * an exit code.
 */
import { randomBytes } from 'node:crypto';
import { CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand, EC2Client, ModifyVpcAttributeCommand } from '@aws-sdk/client-ec2';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  type ContainerDefinition,
} from '@aws-sdk/client-ecs';
import { awsEnvironment, jsonRewrite, services, startFaultProxy, type FaultProxy, type ProxiedRequest } from '../../src/index.js';

export const REGION = 'us-east-1';

const clientConfig = (endpoint: string) => ({
  endpoint,
  region: REGION,
  credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
});

export function ecsClient(): ECSClient {
  return new ECSClient(clientConfig(services().motoUrl));
}

export interface ServiceFixture {
  cluster: string;
  service: string;
  family: string;
  /** The revision the service starts on. */
  firstArn: string;
  subnet: string;
  securityGroup: string;
  ecs: ECSClient;
}

export const APP_CONTAINER: ContainerDefinition = {
  name: 'app',
  image: 'registry.example/app:1.0.0',
  essential: true,
  memory: 256,
  environment: [
    { name: 'LOG_LEVEL', value: 'info' },
    { name: 'KEEP_ME', value: 'kept' },
  ],
  secrets: [{ name: 'DB_PASSWORD', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/db-password' }],
};

export const SIDECAR_CONTAINER: ContainerDefinition = {
  name: 'proxy',
  image: 'registry.example/envoy:1.30',
  essential: true,
  memory: 128,
};

/** A cluster, a VPC with DNS hostnames (moto's RunTask needs them), a revision and a 2-task FARGATE service. */
export async function createService(label: string, options: { containers?: ContainerDefinition[]; desiredCount?: number } = {}): Promise<ServiceFixture> {
  const motoUrl = services().motoUrl;
  const ecs = ecsClient();
  const ec2 = new EC2Client(clientConfig(motoUrl));
  const cluster = `ecsd-${label}-${randomBytes(3).toString('hex')}`;
  const family = `${cluster}-web`;
  const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc?.VpcId as string;
  await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpc, EnableDnsHostnames: { Value: true } }));
  const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: '10.0.1.0/24' }))).Subnet?.SubnetId as string;
  const securityGroup = (await ec2.send(new CreateSecurityGroupCommand({ VpcId: vpc, GroupName: `${cluster}-sg`, Description: 'ecs-deploy test' }))).GroupId as string;
  ec2.destroy();
  await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  const registered = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family,
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      containerDefinitions: options.containers ?? [APP_CONTAINER],
    }),
  );
  const firstArn = registered.taskDefinition?.taskDefinitionArn as string;
  await ecs.send(
    new CreateServiceCommand({
      cluster,
      serviceName: 'web',
      taskDefinition: firstArn,
      desiredCount: options.desiredCount ?? 2,
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: [subnet], securityGroups: [securityGroup], assignPublicIp: 'DISABLED' } },
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
    }),
  );
  return { cluster, service: 'web', family, firstArn, subnet, securityGroup, ecs };
}

/** Stopped tasks in moto as ECS leaves them after a failed deployment (startedBy = the deployment id). */
export async function createStoppedTasks(fixture: ServiceFixture, deploymentId: string, count: number, reason: string): Promise<string[]> {
  const arns: string[] = [];
  for (let index = 0; index < count; index++) {
    const task = await fixture.ecs.send(
      new RunTaskCommand({
        cluster: fixture.cluster,
        taskDefinition: fixture.firstArn,
        launchType: 'FARGATE',
        startedBy: deploymentId,
        networkConfiguration: { awsvpcConfiguration: { subnets: [fixture.subnet], securityGroups: [fixture.securityGroup] } },
      }),
    );
    const arn = task.tasks?.[0]?.taskArn as string;
    await fixture.ecs.send(new StopTaskCommand({ cluster: fixture.cluster, task: arn, reason }));
    arns.push(arn);
  }
  return arns;
}

/** How one deployment behaves, counted in DescribeServices polls after it started. */
export type Behaviour =
  | { kind: 'complete'; afterPolls: number }
  | { kind: 'fail'; afterPolls: number }
  | { kind: 'circuit-breaker'; afterPolls: number }
  | { kind: 'stuck' }
  /** A service without rollout state (no circuit breaker): steady when running equals desired. */
  | { kind: 'no-rollout-state'; afterPolls: number };

export interface OneOffTaskBehaviour {
  /** DescribeTasks answers before the task reports STOPPED; Infinity: it never stops. */
  stopsAfterPolls: number;
  /** The command container's exit code; undefined: stopped without one (e.g. the image could not be pulled). */
  exitCode: number | undefined;
  stopCode?: string;
  stoppedReason?: string;
}

interface WireDeployment {
  id: string;
  status: string;
  taskDefinition: string;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  failedTasks: number;
  rolloutState?: string;
  rolloutStateReason?: string;
  createdAt: number;
  updatedAt: number;
  [key: string]: unknown;
}

interface WireEvent {
  id: string;
  createdAt: number;
  message: string;
}

type Body = Record<string, unknown>;

export class EcsSimulator {
  /** The requests the action made, by operation, bodies parsed. */
  readonly requests: { operation: string; body: Body }[] = [];
  /** Answers the simulated ECS made, by operation: a request counts once ECS has acted on it, not when it arrives. */
  private readonly answers = new Map<string, number>();
  private deployments: WireDeployment[] | undefined;
  private events: WireEvent[] = [];
  private readonly pollsOf = new Map<string, number>();
  private readonly behaviourOf = new Map<string, Behaviour>();
  private readonly taskPolls = new Map<string, number>();
  private deploymentCount = 0;
  private eventCount = 0;
  private clock = Math.floor(Date.now() / 1000) - 600;

  constructor(
    private readonly serviceName: string,
    /** One per deployment the action starts, in order (the roll-out, then a rollback). */
    private readonly behaviours: Behaviour[],
    private readonly options: {
      oneOffTask?: OneOffTaskBehaviour;
      /** What DescribeTasks adds to the stopped tasks of a deployment (moto has no stop codes or exit codes). */
      stoppedTaskDetails?: { stopCode: string; exitCode: number; reason: string };
    } = {},
  ) {}

  /** Deployment ids are predictable: the first deployment the action starts is `ecs-svc/sim-1`. */
  static deploymentId(index: number): string {
    return `ecs-svc/sim-${index}`;
  }

  install(proxy: FaultProxy): void {
    const rewrite = jsonRewrite((body, request) => this.rewrite(body, request));
    proxy.addRule({
      match: (request) => {
        if (!['DescribeServices', 'UpdateService', 'DescribeTasks', 'RunTask'].includes(request.operation)) return false;
        // Recorded as ECS receives them, whatever it answers.
        this.requests.push({ operation: request.operation, body: JSON.parse(request.body.toString('utf8') || '{}') as Body });
        return true;
      },
      fault: {
        kind: 'rewrite',
        // ECS's errors pass through untouched; only answers are rewritten.
        rewrite: (response, request) => (response.status === 200 && rewrite.kind === 'rewrite' ? rewrite.rewrite(response, request) : response),
      },
    });
  }

  /** Requests received, answered or not. */
  count(operation: string): number {
    return this.requests.filter((request) => request.operation === operation).length;
  }

  /**
   * Requests the simulated ECS has acted on (in the order it answers them, which under load need not be the
   * order they arrived in): wait on this, not `count`, before a step that must come after one of them.
   */
  answered(operation: string): number {
    return this.answers.get(operation) ?? 0;
  }

  private tick(): number {
    this.clock += 5;
    return this.clock;
  }

  private event(message: string): void {
    this.events.unshift({ id: `sim-event-${++this.eventCount}`, createdAt: this.tick(), message: `(service ${this.serviceName}) ${message}` });
  }

  private rewrite(body: Body, request: ProxiedRequest): Body {
    const requestBody = JSON.parse(request.body.toString('utf8') || '{}') as Body;
    this.answers.set(request.operation, this.answered(request.operation) + 1);
    if (request.operation === 'RunTask') return body;
    if (request.operation === 'DescribeTasks') return this.describeTasks(body);
    const service = (request.operation === 'UpdateService' ? body.service : (body.services as Body[] | undefined)?.[0]) as Body | undefined;
    if (!service) return body;
    if (!this.deployments) this.seed(service);
    if (request.operation === 'UpdateService') this.update(requestBody);
    else this.advance();
    this.project(service);
    return body;
  }

  /** The service as it was before the action: one steady deployment and an old event. */
  private seed(service: Body): void {
    const [first] = service.deployments as WireDeployment[];
    const desired = Number(service.desiredCount);
    this.deployments = [{ ...(first as WireDeployment), rolloutState: 'COMPLETED', runningCount: desired, pendingCount: 0 }];
    this.event('has reached a steady state.');
  }

  private update(request: Body): void {
    const deployments = this.deployments as WireDeployment[];
    const primary = deployments.find((deployment) => deployment.status === 'PRIMARY') as WireDeployment;
    if (request.taskDefinition === undefined && !request.forceNewDeployment) {
      // A new count only: no new deployment, ECS starts or stops tasks of the current one.
      if (typeof request.desiredCount === 'number') primary.desiredCount = request.desiredCount;
      return;
    }
    const behaviour = this.behaviours.shift() ?? { kind: 'stuck' };
    this.start(String(request.taskDefinition ?? primary.taskDefinition), typeof request.desiredCount === 'number' ? request.desiredCount : primary.desiredCount, behaviour);
  }

  private start(taskDefinition: string, desiredCount: number, behaviour: Behaviour, id = EcsSimulator.deploymentId(++this.deploymentCount)): WireDeployment {
    const deployments = this.deployments as WireDeployment[];
    for (const deployment of deployments) if (deployment.status === 'PRIMARY') deployment.status = 'ACTIVE';
    const now = this.tick();
    const deployment: WireDeployment = {
      id,
      status: 'PRIMARY',
      taskDefinition,
      desiredCount,
      runningCount: 0,
      pendingCount: desiredCount,
      failedTasks: 0,
      launchType: 'FARGATE',
      rolloutState: 'IN_PROGRESS',
      rolloutStateReason: `ECS deployment ${id} in progress.`,
      createdAt: now,
      updatedAt: now,
    };
    if (behaviour.kind === 'no-rollout-state') {
      delete deployment.rolloutState;
      delete deployment.rolloutStateReason;
    }
    deployments.unshift(deployment);
    this.behaviourOf.set(id, behaviour);
    this.pollsOf.set(id, 0);
    return deployment;
  }

  /** One DescribeServices poll: every deployment in flight takes one step. */
  private advance(): void {
    for (const deployment of [...(this.deployments as WireDeployment[])]) {
      if (deployment.rolloutState === 'COMPLETED' && deployment.runningCount !== deployment.desiredCount) {
        const difference = deployment.desiredCount - deployment.runningCount;
        this.event(difference > 0 ? `has started ${difference} tasks.` : `has stopped ${-difference} running tasks.`);
        Object.assign(deployment, { runningCount: deployment.desiredCount, pendingCount: 0 });
        this.event('has reached a steady state.');
      }
      const behaviour = this.behaviourOf.get(deployment.id);
      if (!behaviour || deployment.rolloutState === 'FAILED' || deployment.rolloutState === 'COMPLETED') continue;
      const polls = (this.pollsOf.get(deployment.id) ?? 0) + 1;
      this.pollsOf.set(deployment.id, polls);
      if (polls === 1) this.event(`has started ${deployment.desiredCount} tasks: (deployment ${deployment.id}).`);
      if (behaviour.kind === 'stuck') {
        if (polls === 1) this.event('was unable to place a task because no container instance met all of its requirements.');
        continue;
      }
      if (polls < behaviour.afterPolls) continue;
      if (behaviour.kind === 'complete' || behaviour.kind === 'no-rollout-state') this.complete(deployment, behaviour.kind === 'complete');
      else this.fail(deployment, behaviour.kind === 'circuit-breaker');
    }
  }

  private complete(deployment: WireDeployment, withRolloutState: boolean): void {
    Object.assign(deployment, { runningCount: deployment.desiredCount, pendingCount: 0, updatedAt: this.tick() });
    if (withRolloutState) Object.assign(deployment, { rolloutState: 'COMPLETED', rolloutStateReason: `ECS deployment ${deployment.id} completed.` });
    this.deployments = (this.deployments as WireDeployment[]).filter((candidate) => candidate === deployment);
    this.event(`(deployment ${deployment.id}) deployment completed.`);
    this.event('has reached a steady state.');
  }

  private fail(deployment: WireDeployment, rollBack: boolean): void {
    Object.assign(deployment, {
      rolloutState: 'FAILED',
      rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
      failedTasks: 3,
      runningCount: 0,
      pendingCount: 0,
      updatedAt: this.tick(),
    });
    this.event(`(deployment ${deployment.id}) deployment failed: tasks failed to start.`);
    if (!rollBack) return;
    const previous = (this.deployments as WireDeployment[]).find((candidate) => candidate.status === 'ACTIVE' && candidate !== deployment);
    if (!previous) return;
    const behaviour = this.behaviours.shift() ?? { kind: 'complete', afterPolls: 1 };
    this.deployments = (this.deployments as WireDeployment[]).filter((candidate) => candidate !== previous);
    const rollback = this.start(previous.taskDefinition, previous.desiredCount, behaviour, `ecs-svc/sim-rollback-${deployment.id.split('-').pop()}`);
    deployment.status = 'ACTIVE';
    this.event(`(deployment ${deployment.id}) rolling back to deployment ${rollback.id}.`);
  }

  private project(service: Body): void {
    const deployments = this.deployments as WireDeployment[];
    const primary = deployments.find((deployment) => deployment.status === 'PRIMARY') as WireDeployment;
    service.deployments = deployments.map((deployment) => ({ ...deployment }));
    service.events = this.events.map((event) => ({ ...event }));
    service.taskDefinition = primary.taskDefinition;
    service.runningCount = deployments.reduce((sum, deployment) => sum + deployment.runningCount, 0);
    service.pendingCount = deployments.reduce((sum, deployment) => sum + deployment.pendingCount, 0);
  }

  private describeTasks(body: Body): Body {
    for (const task of (body.tasks as Body[] | undefined) ?? []) {
      const startedBy = String(task.startedBy ?? '');
      if (startedBy === 'deploy-suite/ecs-deploy' && this.options.oneOffTask) {
        const behaviour = this.options.oneOffTask;
        const arn = String(task.taskArn);
        const polls = (this.taskPolls.get(arn) ?? 0) + 1;
        this.taskPolls.set(arn, polls);
        if (polls < behaviour.stopsAfterPolls) {
          task.lastStatus = polls === 1 ? 'PROVISIONING' : 'RUNNING';
          continue;
        }
        Object.assign(task, {
          lastStatus: 'STOPPED',
          desiredStatus: 'STOPPED',
          stopCode: behaviour.stopCode ?? 'EssentialContainerExited',
          stoppedReason: behaviour.stoppedReason ?? 'Essential container in task exited',
        });
        for (const container of (task.containers as Body[] | undefined) ?? []) {
          container.lastStatus = 'STOPPED';
          if (behaviour.exitCode === undefined) delete container.exitCode;
          else container.exitCode = behaviour.exitCode;
        }
      } else if (startedBy.startsWith('ecs-svc/') && this.options.stoppedTaskDetails) {
        const details = this.options.stoppedTaskDetails;
        task.stopCode = details.stopCode;
        for (const container of (task.containers as Body[] | undefined) ?? []) Object.assign(container, { exitCode: details.exitCode, reason: details.reason, lastStatus: 'STOPPED' });
      }
    }
    return body;
  }
}

/** A proxy in front of moto with a simulator installed, and the env that points the action at it. */
export async function simulatedEcs(simulator: EcsSimulator, beforeSimulator: (proxy: FaultProxy) => void = () => {}): Promise<{ proxy: FaultProxy; env: Record<string, string> }> {
  const proxy = await startFaultProxy(services().motoUrl);
  beforeSimulator(proxy);
  simulator.install(proxy);
  return { proxy, env: awsEnvironment(proxy.url, REGION) };
}

/** Fast polling for tests: the defaults are 10s and 15m. */
export const FAST = { 'poll-interval': '100ms', timeout: '10s' } as const;
