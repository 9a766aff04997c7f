/**
 * The AWS clients of one run. Lambda is always needed; S3 (an upload, or a
 * check that a package is there) and CloudWatch (canary alarms) only on some
 * paths, so their SDKs are imported when first asked for.
 */
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { S3Client } from '@aws-sdk/client-s3';
import { createClient, createS3Client } from '@deploy-suite/aws';
import { ACTION_NAME } from './constants.js';

export interface Clients {
  lambda: LambdaClient;
  s3(): Promise<S3Client>;
  cloudwatch(): Promise<CloudWatchClient>;
}

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}

export function createClients(region: string | undefined): Clients {
  return {
    lambda: createClient(LambdaClient, { action: ACTION_NAME, service: 'lambda', region }),
    s3: once(async () => {
      const { S3Client } = await import('@aws-sdk/client-s3');
      return createS3Client(S3Client, { action: ACTION_NAME, region });
    }),
    cloudwatch: once(async () => {
      const { CloudWatchClient } = await import('@aws-sdk/client-cloudwatch');
      return createClient(CloudWatchClient, { action: ACTION_NAME, service: 'cloudwatch', region });
    }),
  };
}
