export const ACTION_NAME = 'slack-notify';

export const Input = {
  WebhookUrl: 'webhook-url',
  Token: 'token',
  Channel: 'channel',
  Status: 'status',
  Ts: 'ts',
  Thread: 'thread',
  Environment: 'environment',
  Version: 'version',
  Targets: 'targets',
  Results: 'results',
  Fields: 'fields',
  Payload: 'payload',
  PayloadFile: 'payload-file',
  StartedAt: 'started-at',
  GithubToken: 'github-token',
  FailOnError: 'fail-on-error',
  Timeout: 'timeout',
  ApiUrl: 'api-url',
} as const;

export const Output = {
  Ok: 'ok',
  Ts: 'ts',
  Channel: 'channel',
  ThreadTs: 'thread-ts',
  StartedAt: 'started-at',
} as const;

/** `started` plus every value of `${{ job.status }}` and of a step's `outcome`. */
export const STATUSES = ['started', 'success', 'failure', 'cancelled', 'skipped'] as const;
export type Status = (typeof STATUSES)[number];
