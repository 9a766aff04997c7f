/**
 * The CloudFront calls: the distribution's origin for the bucket (checked
 * before anything changes), creating an invalidation, and waiting for it.
 */
import { CreateInvalidationCommand, GetDistributionCommand, GetInvalidationCommand, type CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { createHash } from 'node:crypto';
import { ActionFailure, waitUntil } from '@deploy-suite/kit';
import { call, pollCall } from '@deploy-suite/aws';
import type { Logger } from '@deploy-suite/kit';

export interface DistributionOrigin {
  /** The distribution's domain, for the log and summary. */
  domainName: string;
  /** The bucket origin's OriginPath without slashes at either end ('' when none or no origin serves the bucket). */
  originPath: string;
  /** Whether an origin of the distribution points at the bucket. */
  servesBucket: boolean;
}

/** Checks the distribution exists (before anything is changed) and finds the path the bucket is served under. */
export async function describeDistribution(cloudfront: CloudFrontClient, distributionId: string, bucket: string): Promise<DistributionOrigin> {
  const explain = (described: string, name: string | undefined): string =>
    name === 'NoSuchDistribution' ? `CloudFront distribution "${distributionId}" does not exist; check the "distribution-id" input` : described;
  const { Distribution: distribution } = await call(`reading CloudFront distribution ${distributionId}`, () => cloudfront.send(new GetDistributionCommand({ Id: distributionId })), { explain });
  // S3 origins are named <bucket>.s3.amazonaws.com, <bucket>.s3.<region>.amazonaws.com or <bucket>.s3-website...
  const origin = distribution?.DistributionConfig?.Origins?.Items?.find((item) => item.DomainName?.startsWith(`${bucket}.s3`));
  return {
    domainName: distribution?.DomainName ?? distributionId,
    originPath: (origin?.OriginPath ?? '').replace(/^\/+|\/+$/g, ''),
    servesBucket: origin !== undefined,
  };
}

export interface InvalidationResult {
  id: string;
  status: string;
}

function isCompleted(status: string | undefined): boolean {
  // CloudFront says "Completed"; moto says "COMPLETED".
  return status?.toLowerCase() === 'completed';
}

export async function createInvalidation(cloudfront: CloudFrontClient, distributionId: string, paths: readonly string[]): Promise<InvalidationResult> {
  // One reference per batch: the SDK's retries of this request then cannot create a second invalidation.
  const callerReference = `deploy-suite-${Date.now()}-${createHash('sha256').update(paths.join('\n')).digest('hex').slice(0, 12)}`;
  const response = await call(`creating the invalidation on ${distributionId}`, () =>
    cloudfront.send(new CreateInvalidationCommand({ DistributionId: distributionId, InvalidationBatch: { CallerReference: callerReference, Paths: { Quantity: paths.length, Items: [...paths] } } })),
  );
  const id = response.Invalidation?.Id;
  if (!id) throw new ActionFailure(`CloudFront accepted the invalidation of ${distributionId} but returned no id`);
  return { id, status: response.Invalidation?.Status ?? 'InProgress' };
}

export async function waitForInvalidation(
  cloudfront: CloudFrontClient,
  distributionId: string,
  invalidation: InvalidationResult,
  timeoutMs: number,
  log: Logger,
): Promise<InvalidationResult> {
  if (isCompleted(invalidation.status)) return invalidation;
  let lastStatus = invalidation.status;
  return waitUntil(
    async () => {
      const response = await pollCall(`checking invalidation ${invalidation.id}`, () => cloudfront.send(new GetInvalidationCommand({ DistributionId: distributionId, Id: invalidation.id })), (line) => log.warning(line));
      if (!response) return { done: false, status: lastStatus };
      lastStatus = response.Invalidation?.Status ?? 'unknown';
      return isCompleted(lastStatus) ? { done: true, value: { id: invalidation.id, status: lastStatus } } : { done: false, status: lastStatus };
    },
    { description: `invalidation ${invalidation.id} of ${distributionId}`, timeoutMs, initialDelayMs: 1_000, maxDelayMs: 15_000, factor: 1.5, progressIntervalMs: 15_000, progress: (line) => log.info(line) },
  );
}
