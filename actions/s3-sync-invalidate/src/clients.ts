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
  // Standard retries, not the kit's adaptive mode: S3 answers SlowDown per prefix partition, and adaptive mode's
  // client-side rate limiter then slows every request of the sync (a 503 on one PUT in five dropped a sync to
  // about 2 PUTs/s). Standard mode backs off only the throttled request; the others keep going.
  const config = { ...clientConfig({ service: 's3', ...options }), retryMode: 'standard' };
  const { S3Client } = await import('@aws-sdk/client-s3');
  const s3 = new S3Client(config);
  if (inputs.distributionId === undefined || inputs.invalidate === 'none') return { s3, cloudfront: undefined };
  const { CloudFrontClient } = await import('@aws-sdk/client-cloudfront');
  return { s3, cloudfront: createClient(CloudFrontClient, { service: 'cloudfront', ...options }) };
}
