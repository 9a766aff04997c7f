export const ACTION_NAME = 'ecs-deploy';

export const Input = {
  Cluster: 'cluster',
  Service: 'service',
  TaskDefinition: 'task-definition',
  Containers: 'containers',
  Environment: 'environment',
  Secrets: 'secrets',
  DesiredCount: 'desired-count',
  ForceNewDeployment: 'force-new-deployment',
  Wait: 'wait',
  Timeout: 'timeout',
  PollInterval: 'poll-interval',
  Rollback: 'rollback',
  KeepRevisions: 'keep-revisions',
  RunTask: 'run-task',
  RunTaskContainer: 'run-task-container',
  RunTaskNetwork: 'run-task-network',
  RunTaskOnly: 'run-task-only',
  RestoreCount: 'restore-count',
  Region: 'region',
} as const;

export const Output = {
  TaskDefinitionArn: 'task-definition-arn',
  PreviousTaskDefinitionArn: 'previous-task-definition-arn',
  DeploymentId: 'deployment-id',
  RolledBack: 'rolled-back',
  RunTaskExitCode: 'run-task-exit-code',
  Registered: 'registered',
  DesiredCount: 'desired-count',
} as const;

export const ROLLBACK_CHOICES = ['on-failure', 'never'] as const;
export type RollbackMode = (typeof ROLLBACK_CHOICES)[number];

/** Tag on each registered revision: the commit it was deployed from. */
export const COMMIT_TAG = 'deploy-suite:commit-sha';
/** Each registration's own token: how a retry finds a revision whose RegisterTaskDefinition answer was lost. */
export const REGISTRATION_TAG = 'deploy-suite:registration';
/** Tag on a service scaled to 0: the count `desired-count: restore` brings back. */
export const PREVIOUS_COUNT_TAG = 'deploy-suite:previous-desired-count';
/** `startedBy` of one-off tasks, so they can be told apart from service tasks. */
export const RUN_TASK_STARTED_BY = 'deploy-suite/ecs-deploy';
