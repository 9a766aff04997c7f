/**
 * How the action names task definitions and stopped tasks in its log, errors
 * and summary. No SDK here (types only): main.ts imports it before the SDK loads.
 */
import type { Task } from '@aws-sdk/client-ecs';

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

export interface StoppedContainer {
  name: string;
  exitCode: number | undefined;
  reason: string | undefined;
}

export interface StoppedTask {
  taskId: string;
  taskDefinition: string;
  stopCode: string | undefined;
  stoppedReason: string | undefined;
  containers: StoppedContainer[];
}

export function taskId(arn: string | undefined): string {
  return (arn ?? '').split('/').pop() ?? '';
}

export function toStoppedTask(task: Task): StoppedTask {
  return {
    taskId: taskId(task.taskArn),
    taskDefinition: shortTaskDefinition(task.taskDefinitionArn),
    stopCode: task.stopCode,
    stoppedReason: task.stoppedReason || undefined,
    containers: (task.containers ?? []).map((container) => ({ name: container.name ?? '', exitCode: container.exitCode, reason: container.reason || undefined })),
  };
}

/** One line: `task 1a2b (web:5) EssentialContainerExited: Essential container in task exited; app exit 137 (OutOfMemoryError)`. */
export function describeStoppedTask(task: StoppedTask): string {
  const containers = task.containers
    .map((container) => `${container.name} exit ${container.exitCode ?? 'none'}${container.reason ? ` (${container.reason})` : ''}`)
    .join(', ');
  const stop = [task.stopCode, task.stoppedReason].filter(Boolean).join(': ') || 'no stop reason';
  return `task ${task.taskId} (${task.taskDefinition}) ${stop}${containers ? `; ${containers}` : ''}`;
}
