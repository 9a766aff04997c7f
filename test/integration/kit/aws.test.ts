/**
 * The AWS client factory against moto: region resolution, the SDK's endpoint
 * variables, path-style S3, and bounded retries of throttling, 5xx and resets
 * injected by the fault proxy, which also counts the attempts.
 */
import { randomUUID } from 'node:crypto';
import { CreateBucketCommand, GetObjectCommand, ListBucketsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { createClient, createS3Client, describeAwsError } from '@deploy-suite/aws';
import { ConfigurationError } from '@deploy-suite/kit';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { awsEnvironment, freePort, serverError, services, slowDownXml, startFaultProxy, type Fault, type FaultProxy } from '../../src/index.js';

let proxy: FaultProxy;
let motoUrl: string;

beforeAll(async () => {
  motoUrl = services().motoUrl;
  proxy = await startFaultProxy(motoUrl);
  // Credentials only from the environment, nothing from the host's ~/.aws; set for the whole
  // file (test/src/restore-env.ts restores it after) because the concurrent retry tests resolve them lazily.
  const { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_EC2_METADATA_DISABLED } = awsEnvironment(motoUrl);
  Object.assign(process.env, { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_EC2_METADATA_DISABLED, AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' });
});
afterAll(async () => {
  await proxy.close();
});

beforeEach(() => {
  for (const name of ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL_STS', 'AWS_PROFILE']) delete process.env[name];
  proxy.clearRules();
  proxy.log.splice(0);
});

const bucketName = (): string => `kit-${randomUUID().slice(0, 8)}`;

describe('region', () => {
  test.each([
    ['the input', 'eu-west-1', { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'ap-south-1' }, 'eu-west-1'],
    ['AWS_REGION', undefined, { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'ap-south-1' }, 'us-east-1'],
    ['AWS_DEFAULT_REGION', undefined, { AWS_DEFAULT_REGION: 'ap-south-1' }, 'ap-south-1'],
  ])('from %s', async (_case, region, env, expected) => {
    Object.assign(process.env, env, { AWS_ENDPOINT_URL: proxy.url });
    const signedScopes: string[] = [];
    const userAgents: string[] = [];
    // A rule that never matches, only to read each request's SigV4 credential scope and user agent.
    proxy.addRule({
      match: (request) => {
        userAgents.push(String(request.headers['user-agent']));
        signedScopes.push(/Credential=[^/]+\/\d+\/([^/]+)\/sts\//.exec(String(request.headers.authorization))?.[1] ?? '');
        return false;
      },
      fault: { kind: 'reset' },
    });
    const sts = createClient(STSClient, { action: 'kit-test', service: 'sts', region });
    expect(await sts.config.region()).toBe(expected);
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toMatch(/^\d{12}$/);
    expect(signedScopes).toEqual([expected]);
    // kit userAgent: every request names the suite and the action.
    expect(userAgents).toEqual([expect.stringContaining('deploy-suite/kit-test')]);
  });

  test('none anywhere is a configuration error before any request', () => {
    process.env.AWS_ENDPOINT_URL = proxy.url;
    expect(() => createClient(STSClient, { action: 'kit-test', service: 'sts' })).toThrow(ConfigurationError);
    expect(() => createClient(STSClient, { action: 'kit-test', service: 'sts' })).toThrow(/^no AWS region: set the "region" input, or AWS_REGION/);
    expect(proxy.log).toEqual([]);
  });
});

describe('endpoints', () => {
  test('AWS_ENDPOINT_URL sends every service to the emulator, S3 path-style', async () => {
    Object.assign(process.env, { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: proxy.url });
    const s3 = await createS3Client(S3Client, { action: 'kit-test' });
    const bucket = bucketName();
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'index.html', Body: '<h1>ok</h1>' }));
    const listed = await s3.send(new ListBucketsCommand({}));
    expect(listed.Buckets?.map((entry) => entry.Name)).toContain(bucket);
    // Path-style: the bucket is the first path segment, not a subdomain of the endpoint.
    expect(proxy.log.map((entry) => `${entry.method} ${new URL(entry.url, 'http://x').pathname}`)).toEqual([`PUT /${bucket}/`, `PUT /${bucket}/index.html`, 'GET /']);
    await createClient(STSClient, { action: 'kit-test', service: 'sts' }).send(new GetCallerIdentityCommand({}));
    expect(proxy.log.at(-1)?.operation).toBe('GetCallerIdentity');
  });

  test('AWS_ENDPOINT_URL_S3 wins over AWS_ENDPOINT_URL for S3, and only for S3', async () => {
    const deadEndpoint = `http://127.0.0.1:${await freePort()}`;
    Object.assign(process.env, { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: deadEndpoint, AWS_ENDPOINT_URL_S3: proxy.url });
    const bucket = bucketName();
    await (await createS3Client(S3Client, { action: 'kit-test' })).send(new CreateBucketCommand({ Bucket: bucket }));
    expect(proxy.log.map((entry) => entry.url)).toEqual([`/${bucket}/`]);
    const sts = createClient(STSClient, { action: 'kit-test', service: 'sts', maxAttempts: 1 });
    await expect(sts.send(new GetCallerIdentityCommand({}))).rejects.toThrow(/ECONNREFUSED/);
    expect(proxy.log).toHaveLength(1);
  });

  test('an explicit env option points the client at its endpoint too', async () => {
    const bucket = bucketName();
    const s3 = await createS3Client(S3Client, { action: 'kit-test', env: { AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL: proxy.url } });
    expect(await s3.config.region()).toBe('eu-west-1');
    await s3.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    expect(proxy.log.map((entry) => entry.url)).toEqual([`/${bucket}/`]);
  });
});

describe('retries', () => {
  const throttlingXml = (): Fault => ({
    kind: 'respond',
    status: 400,
    headers: { 'content-type': 'text/xml' },
    body: '<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r1</RequestId></ErrorResponse>',
  });
  const internalFailureXml = (status: number): Fault => ({
    kind: 'respond',
    status,
    headers: { 'content-type': 'text/xml' },
    body: '<ErrorResponse><Error><Type>Receiver</Type><Code>InternalFailure</Code><Message>We encountered an internal error.</Message></Error><RequestId>r2</RequestId></ErrorResponse>',
  });
  const internalErrorXml = (status: number): Fault => ({
    kind: 'respond',
    status,
    headers: { 'content-type': 'application/xml' },
    body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>`,
  });

  /** A proxy of its own, and the endpoint given through `env`, so these tests run side by side. */
  async function withOwnProxy<T>(use: (own: FaultProxy, env: NodeJS.ProcessEnv) => Promise<T>): Promise<T> {
    const own = await startFaultProxy(motoUrl);
    try {
      return await use(own, { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: own.url });
    } finally {
      await own.close();
    }
  }

  test.concurrent.each([
    ['S3 SlowDown (503)', 's3', slowDownXml(), 1],
    ['S3 500 three times', 's3', internalErrorXml(500), 3],
    ['S3 a 502 with a body the SDK cannot parse', 's3', serverError(502), 1],
    ['STS Throttling (400)', 'sts', throttlingXml(), 1],
    ['STS 503 twice', 'sts', internalErrorXml(503), 2],
    ['a connection reset', 's3', { kind: 'reset' } as Fault, 1],
  ] as const)('%s: retried, then succeeds; the proxy counts every attempt', async (_case, service, fault, times) => {
    await withOwnProxy(async (own, env) => {
      own.addRule({ fault, times });
      const response =
        service === 's3'
          ? await (await createS3Client(S3Client, { action: 'kit-test', env })).send(new ListBucketsCommand({}))
          : await createClient(STSClient, { action: 'kit-test', service, env }).send(new GetCallerIdentityCommand({}));
      expect(response.$metadata.attempts).toBe(times + 1);
      expect(own.log).toHaveLength(times + 1);
      expect(own.log.filter((entry) => entry.fault !== undefined)).toHaveLength(times);
    });
  });

  test.concurrent.each([
    // STS: S3's own backoff (createS3Client) would spend about 12 s on six attempts.
    ['STS 5xx, the default bound of 6', 'sts', internalFailureXml(500), undefined, 6, 'GetCallerIdentity', 'GetCallerIdentity failed (InternalFailure, HTTP 500, after 6 attempts): We encountered an internal error.'],
    ['S3 throttling, a chosen bound of 3', 's3', slowDownXml(), 3, 3, 'ListBuckets', 'ListBuckets failed (SlowDown, HTTP 503, after 3 attempts): Please reduce your request rate.'],
  ] as const)('endless %s attempts: gives up there, and describeAwsError says so', async (_case, service, fault, maxAttempts, attempts, operation, described) => {
    await withOwnProxy(async (own, env) => {
      own.addRule({ fault });
      const bound = maxAttempts ? { maxAttempts } : {};
      const request =
        service === 's3'
          ? (await createS3Client(S3Client, { action: 'kit-test', env, ...bound })).send(new ListBucketsCommand({}))
          : createClient(STSClient, { action: 'kit-test', service, env, ...bound }).send(new GetCallerIdentityCommand({}));
      const error = await request.then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(own.log).toHaveLength(attempts);
      expect(describeAwsError(operation, error)).toBe(described);
    });
  });

  test('a client error is not retried', async () => {
    Object.assign(process.env, { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: proxy.url });
    const bucket = bucketName();
    const error = await (await createS3Client(S3Client, { action: 'kit-test' }))
      .send(new GetObjectCommand({ Bucket: bucket, Key: 'missing' }))
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(proxy.log).toHaveLength(1);
    expect(describeAwsError('GetObject', error)).toBe('GetObject failed (NoSuchBucket, HTTP 404): The specified bucket does not exist');
  });
});
