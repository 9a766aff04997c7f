/**
 * One way to make AWS SDK v3 clients for every action: the region from the
 * input or the environment, the SDK's adaptive retry strategy with a bounded
 * number of attempts (S3: a backoff of the throttled request only, see
 * createS3Client), request timeouts, and the SDK's standard endpoint variables
 * (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>), which the SDK reads itself,
 * so every action runs unchanged against an emulator such as moto.
 */
import { ActionFailure, ConfigurationError, userAgent } from '@deploy-suite/kit';

/** The service ids used in AWS_ENDPOINT_URL_<SERVICE> (the SDK's own names). */
const SERVICE_ENDPOINT_IDS = {
  s3: 'S3',
  cloudfront: 'CLOUDFRONT',
  ecs: 'ECS',
  ecr: 'ECR',
  lambda: 'LAMBDA',
  cloudwatch: 'CLOUDWATCH',
  sts: 'STS',
  ssm: 'SSM',
  secretsmanager: 'SECRETS_MANAGER',
} as const;

export type ServiceName = keyof typeof SERVICE_ENDPOINT_IDS;

export interface ClientOptions {
  /** The action's name: every request carries kit `userAgent(action)`, e.g. `deploy-suite/ecs-deploy`. */
  action: string;
  service: ServiceName;
  /** The `region` input, when the action has one; otherwise AWS_REGION / AWS_DEFAULT_REGION. */
  region?: string | undefined;
  /** Total attempts per request, the first included. */
  maxAttempts?: number;
  /** Milliseconds a request may take before it is abandoned (and retried). */
  requestTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

const REGION_PATTERN = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;

export function resolveRegion(input: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  // The error names where the bad value came from: a bad AWS_REGION is not the input's fault.
  const [source, region] = input
    ? ['input "region"', input]
    : env.AWS_REGION
      ? ['AWS_REGION', env.AWS_REGION]
      : env.AWS_DEFAULT_REGION
        ? ['AWS_DEFAULT_REGION', env.AWS_DEFAULT_REGION]
        : [undefined, undefined];
  if (!region) {
    throw new ConfigurationError(
      'no AWS region: set the "region" input, or AWS_REGION (aws-actions/configure-aws-credentials sets it)',
    );
  }
  if (!REGION_PATTERN.test(region)) {
    throw new ConfigurationError(`${source} must be an AWS region such as eu-west-1, got "${region}"`);
  }
  return region;
}

/** The endpoint the SDK will use for this service from the environment, if any. */
export function endpointOverride(service: ServiceName, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === 'true') return undefined;
  return env[`AWS_ENDPOINT_URL_${SERVICE_ENDPOINT_IDS[service]}`] || env.AWS_ENDPOINT_URL || undefined;
}

/** The configuration object handed to any `new XxxClient(config)`. */
export function clientConfig(options: ClientOptions): Record<string, unknown> {
  const env = options.env ?? process.env;
  const config: Record<string, unknown> = {
    region: resolveRegion(options.region, env),
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts ?? 6,
    requestHandler: { requestTimeout: options.requestTimeoutMs ?? 60_000, connectionTimeout: 10_000 },
    customUserAgent: userAgent(options.action),
  };
  const endpoint = endpointOverride(options.service, env);
  // The SDK reads endpoint variables from process.env only; an explicit env must say so itself.
  if (endpoint && options.env && options.env !== process.env) config.endpoint = endpoint;
  // Emulators serve every bucket from one host; virtual-hosted bucket names would not resolve.
  if (options.service === 's3' && endpoint) config.forcePathStyle = true;
  return config;
}

/** A client of any service but S3 (whose clients come from createS3Client). */
export function createClient<Client>(ClientClass: new (config: never) => Client, options: ClientOptions & { service: Exclude<ServiceName, 's3'> }): Client {
  return new ClientClass(clientConfig(options) as never);
}

/**
 * An S3 client: as createClient, except that throttling is answered per request, not per client.
 * S3 answers SlowDown (503) per prefix partition, and adaptive mode's client-side rate limiter then
 * slows every request of the client (a 503 on one PUT in five dropped a sync to about 2 PUTs/s).
 * This strategy backs off only the throttled request, and retries it soon the first time (the SDK's
 * own throttling backoff starts around a second, which held a 503 on one PUT in five to half the
 * unthrottled rate); later retries wait longer. The retry module is loaded here, next to the S3 SDK
 * that loads it anyway, so no action evaluates it before it needs S3.
 */
export async function createS3Client<Client>(S3Client: new (config: never) => Client, options: Omit<ClientOptions, 'service'>): Promise<Client> {
  const { ConfiguredRetryStrategy } = await import('@smithy/core/retry');
  const { retryMode: _adaptive, ...config } = clientConfig({ ...options, service: 's3' });
  const retryStrategy = new ConfiguredRetryStrategy(config.maxAttempts as number, throttlingBackoff);
  return new S3Client({ ...config, retryStrategy } as never);
}

