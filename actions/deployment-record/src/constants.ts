export const ACTION_NAME = 'deployment-record';

export const Input = {
  Mode: 'mode',
  Directory: 'directory',
  Kind: 'kind',
  Name: 'name',
  Outcome: 'outcome',
  Details: 'details',
  Functions: 'functions',
  Results: 'results',
  Images: 'images',
  Records: 'records',
  Environment: 'environment',
  Sha: 'sha',
  Deployment: 'deployment',
  Token: 'token',
} as const;

export const Output = {
  Records: 'records',
  Results: 'results',
  RollbackServices: 'rollback-services',
  RollbackFunctions: 'rollback-functions',
  ScaledDown: 'scaled-down',
  Failed: 'failed',
  DeploymentId: 'deployment-id',
  Sha: 'sha',
  Database: 'database',
} as const;

export const MODES = ['save', 'collect', 'publish', 'recall'] as const;
export type Mode = (typeof MODES)[number];

export const KINDS = ['image', 'service', 'function', 'site', 'database'] as const;
export type Kind = (typeof KINDS)[number];

/** A step's `steps.<id>.outcome`: anything else (a typo such as `failed`) would be recorded as neither success nor failure. */
export const OUTCOMES = ['success', 'failure', 'cancelled', 'skipped'] as const;

/** The task of the deployments this action creates; recall looks only at these. */
export const DEPLOYMENT_TASK = 'deploy:deploy-suite';
