import type { Deployment, Service } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { assessRollout, recordNewEvents, type RolloutTarget } from './watch.js';

const OLD = 'arn:aws:ecs:us-east-1:1:task-definition/web:1';
const NEW = 'arn:aws:ecs:us-east-1:1:task-definition/web:2';
const target: RolloutTarget = { deploymentId: 'ecs-svc/new', taskDefinitionArn: NEW, previousTaskDefinitionArn: OLD, scaleOnly: false };

function deployment(fields: Partial<Deployment>): Deployment {
  return { desiredCount: 2, runningCount: 0, pendingCount: 2, failedTasks: 0, ...fields };
}
function service(deployments: Deployment[], fields: Partial<Service> = {}): Service {
  const primary = deployments.find((candidate) => candidate.status === 'PRIMARY');
  return { taskDefinition: primary?.taskDefinition, desiredCount: 2, runningCount: 0, pendingCount: 0, deployments, ...fields };
}
const ours = (fields: Partial<Deployment> = {}) => deployment({ id: 'ecs-svc/new', status: 'PRIMARY', taskDefinition: NEW, rolloutState: 'IN_PROGRESS', ...fields });
const old = (fields: Partial<Deployment> = {}) => deployment({ id: 'ecs-svc/old', status: 'ACTIVE', taskDefinition: OLD, runningCount: 2, pendingCount: 0, rolloutState: 'COMPLETED', ...fields });

describe('assessRollout', () => {
  it.each<[string, Service, RolloutTarget, string]>([
    ['in progress while the old deployment drains', service([ours(), old()]), target, 'in-progress'],
    ['COMPLETED', service([ours({ rolloutState: 'COMPLETED', runningCount: 2, pendingCount: 0 })]), target, 'completed'],
    ['FAILED', service([ours({ rolloutState: 'FAILED', rolloutStateReason: 'tasks failed to start.' }), old()]), target, 'failed'],
    [
      'FAILED with the circuit breaker rolling back',
      service([deployment({ id: 'ecs-svc/rb', status: 'PRIMARY', taskDefinition: OLD }), ours({ status: 'ACTIVE', rolloutState: 'FAILED' })]),
      target,
      'rolled-back-by-ecs',
    ],
    ['ours gone, the service on the old revision', service([deployment({ id: 'ecs-svc/rb', status: 'PRIMARY', taskDefinition: OLD })]), target, 'rolled-back-by-ecs'],
    ['ours replaced by another revision', service([deployment({ id: 'ecs-svc/other', status: 'PRIMARY', taskDefinition: 'web:3' }), ours({ status: 'ACTIVE' })]), target, 'failed'],
    ['no rollout state, running equals desired, alone', service([ours({ rolloutState: undefined, runningCount: 2, pendingCount: 0 })]), target, 'completed'],
    ['no rollout state, old one still there', service([ours({ rolloutState: undefined, runningCount: 2 }), old({ rolloutState: undefined })]), target, 'in-progress'],
    ['scale only: steady', service([old({ status: 'PRIMARY' })], { desiredCount: 3, runningCount: 3 }), { ...target, scaleOnly: true }, 'completed'],
    ['scale only: still starting', service([old({ status: 'PRIMARY' })], { desiredCount: 3, runningCount: 2, pendingCount: 1 }), { ...target, scaleOnly: true }, 'in-progress'],
    [
      'no deployment id: the PRIMARY one on our revision',
      service([ours({ id: 'x', rolloutState: 'COMPLETED' })]),
      { ...target, deploymentId: undefined },
      'completed',
    ],
  ])('%s', (_name, answer, rolloutTarget, state) => {
    expect(assessRollout(answer, rolloutTarget).state).toBe(state);
  });

  it('names the deployment and ECS reason on failure, and the rollback deployment', () => {
    const verdict = assessRollout(
      service([deployment({ id: 'ecs-svc/rb', status: 'PRIMARY', taskDefinition: OLD }), ours({ status: 'ACTIVE', rolloutState: 'FAILED', rolloutStateReason: 'circuit breaker: tasks failed to start.' })]),
      target,
    );
    expect(verdict).toEqual({ state: 'rolled-back-by-ecs', reason: 'deployment ecs-svc/new failed: circuit breaker: tasks failed to start.', rollbackDeploymentId: 'ecs-svc/rb' });
  });

  it('reports counts while in progress', () => {
    expect(assessRollout(service([ours({ runningCount: 1, pendingCount: 1, failedTasks: 2 }), old()]), target)).toEqual({
      state: 'in-progress',
      status: 'IN_PROGRESS, 1/2 running, 1 pending, 2 failed, 1 older deployment(s) draining',
    });
  });
});

describe('recordNewEvents', () => {
  it('prints each event once, oldest first', () => {
    const seen = new Set(['e0']);
    const timeline: unknown[] = [];
    const lines: string[] = [];
    const log = { info: (line: string) => lines.push(line), warning: () => {}, debug: () => {} };
    const events = [
      { id: 'e2', createdAt: new Date('2026-01-01T00:00:02Z'), message: 'second' },
      { id: 'e1', createdAt: new Date('2026-01-01T00:00:01Z'), message: 'first' },
      { id: 'e0', createdAt: new Date('2026-01-01T00:00:00Z'), message: 'before the run' },
    ];
    recordNewEvents({ events }, seen, timeline as never, log);
    recordNewEvents({ events }, seen, timeline as never, log);
    expect(lines).toEqual(['2026-01-01T00:00:01.000Z first', '2026-01-01T00:00:02.000Z second']);
    expect(timeline).toHaveLength(2);
  });
});
