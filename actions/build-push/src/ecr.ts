/**
 * Amazon ECR: the login token, and a missing repository created with scan-on-push,
 * the requested tag mutability and an optional lifecycle policy. Loaded with a
 * dynamic import only when the registry is ECR, so other registries never load the SDK.
 */
import {
  CreateRepositoryCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  PutLifecyclePolicyCommand,
} from '@aws-sdk/client-ecr';
import { call, createClient } from '@deploy-suite/aws';
import { ActionFailure } from '@deploy-suite/kit';
import { ACTION_NAME } from './constants.js';
import type { Credentials } from './registry.js';

export type { ECRClient };

export function ecrClient(region: string | undefined): ECRClient {
  return createClient(ECRClient, { action: ACTION_NAME, service: 'ecr', region });
}

export interface EcrLogin {
  credentials: Credentials;
  /** The registry's endpoint, `https://<account>.dkr.ecr.<region>.amazonaws.com`. */
  endpoint: string;
}

/** GetAuthorizationToken: a base64 `AWS:<password>` and the registry endpoint it is for. */
export async function getLogin(client: ECRClient, registryId?: string): Promise<EcrLogin> {
  const answer = await call('getting an ECR login token (ecr:GetAuthorizationToken)', () =>
    client.send(new GetAuthorizationTokenCommand(registryId ? { registryIds: [registryId] } : {})),
  );
  const data = answer.authorizationData?.[0];
  const decoded = Buffer.from(data?.authorizationToken ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (!data?.proxyEndpoint || colon <= 0) throw new ActionFailure('ECR answered GetAuthorizationToken without a usable token or endpoint');
  return { credentials: { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) }, endpoint: data.proxyEndpoint };
}

export interface RepositorySettings {
  immutableTags: boolean;
  /** Untagged images kept by a lifecycle policy; undefined for no policy. */
  keepImages?: number | undefined;
}

/** The lifecycle policy that expires untagged images beyond the newest `keep`. */
export function lifecyclePolicy(keep: number): string {
  return JSON.stringify({
    rules: [
      {
        rulePriority: 1,
        description: `keep the ${keep} newest untagged images (deploy-suite build-push)`,
        selection: { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: keep },
        action: { type: 'expire' },
      },
    ],
  });
}

/** Creates the repository when it is missing; returns whether it did. */
export async function ensureRepository(client: ECRClient, name: string, settings: RepositorySettings, registryId?: string): Promise<boolean> {
  const registry = registryId ? { registryId } : {};
  const found = await call(`looking up ECR repository ${name}`, () => client.send(new DescribeRepositoriesCommand({ repositoryNames: [name], ...registry })), {
    undefinedOn: ['RepositoryNotFoundException'],
  });
  if (found) return false;
  const creation = { repositoryName: name, imageScanningConfiguration: { scanOnPush: true }, imageTagMutability: settings.immutableTags ? ('IMMUTABLE' as const) : ('MUTABLE' as const), ...registry };
  // Another job of the same matrix may have created it a moment ago.
  const created = await call(`creating ECR repository ${name}`, () => client.send(new CreateRepositoryCommand(creation)), { undefinedOn: ['RepositoryAlreadyExistsException'] });
  if (!created) return false;
  if (settings.keepImages !== undefined) {
    const policy = { repositoryName: name, lifecyclePolicyText: lifecyclePolicy(settings.keepImages), ...registry };
    await call('setting its lifecycle policy', () => client.send(new PutLifecyclePolicyCommand(policy)), {
      explain: (described) => `created ECR repository ${name}, but ${described}; the repository stays, without a policy`,
    });
  }
  return true;
}
