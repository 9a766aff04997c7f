/**
 * The AWS clients of a run. The SDK is most of the bundle, so it is loaded
 * here, once the inputs are known to be good (a run with a bad input fails
 * without evaluating it); CloudFront only when there is something to invalidate.
 */
import type { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import type { S3Client } from '@aws-sdk/client-s3';
import { createClient, createS3Client } from '@deploy-suite/aws';
import { ACTION_NAME } from './constants.js';
import type { Inputs } from './inputs.js';

export interface Clients {
  s3: S3Client;
  cloudfront: CloudFrontClient | undefined;
}

export async function connect(inputs: Inputs): Promise<Clients> {
  const options = { action: ACTION_NAME, region: inputs.region };
  const { S3Client } = await import('@aws-sdk/client-s3');
  const s3 = await createS3Client(S3Client, options);
  if (inputs.distributionId === undefined || inputs.invalidate === 'none') return { s3, cloudfront: undefined };
  const { CloudFrontClient } = await import('@aws-sdk/client-cloudfront');
  return { s3, cloudfront: createClient(CloudFrontClient, { service: 'cloudfront', ...options }) };
}
