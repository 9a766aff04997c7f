export const ACTION_NAME = 'lambda-publish';

/** Inputs that only make sense once per step. */
export const StepInput = {
  Functions: 'functions',
  Parallel: 'parallel',
  Rollback: 'rollback',
  Wait: 'wait',
  WaitTimeout: 'wait-timeout',
  Region: 'region',
} as const;

/**
 * Inputs that describe one function: given as step inputs for one function, or
 * as keys of each `functions` entry (which override the step's value).
 */
export const FunctionInput = {
  FunctionName: 'function-name',
  ZipDirectory: 'zip-directory',
  ZipFile: 'zip-file',
  ImageUri: 'image-uri',
  S3Bucket: 's3-bucket',
  S3Key: 's3-key',
  Version: 'version',
  Environment: 'environment',
  Handler: 'handler',
  Runtime: 'runtime',
  Memory: 'memory',
  Timeout: 'timeout',
  Architectures: 'architectures',
  Description: 'description',
  Publish: 'publish',
  Alias: 'alias',
  Canary: 'canary',
  CanaryInterval: 'canary-interval',
  Alarms: 'alarms',
  SkipUnchanged: 'skip-unchanged',
  KeepVersions: 'keep-versions',
} as const;

export type FunctionInputName = (typeof FunctionInput)[keyof typeof FunctionInput];
export const FUNCTION_INPUT_NAMES: readonly FunctionInputName[] = Object.values(FunctionInput);

/** The inputs that name where the code comes from: an entry that names one replaces all of the step's. */
export const SOURCE_INPUTS: readonly FunctionInputName[] = [
  FunctionInput.ZipDirectory,
  FunctionInput.ZipFile,
  FunctionInput.ImageUri,
  FunctionInput.S3Key,
  FunctionInput.Version,
];

export const Output = {
  Version: 'version',
  PreviousVersion: 'previous-version',
  AliasArn: 'alias-arn',
  CodeSha256: 'code-sha256',
  Changed: 'changed',
  RolledBack: 'rolled-back',
  Results: 'results',
} as const;

export const ROLLBACK_CHOICES = ['on-failure', 'never'] as const;
export type RollbackMode = (typeof ROLLBACK_CHOICES)[number];

export const ARCHITECTURES = ['x86_64', 'arm64'] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

/** Lambda refuses a ZipFile above this in one UpdateFunctionCode request (S3 is the way past it). */
export const DIRECT_UPLOAD_LIMIT_BYTES = 50 * 1024 * 1024;
