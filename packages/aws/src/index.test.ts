import { ActionFailure, ConfigurationError } from '@deploy-suite/kit';
import { describe, expect, test } from 'vitest';
import type { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { awsErrorName, call, clientConfig, createClient, createS3Client, describeAwsError, endpointOverride, isTransient, pollCall, resolveRegion, throttlingBackoff } from './index.js';

// Every function here takes the environment as an argument: no process.env is touched.

describe('resolveRegion', () => {
  test.each([
    ['the input wins', 'eu-west-1', { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'ap-south-1' }, 'eu-west-1'],
    ['AWS_REGION next', undefined, { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'ap-south-1' }, 'us-east-1'],
    ['an empty input is not given', '', { AWS_REGION: 'us-east-1' }, 'us-east-1'],
    ['AWS_DEFAULT_REGION last', undefined, { AWS_DEFAULT_REGION: 'ap-south-1' }, 'ap-south-1'],
    ['an empty AWS_REGION falls through', undefined, { AWS_REGION: '', AWS_DEFAULT_REGION: 'ap-south-1' }, 'ap-south-1'],
    ['GovCloud', 'us-gov-west-1', {}, 'us-gov-west-1'],
    ['China', 'cn-north-1', {}, 'cn-north-1'],
  ])('%s', (_case, input, env, expected) => {
    expect(resolveRegion(input, env)).toBe(expected);
  });

  test.each([
    ['none anywhere', undefined, {}, 'no AWS region: set the "region" input, or AWS_REGION (aws-actions/configure-aws-credentials sets it)'],
    ['a bad input', 'Europe', { AWS_REGION: 'us-east-1' }, 'input "region" must be an AWS region such as eu-west-1, got "Europe"'],
    ['a bad AWS_REGION names the variable, not the input', undefined, { AWS_REGION: 'eu-west' }, 'AWS_REGION must be an AWS region such as eu-west-1, got "eu-west"'],
    ['a bad AWS_DEFAULT_REGION names that variable', undefined, { AWS_DEFAULT_REGION: 'EU-WEST-1' }, 'AWS_DEFAULT_REGION must be an AWS region such as eu-west-1, got "EU-WEST-1"'],
  ])('%s is a configuration error', (_case, input, env, message) => {
    expect(() => resolveRegion(input, env)).toThrow(new ConfigurationError(message));
  });
});

describe('endpointOverride', () => {
  test.each([
    ['none', 's3', {}, undefined],
    ['the global variable', 'ecs', { AWS_ENDPOINT_URL: 'http://127.0.0.1:5000' }, 'http://127.0.0.1:5000'],
    ['the service variable wins', 's3', { AWS_ENDPOINT_URL: 'http://a', AWS_ENDPOINT_URL_S3: 'http://s3' }, 'http://s3'],
    ["another service's variable does not apply", 'ecs', { AWS_ENDPOINT_URL_S3: 'http://s3' }, undefined],
    ['the SDK id with an underscore', 'secretsmanager', { AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://sm' }, 'http://sm'],
    ['an empty service variable falls back', 'lambda', { AWS_ENDPOINT_URL_LAMBDA: '', AWS_ENDPOINT_URL: 'http://a' }, 'http://a'],
    ['ignored when the SDK is told to ignore them', 's3', { AWS_ENDPOINT_URL: 'http://a', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }, undefined],
  ] as const)('%s', (_case, service, env, expected) => {
    expect(endpointOverride(service, env)).toBe(expected);
  });
});

describe('clientConfig', () => {
  test("defaults: adaptive retries, bounded attempts, timeouts, no endpoint of its own, the action's user agent", () => {
    expect(clientConfig({ action: 'ecs-deploy', service: 'ecs', env: { AWS_REGION: 'eu-west-1' } })).toEqual({
      region: 'eu-west-1',
      retryMode: 'adaptive',
      maxAttempts: 6,
      requestHandler: { requestTimeout: 60_000, connectionTimeout: 10_000 },
      customUserAgent: 'deploy-suite/ecs-deploy',
    });
  });

  test.each([
    ['S3 behind an endpoint is path-style', 's3', { AWS_ENDPOINT_URL: 'http://127.0.0.1:5000' }, { forcePathStyle: true, endpoint: 'http://127.0.0.1:5000' }],
    ['S3 behind its own endpoint is path-style', 's3', { AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:5001' }, { forcePathStyle: true, endpoint: 'http://127.0.0.1:5001' }],
    ['S3 on AWS is virtual-hosted', 's3', {}, { forcePathStyle: undefined, endpoint: undefined }],
    ['ECS behind an endpoint', 'ecs', { AWS_ENDPOINT_URL: 'http://127.0.0.1:5000' }, { forcePathStyle: undefined, endpoint: 'http://127.0.0.1:5000' }],
  ] as const)('%s', (_case, service, env, expected) => {
    const config = clientConfig({ action: 'test', service, env: { AWS_REGION: 'us-east-1', ...env } });
    expect(config.forcePathStyle).toBe(expected.forcePathStyle);
    expect(config.endpoint).toBe(expected.endpoint);
  });

  test('options override the defaults', () => {
    const config = clientConfig({ action: 'lambda-publish', service: 'lambda', region: 'eu-central-1', maxAttempts: 3, requestTimeoutMs: 5_000, env: {} });
    expect(config).toMatchObject({ region: 'eu-central-1', maxAttempts: 3, requestHandler: { requestTimeout: 5_000 }, customUserAgent: 'deploy-suite/lambda-publish' });
  });

  test('createClient hands the config to the client class', () => {
    class RecordingClient {
      constructor(readonly config: Record<string, unknown>) {}
    }
    const client = createClient(RecordingClient, { action: 'test', service: 'sts', region: 'eu-west-1', env: {} });
    expect(client).toBeInstanceOf(RecordingClient);
    expect(client.config).toMatchObject({ region: 'eu-west-1', retryMode: 'adaptive' });
  });
});

describe('createS3Client', () => {
  class RecordingClient {
    constructor(readonly config: Record<string, unknown>) {}
  }

  test("the suite's S3 configuration, with a retry strategy of its own instead of adaptive mode", async () => {
    const client = await createS3Client(RecordingClient, { action: 'test', region: 'eu-west-1', env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:5000' } });
    expect(client.config).toMatchObject({ region: 'eu-west-1', maxAttempts: 6, forcePathStyle: true, customUserAgent: 'deploy-suite/test' });
    expect(client.config.retryMode).toBeUndefined();
    expect(await (client.config.retryStrategy as { maxAttempts(): Promise<number> }).maxAttempts()).toBe(6);
  });

  test('a throttled request is retried within 200 ms the first time (the SDK waits about a second), and no more than maxAttempts', async () => {
    const client = await createS3Client(RecordingClient, { action: 'test', region: 'eu-west-1', maxAttempts: 2, env: {} });
    const strategy = client.config.retryStrategy as ConfiguredRetryStrategy;
    const first = await strategy.acquireInitialRetryToken('s3');
    const retry = await strategy.refreshRetryTokenForRetry(first, { errorType: 'THROTTLING' });
    expect(retry.$retryLog?.acquisitionDelay).toBeLessThan(200);
    await expect(strategy.refreshRetryTokenForRetry(retry, { errorType: 'THROTTLING' })).rejects.toThrow('No retry token available');
  });
});

describe('throttlingBackoff', () => {
  test.each([
    [1, 200],
    [2, 600],
    [3, 1800],
    [6, 20_000],
  ])('waits less than the cap before retry %i (full jitter, up to %i ms)', (attempt, cap) => {
    const delays = Array.from({ length: 200 }, () => throttlingBackoff(attempt));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...delays)).toBeLessThan(cap);
    // Jittered, not a fixed wait: the delays spread over the range.
    expect(Math.max(...delays)).toBeGreaterThan(cap / 2);
  });
});

describe('describeAwsError', () => {
  const awsError = (name: string, message: string, metadata: Record<string, unknown>): Error => Object.assign(new Error(message), { name, $fault: 'client', $metadata: metadata });

  test.each([
    ['name, status and attempts', awsError('ThrottlingException', 'Rate exceeded', { httpStatusCode: 400, attempts: 6 }), 'UpdateService failed (ThrottlingException, HTTP 400, after 6 attempts): Rate exceeded'],
    ['one attempt is not mentioned', awsError('AccessDeniedException', 'not authorized to perform ecs:UpdateService', { httpStatusCode: 403, attempts: 1 }), 'UpdateService failed (AccessDeniedException, HTTP 403): not authorized to perform ecs:UpdateService'],
    ['only the first line of the message', awsError('InvalidParameterException', 'bad\nstack-ish detail', { httpStatusCode: 400 }), 'UpdateService failed (InvalidParameterException, HTTP 400): bad'],
    ['a network error without metadata', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { name: 'Error' }), 'UpdateService failed (Error): connect ECONNREFUSED 127.0.0.1:1'],
    ['a thrown string', 'weird', 'UpdateService failed: weird'],
    ['undefined', undefined, 'UpdateService failed: undefined'],
  ])('%s', (_case, error, expected) => {
    expect(describeAwsError('UpdateService', error)).toBe(expected);
  });
});

describe('call', () => {
  const awsError = (name: string, metadata: Record<string, unknown> = { httpStatusCode: 400 }): Error => Object.assign(new Error(`${name} happened`), { name, $metadata: metadata });
  const fails = (error: unknown) => () => Promise.reject(error);

  test('answers what the task answers', async () => {
    expect(await call('GetAlias', async () => 'live')).toBe('live');
  });

  test('a failure is one ActionFailure naming the operation, with the error as cause', async () => {
    const error = awsError('AccessDeniedException', { httpStatusCode: 403 });
    const failure = await call('UpdateService', fails(error)).catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(ActionFailure);
    expect(failure).toMatchObject({ message: 'UpdateService failed (AccessDeniedException, HTTP 403): AccessDeniedException happened', cause: error });
  });

  test('an ActionFailure from inside the task passes through unchanged', async () => {
    const inner = new ActionFailure('GetFunction returned no configuration');
    await expect(call('GetFunction', fails(inner))).rejects.toBe(inner);
  });

  test('an error named in undefinedOn answers undefined; other errors still fail', async () => {
    const undefinedOn = ['ResourceNotFoundException'];
    expect(await call('GetAlias', fails(awsError('ResourceNotFoundException')), { undefinedOn })).toBeUndefined();
    await expect(call('GetAlias', fails(awsError('ThrottlingException')), { undefinedOn })).rejects.toThrow(/^GetAlias failed \(ThrottlingException, HTTP 400\)/);
  });

  test('explain adds a hint by name or says what state is left', async () => {
    const explain = (described: string, name: string | undefined): string => (name === 'NoSuchBucket' ? 'bucket "b" does not exist' : `${described} (3 of 9 deleted before)`);
    await expect(call('listing s3://b/', fails(awsError('NoSuchBucket')), { explain })).rejects.toThrow(new ActionFailure('bucket "b" does not exist'));
    await expect(call('deleting 3 objects', fails(awsError('AccessDenied')), { explain })).rejects.toThrow(
      new ActionFailure('deleting 3 objects failed (AccessDenied, HTTP 400): AccessDenied happened (3 of 9 deleted before)'),
    );
  });
});

describe('awsErrorName', () => {
  test.each([
    ['an SDK error', Object.assign(new Error('x'), { name: 'NoSuchKey' }), 'NoSuchKey'],
    ['a thrown string', 'weird', undefined],
    ['undefined', undefined, undefined],
  ])('%s', (_case, error, expected) => {
    expect(awsErrorName(error)).toBe(expected);
  });
});

describe('isTransient', () => {
  const shaped = (shape: Record<string, unknown>): Error => Object.assign(new Error('x'), shape);
  test.each([
    ['throttling by name', shaped({ name: 'ThrottlingException' }), true],
    ['S3 SlowDown', shaped({ name: 'SlowDown' }), true],
    ['a server fault', shaped({ name: 'Whatever', $fault: 'server' }), true],
    ['a 503', shaped({ name: 'Whatever', $metadata: { httpStatusCode: 503 } }), true],
    ['retryable per the SDK', shaped({ name: 'Whatever', $retryable: {} }), true],
    ['a connection reset', shaped({ code: 'ECONNRESET' }), true],
    ['a client error', shaped({ name: 'AccessDeniedException', $fault: 'client', $metadata: { httpStatusCode: 403 } }), false],
    ['a plain error', new Error('bad'), false],
    ['undefined', undefined, false],
    ["call's ActionFailure of a throttling error", new ActionFailure('DescribeServices failed', { cause: shaped({ name: 'Throttling' }) }), true],
    ["call's ActionFailure of a client error", new ActionFailure('DescribeServices failed', { cause: shaped({ name: 'InvalidParameterException', $fault: 'client' }) }), false],
    ['an ActionFailure of its own', new ActionFailure('service "web" was not found'), false],
  ])('%s: %s', (_case, error, expected) => {
    expect(isTransient(error)).toBe(expected);
  });
});

describe('pollCall', () => {
  const shaped = (shape: Record<string, unknown>): Error => Object.assign(new Error('Rate exceeded'), shape);

  test('the answer of a call that succeeds', async () => {
    const warnings: string[] = [];
    expect(await pollCall('DescribeTasks', async () => ({ status: 'RUNNING' }), (line) => warnings.push(line))).toEqual({ status: 'RUNNING' });
    expect(warnings).toEqual([]);
  });

  test('a failure that outlasted the retries: a warning naming the operation, and no answer', async () => {
    const warnings: string[] = [];
    const answer = await pollCall('DescribeTasks', () => Promise.reject(shaped({ name: 'ThrottlingException', $fault: 'client' })), (line) => warnings.push(line));
    expect(answer).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^DescribeTasks.*ThrottlingException.*; polling again$/);
  });

  test('any other failure ends the poll, as call reports it', async () => {
    const denied = shaped({ name: 'AccessDeniedException', $fault: 'client', $metadata: { httpStatusCode: 403 } });
    await expect(pollCall('DescribeTasks', () => Promise.reject(denied), () => {})).rejects.toThrow(ActionFailure);
    await expect(pollCall('DescribeTasks', () => Promise.reject(new ActionFailure('task gone')), () => {})).rejects.toThrow('task gone');
  });
});
