/**
 * The AWS clients of a run. The SDK is most of the bundle, so it is loaded
 * here, once the inputs are known to be good (a run with a bad input fails
 * without evaluating it); CloudFront only when there is something to invalidate.
 */
import type { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import type { S3Client } from '@aws-sdk/client-s3';
import { clientConfig, createClient } from '@deploy-suite/aws';
import { ACTION_NAME } from './constants.js';
import type { Inputs } from './inputs.js';

export interface Clients {
  s3: S3Client;
  cloudfront: CloudFrontClient | undefined;
}

export async function connect(inputs: Inputs): Promise<Clients> {
  const options = { action: ACTION_NAME, region: inputs.region };
  const [{ S3Client }, { ConfiguredRetryStrategy }] = await Promise.all([import('@aws-sdk/client-s3'), import('@smithy/core/retry')]);
  const config = clientConfig({ service: 's3', ...options });
  // Not the kit's adaptive mode: S3 answers SlowDown per prefix partition, and adaptive mode's client-side rate
  // limiter then slows every request of the sync (a 503 on one PUT in five dropped a sync to about 2 PUTs/s).
  // This backs off only the throttled request, and its first retry soon (the SDK's own throttling backoff starts
  // around a second, which held a 503 on one PUT in five to half the unthrottled rate); later retries wait longer.
  const retryStrategy = new ConfiguredRetryStrategy(config.maxAttempts as number, throttlingBackoff);
  const s3 = new S3Client({ ...config, retryStrategy });
  if (inputs.distributionId === undefined || inputs.invalidate === 'none') return { s3, cloudfront: undefined };
  const { CloudFrontClient } = await import('@aws-sdk/client-cloudfront');
  return { s3, cloudfront: createClient(CloudFrontClient, { service: 'cloudfront', ...options }) };
}

/** Milliseconds before retry `attempt` (1 = the first retry): full jitter under 200 ms, 600 ms, 1.8 s, 5.4 s, 16.2 s. */
export function throttlingBackoff(attempt: number): number {
  return Math.floor(Math.random() * Math.min(20_000, 200 * 3 ** (attempt - 1)));
}
