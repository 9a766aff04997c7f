/** Registering revisions, and deregistering old ACTIVE ones beyond `keep-revisions`. */
import {
  DeregisterTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  paginateListTaskDefinitions,
  type ECSClient,
  type Tag,
} from '@aws-sdk/client-ecs';
import { describeAwsError } from '@deploy-suite/aws';
import { ActionFailure } from '@deploy-suite/kit';
import { call, parseTaskDefinitionArn, shortTaskDefinition, type Logger } from './aws.js';
import { COMMIT_TAG } from './constants.js';
import type { RenderedTaskDefinition } from './render.js';

/** The tags of a new revision: those of its source, and the commit it comes from. */
export function revisionTags(sourceTags: readonly Tag[], commitSha: string | undefined): Tag[] {
  const tags = sourceTags.filter((tag) => tag.key !== COMMIT_TAG && !tag.key?.startsWith('aws:'));
  if (commitSha) tags.push({ key: COMMIT_TAG, value: commitSha });
  return tags;
}

export async function registerRevision(client: ECSClient, definition: RenderedTaskDefinition, tags: Tag[]): Promise<string> {
  const response = await call('RegisterTaskDefinition', () =>
    client.send(new RegisterTaskDefinitionCommand({ ...definition, ...(tags.length > 0 ? { tags } : {}) })),
  );
  const arn = response.taskDefinition?.taskDefinitionArn;
  if (!arn) throw new ActionFailure('RegisterTaskDefinition returned no task definition ARN');
  return arn;
}

export async function deregisterRevision(client: ECSClient, arn: string): Promise<void> {
  await call('DeregisterTaskDefinition', () => client.send(new DeregisterTaskDefinitionCommand({ taskDefinition: arn })));
}

/** ACTIVE revisions of exactly this family (the API matches a prefix), newest first. */
export async function activeRevisions(client: ECSClient, family: string): Promise<string[]> {
  const arns: string[] = [];
  try {
    for await (const page of paginateListTaskDefinitions({ client }, { familyPrefix: family, status: 'ACTIVE', sort: 'DESC' })) {
      arns.push(...(page.taskDefinitionArns ?? []));
    }
  } catch (error) {
    throw new ActionFailure(describeAwsError('ListTaskDefinitions', error), { cause: error });
  }
  return arns
    .map((arn) => ({ arn, parsed: parseTaskDefinitionArn(arn) }))
    .filter((entry) => entry.parsed?.family === family)
    .sort((a, b) => (b.parsed?.revision ?? 0) - (a.parsed?.revision ?? 0))
    .map((entry) => entry.arn);
}

/** The revisions to deregister: all but the newest `keep`, never one that is in use or the rollback target. */
export function revisionsToDeregister(activeNewestFirst: readonly string[], keep: number, protectedArns: ReadonlySet<string>): string[] {
  return activeNewestFirst.slice(keep).filter((arn) => !protectedArns.has(arn));
}

export interface PruneResult {
  deregistered: string[];
  failed: string[];
}

/** Deregisters old revisions one at a time (ECS throttles this call hard); a failure is a warning. */
export async function pruneRevisions(client: ECSClient, family: string, keep: number, protectedArns: ReadonlySet<string>, log: Logger): Promise<PruneResult> {
  const candidates = revisionsToDeregister(await activeRevisions(client, family), keep, protectedArns);
  const result: PruneResult = { deregistered: [], failed: [] };
  if (candidates.length === 0) {
    log.info(`Family ${family} has no ACTIVE revisions beyond the newest ${keep}`);
    return result;
  }
  for (const arn of candidates) {
    try {
      await deregisterRevision(client, arn);
      result.deregistered.push(arn);
      log.info(`Deregistered ${shortTaskDefinition(arn)}`);
    } catch (error) {
      result.failed.push(arn);
      log.warning(`could not deregister ${shortTaskDefinition(arn)}: ${(error as Error).message}`);
    }
  }
  return result;
}
