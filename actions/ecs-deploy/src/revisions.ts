/** Registering revisions, and deregistering old ACTIVE ones beyond `keep-revisions`. */
import {
  DeregisterTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  paginateListTaskDefinitions,
  type ECSClient,
  type Tag,
} from '@aws-sdk/client-ecs';
import { randomUUID } from 'node:crypto';
import { call, describeAwsError, isTransient } from '@deploy-suite/aws';
import { ActionFailure, retry, type Logger } from '@deploy-suite/kit';
import { describeTaskDefinition } from './aws.js';
import { parseTaskDefinitionArn, shortTaskDefinition } from './names.js';
import { COMMIT_TAG, REGISTRATION_TAG } from './constants.js';
import type { RenderedTaskDefinition } from './render.js';

/** The tags of a new revision: those of its source, and the commit it comes from. */
export function revisionTags(sourceTags: readonly Tag[], commitSha: string | undefined): Tag[] {
  const tags = sourceTags.filter((tag) => tag.key !== COMMIT_TAG && tag.key !== REGISTRATION_TAG && !tag.key?.startsWith('aws:'));
  if (commitSha) tags.push({ key: COMMIT_TAG, value: commitSha });
  return tags;
}

/** One registration's own tag value: the run, its attempt, and a random part (two steps of one run differ). */
export function registrationToken(env: NodeJS.ProcessEnv = process.env): string {
  return `${env.GITHUB_RUN_ID || 'local'}-${env.GITHUB_RUN_ATTEMPT || '1'}-${randomUUID().slice(0, 8)}`;
}

export interface RegisterClients {
  /** For reads (with the SDK's retries). */
  client: ECSClient;
  /** Sends RegisterTaskDefinition once per attempt: the SDK's own retry cannot know whether a lost answer took effect. */
  once: ECSClient;
}

const REGISTER_ATTEMPTS = 6;
/** Newest revisions of the family searched for the token: a lost registration is the newest or close to it. */
const REVISIONS_SEARCHED = 5;

/**
 * Registers a revision tagged with `token`. When an attempt fails in a way that
 * may hide a success (5xx, timeout, reset: the answer, not the request, may have
 * been lost), the family's newest revisions are searched for the token before
 * the next attempt, so a lost answer never leaves a duplicate revision.
 */
export async function registerRevision({ client, once }: RegisterClients, definition: RenderedTaskDefinition, tags: Tag[], token: string, log: Logger): Promise<string> {
  const tagged = [...tags, { key: REGISTRATION_TAG, value: token }];
  const response = await call('RegisterTaskDefinition', () =>
    retry(
      async (attempt) => {
        if (attempt > 1) {
          const found = await findRegistration(client, definition.family as string, token);
          if (found) {
            log.info(`RegisterTaskDefinition's answer was lost, but ${shortTaskDefinition(found)} carries this registration's tag: using it, not registering again`);
            return { taskDefinition: { taskDefinitionArn: found } };
          }
        }
        return once.send(new RegisterTaskDefinitionCommand({ ...definition, tags: tagged }));
      },
      {
        attempts: REGISTER_ATTEMPTS,
        retryable: isTransient,
        initialDelayMs: 200,
        maxDelayMs: 5_000,
        onRetry: (error, attempt, delayMs) => log.info(`${describeAwsError('RegisterTaskDefinition', error)}; checking whether it took effect, then attempt ${attempt + 1} in ${delayMs} ms`),
      },
    ),
  );
  const arn = response.taskDefinition?.taskDefinitionArn;
  if (!arn) throw new ActionFailure('RegisterTaskDefinition returned no task definition ARN');
  return arn;
}

/** The newest ACTIVE revision of the family tagged with this registration's token, if any. */
async function findRegistration(client: ECSClient, family: string, token: string): Promise<string | undefined> {
  for (const arn of (await activeRevisions(client, family)).slice(0, REVISIONS_SEARCHED)) {
    const { tags } = await describeTaskDefinition(client, arn);
    if (tags.some((tag) => tag.key === REGISTRATION_TAG && tag.value === token)) return arn;
  }
  return undefined;
}

export async function deregisterRevision(client: ECSClient, arn: string): Promise<void> {
  await call('DeregisterTaskDefinition', () => client.send(new DeregisterTaskDefinitionCommand({ taskDefinition: arn })));
}

/** ACTIVE revisions of exactly this family (the API matches a prefix), newest first. */
export async function activeRevisions(client: ECSClient, family: string): Promise<string[]> {
  const arns: string[] = [];
  await call('ListTaskDefinitions', async () => {
    for await (const page of paginateListTaskDefinitions({ client }, { familyPrefix: family, status: 'ACTIVE', sort: 'DESC' })) {
      arns.push(...(page.taskDefinitionArns ?? []));
    }
  });
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
