export const ACTION_NAME = 'deploy-plan';

export const Input = {
  Environment: 'environment',
  Config: 'config',
  DeploymentType: 'deployment-type',
  Targets: 'targets',
  Images: 'images',
  Artifacts: 'artifacts',
  Version: 'version',
  AwsRoles: 'aws-roles',
  Mode: 'mode',
} as const;

/** plan: read the description and plan; check: only the inputs that need no description (a workflow without a checkout). */
export const MODES = ['plan', 'check'] as const;

/** The job groups of the deploy workflow that assume an AWS role (docs/iam/ has one policy per group). */
export const ROLE_GROUPS = ['images', 'migrate', 'services', 'functions', 'site'] as const;

export const Output = {
  Filters: 'filters',
  Scope: 'scope',
  Targets: 'targets',
  Images: 'images',
  Services: 'services',
  Functions: 'functions',
  Site: 'site',
  Database: 'database',
  Smoke: 'smoke',
  Backend: 'backend',
  Frontend: 'frontend',
  Built: 'built',
  LambdaFunctions: 'lambda-functions',
  RunTask: 'run-task',
  SlackChannel: 'slack-channel',
} as const;

/** smoke-test's own defaults (its action.yml), filled in because a matrix-driven `with:` cannot omit a key. */
export const SMOKE_DEFAULTS = { timeout: '5m', 'max-p95': '', 'load-requests': 0, 'load-concurrency': 10 } as const;

export const DEPLOYMENT_TYPES = ['auto', 'full', 'backend-only', 'frontend-only'] as const;
export type DeploymentType = (typeof DEPLOYMENT_TYPES)[number];

/** Where the description lives when `config` is empty: `.github/deploy/<environment>.yml`. */
export const defaultConfigPath = (environment: string): string => `.github/deploy/${environment}.yml`;

/** Target ids, as detect-changes' scope and targets name them: `images.api`, `services.api`, `site`. */
export const TargetKind = { Image: 'images', Service: 'services', Function: 'functions', Site: 'site', Database: 'database' } as const;
export const targetId = (kind: 'images' | 'services' | 'functions', name: string): string => `${kind}.${name}`;