/** Milliseconds before retry `attempt` (1 = the first retry) of an S3 request: full jitter under 200 ms, 600 ms, 1.8 s, 5.4 s, 16.2 s, never above 20 s. */
export function throttlingBackoff(attempt: number): number {
  return Math.floor(Math.random() * Math.min(20_000, 200 * 3 ** (attempt - 1)));
}

export interface AwsErrorShape {
  name?: string;
  message?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string; attempts?: number };
}

/** One line for an AWS error: what failed, the service's code and status, and the attempts made. */
export function describeAwsError(operation: string, error: unknown): string {
  const shape = (error ?? {}) as AwsErrorShape;
  const status = shape.$metadata?.httpStatusCode;
  const attempts = shape.$metadata?.attempts;
  const details = [shape.name, status ? `HTTP ${status}` : undefined, attempts && attempts > 1 ? `after ${attempts} attempts` : undefined]
    .filter(Boolean)
    .join(', ');
  const message = (shape.message ?? String(error)).split('\n')[0];
  return `${operation} failed${details ? ` (${details})` : ''}: ${message}`;
}

/** The service's name for an error (`ThrottlingException`, `NoSuchKey`, ...), or undefined for anything else. */
export function awsErrorName(error: unknown): string | undefined {
  const name = (error as AwsErrorShape | undefined)?.name;
  return typeof name === 'string' ? name : undefined;
}

/**
 * The names S3 gives an object that is not there: NoSuchKey (GET; its body names the error) and
 * NotFound (a HEAD answer has no body, so the SDK names the error by its 404).
 */
export const S3_OBJECT_NOT_FOUND: readonly string[] = ['NoSuchKey', 'NotFound'];

export interface CallOptions {
  /**
   * Error names that are an answer rather than a failure ("no such function", "that repository
   * already exists"): the call then answers undefined.
   */
  undefinedOn?: readonly string[];
  /**
   * The failure's message from describeAwsError's line and the error's name:
   * a hint for a known error, or the state the action leaves behind.
   */
  explain?: (described: string, name: string | undefined) => string;
}

/**
 * Runs one AWS call (the SDK has already retried throttling, 5xx and resets);
 * its failure becomes one ActionFailure naming the operation, with the SDK's
 * error as `cause` (isTransient reads it). An ActionFailure thrown inside the
 * task already explains itself and passes through unchanged.
 */
export async function call<T>(operation: string, task: () => Promise<T>, options?: CallOptions & { undefinedOn?: undefined }): Promise<T>;
export async function call<T>(operation: string, task: () => Promise<T>, options: CallOptions & { undefinedOn: readonly string[] }): Promise<T | undefined>;
export async function call<T>(operation: string, task: () => Promise<T>, options: CallOptions = {}): Promise<T | undefined> {
  try {
    return await task();
  } catch (error) {
    if (error instanceof ActionFailure) throw error;
    const name = awsErrorName(error);
    if (name !== undefined && options.undefinedOn?.includes(name)) return undefined;
    const described = describeAwsError(operation, error);
    throw new ActionFailure(options.explain ? options.explain(described, name) : described, { cause: error });
  }
}

/**
 * One AWS call of a poll (inside kit waitUntil): as `call`, except that a
 * failure that outlasted the SDK's retries (isTransient) is no answer about
 * what is polled: it becomes a warning and `undefined`, for the poll to report
 * "not done" and ask again at its next interval. Any other failure ends the wait.
 */
export async function pollCall<T>(operation: string, task: () => Promise<T>, warn: (line: string) => void): Promise<T | undefined> {
  try {
    return await call(operation, task);
  } catch (error) {
    if (!isTransient(error)) throw error;
    warn(`${(error as Error).message}; polling again`);
    return undefined;
  }
}

const TRANSIENT_NAMES = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'SlowDown', 'RequestLimitExceeded', 'ServerException', 'InternalFailure', 'InternalError', 'ServiceUnavailable', 'TimeoutError', 'RequestTimeout']);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED']);

/**
 * Errors a poll may outlive: throttling, 5xx and network faults that outlasted
 * the SDK's own retries. Looks through an ActionFailure from `call` to its cause.
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof ActionFailure) return error.cause !== undefined && isTransient(error.cause);
  const shape = (error ?? {}) as AwsErrorShape & { code?: string; $retryable?: unknown };
  return (
    shape.$retryable !== undefined ||
    shape.$fault === 'server' ||
    (shape.$metadata?.httpStatusCode ?? 0) >= 500 ||
    TRANSIENT_NAMES.has(shape.name ?? '') ||
    NETWORK_CODES.has(shape.code ?? '')
  );
}
