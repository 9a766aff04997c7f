/** The GITHUB_TOKEN's scopes as GitHub computes them for a job. */
import { WorkflowError, type Location } from './errors.js';
import type { PermissionLevel, Permissions } from './types.js';

export const SCOPES = [
  'actions',
  'artifact-metadata',
  'attestations',
  'checks',
  'contents',
  'deployments',
  'discussions',
  'id-token',
  'issues',
  'models',
  'packages',
  'pages',
  'pull-requests',
  'repository-projects',
  'security-events',
  'statuses',
] as const;

const RANK: Record<PermissionLevel, number> = { none: 0, read: 1, write: 2 };

/** A repository's default when no `permissions:` is declared anywhere: the restricted default GitHub gives new repositories. */
export const DEFAULT_PERMISSIONS: Permissions = withMetadata(Object.fromEntries(SCOPES.map((scope) => [scope, scope === 'contents' || scope === 'packages' ? 'read' : 'none'])));

function withMetadata(permissions: Permissions): Permissions {
  return { ...permissions, metadata: 'read' };
}

/** `permissions:` as written (read-all, write-all, {} or a mapping); unset scopes are none. */
export function parsePermissions(value: unknown, location: Location): Permissions {
  const all = (level: PermissionLevel): Permissions => Object.fromEntries(SCOPES.map((scope) => [scope, scope === 'id-token' && level === 'read' ? 'none' : level]));
  if (value === 'read-all') return withMetadata(all('read'));
  if (value === 'write-all') return withMetadata(all('write'));
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new WorkflowError(`permissions is ${JSON.stringify(value)}: use read-all, write-all or a mapping of scopes`, location);
  }
  const permissions = all('none');
  for (const [scope, level] of Object.entries(value as Record<string, unknown>)) {
    if (!(SCOPES as readonly string[]).includes(scope)) throw new WorkflowError(`permissions: unknown scope "${scope}" (scopes: ${SCOPES.join(', ')})`, location);
    if (level !== 'read' && level !== 'write' && level !== 'none') throw new WorkflowError(`permissions: ${scope} is ${JSON.stringify(level)}: use read, write or none`, location);
    permissions[scope] = level;
  }
  return withMetadata(permissions);
}

/**
 * A called workflow's job may keep or reduce what its caller grants, never raise it: GitHub refuses
 * the run with this error.
 */
export function checkWithinCap(job: string, requested: Permissions, cap: Permissions, location: Location): void {
  for (const [scope, level] of Object.entries(requested)) {
    const allowed = cap[scope] ?? 'none';
    if (RANK[level] > RANK[allowed]) {
      throw new WorkflowError(`The nested job '${job}' is requesting '${scope}: ${level}', but is only allowed '${scope}: ${allowed}'.`, location);
    }
  }
}

/** The scopes a token carries, without the none ones (what a test or the fake API checks). */
export function grantedScopes(permissions: Permissions): Record<string, PermissionLevel> {
  return Object.fromEntries(Object.entries(permissions).filter(([, level]) => level !== 'none'));
}
