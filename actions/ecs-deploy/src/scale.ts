/**
 * Scale mode for out-of-hours teardown: `desired-count: 0` keeps the count it
 * replaced in a service tag, and `desired-count: restore` brings it back.
 */
import { TagResourceCommand, UntagResourceCommand, type ECSClient, type Service } from '@aws-sdk/client-ecs';
import { ActionFailure } from '@deploy-suite/kit';
import { call } from '@deploy-suite/aws';
import { Input, PREVIOUS_COUNT_TAG } from './constants.js';
import type { DesiredCount } from './parse.js';

export function savedCount(service: Service): number | undefined {
  const value = service.tags?.find((tag) => tag.key === PREVIOUS_COUNT_TAG)?.value;
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

/**
 * The count to set, from the input and the service (for `restore`, the saved tag). Without a saved count,
 * a running service keeps its count and one at 0 gets `restoreCount` (a teardown done by hand).
 */
export function resolveDesiredCount(requested: DesiredCount | undefined, service: Service, restoreCount?: number): number | undefined {
  if (requested !== 'restore') return requested;
  const saved = savedCount(service);
  if (saved === undefined && (service.desiredCount ?? 0) > 0) return service.desiredCount;
  if (saved === undefined && restoreCount !== undefined) return restoreCount;
  if (saved === undefined) {
    throw new ActionFailure(
      `input "${Input.DesiredCount}" is "restore" but service "${service.serviceName}" has no "${PREVIOUS_COUNT_TAG}" tag: it was not scaled to 0 by this action; set "${Input.RestoreCount}" for the count to start it with`,
    );
  }
  return saved;
}

/** Before scaling to 0: remember the current count (unless already 0, when the tag already holds it). */
export async function saveCountBeforeScalingToZero(client: ECSClient, service: Service): Promise<number | undefined> {
  const current = service.desiredCount ?? 0;
  if (current === 0) return undefined;
  await call('TagResource', () => client.send(new TagResourceCommand({ resourceArn: service.serviceArn, tags: [{ key: PREVIOUS_COUNT_TAG, value: String(current) }] })));
  return current;
}

export async function forgetSavedCount(client: ECSClient, service: Service): Promise<void> {
  await call('UntagResource', () => client.send(new UntagResourceCommand({ resourceArn: service.serviceArn, tagKeys: [PREVIOUS_COUNT_TAG] })));
}
