/**
 * Names in a registry, checked with the grammar registries enforce (distribution's
 * reference grammar), so a bad tag or repository fails before anything is built.
 */
import { ConfigurationError } from '@deploy-suite/kit';

/** A tag: word characters, dots and dashes, not starting with a dot or dash, at most 128. */
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
/** One path component of a repository: lowercase alphanumerics separated by `.`, `_`, `__` or dashes. */
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const HOST = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::\d{1,5})?$/;
const ECR_HOST = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;
const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?$/;

export function isValidTag(tag: string): boolean {
  return TAG.test(tag);
}

export function checkTag(name: string, tag: string): string {
  if (!isValidTag(tag)) {
    throw new ConfigurationError(
      `input "${name}": "${tag}" is not a valid image tag (letters, digits, "_", "." and "-", not starting with "." or "-", at most 128 characters)`,
    );
  }
  return tag;
}

export interface Registry {
  /** `host[:port]` as it appears in image references. */
  host: string;
  /** Speak HTTP instead of HTTPS (an `http://` registry, or a loopback one as Docker allows). */
  plainHttp: boolean;
  /** Set for an Amazon ECR registry. */
  ecr?: { account: string; region: string };
}

/** `host[:port]`, `https://host` or `http://host:port` (plain HTTP). */
export function parseRegistry(name: string, raw: string): Registry {
  const scheme = /^(https?):\/\//i.exec(raw);
  const host = raw.slice(scheme ? scheme[0].length : 0).replace(/\/+$/, '');
  if (!HOST.test(host)) {
    throw new ConfigurationError(`input "${name}" must be a registry host such as 123456789012.dkr.ecr.eu-west-1.amazonaws.com, ghcr.io or http://127.0.0.1:5000, got "${raw}"`);
  }
  const ecr = ECR_HOST.exec(host.toLowerCase());
  const plainHttp = scheme ? (scheme[1] as string).toLowerCase() === 'http' : LOOPBACK.test(host);
  return { host, plainHttp, ...(ecr ? { ecr: { account: ecr[1] as string, region: ecr[2] as string } } : {}) };
}

export interface RepositoryName {
  /** The registry named in the value (`ghcr.io/acme/api`), if any. */
  host?: string;
  /** The repository's path in its registry (`acme/api`). */
  path: string;
}

/** `team/api` (in the registry) or `host/team/api`, without a tag or digest. */
export function parseRepository(name: string, raw: string): RepositoryName {
  const expected = `a repository such as team/api or 123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/api (lowercase, no tag)`;
  const value = raw.replace(/^https?:\/\//i, '');
  const parts = value.split('/');
  const first = parts[0] as string;
  // As the reference grammar decides: a first component with a dot, a port or `localhost` is a registry.
  const hasHost = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const components = hasHost ? parts.slice(1) : parts;
  if ((hasHost && !HOST.test(first)) || components.length === 0 || !components.every((component) => PATH_COMPONENT.test(component))) {
    const hint = /[@:]/.test(components.at(-1) ?? '') ? ' (give tags in "tags", not in the repository)' : /[A-Z]/.test(value) ? ' (repositories are lowercase)' : '';
    throw new ConfigurationError(`input "${name}" must be ${expected}, got "${raw}"${hint}`);
  }
  const path = components.join('/');
  if (path.length > 255) throw new ConfigurationError(`input "${name}" must be ${expected}, got a name of ${path.length} characters (at most 255)`);
  return hasHost ? { host: first, path } : { path };
}

export interface RefContext {
  sha: string;
  /** GITHUB_REF: refs/heads/main, refs/tags/v1.2.0, refs/pull/12/merge. */
  ref: string;
  version?: string;
}

/** A branch or tag name made tag-safe, as docker/metadata-action does; `pr-12` for a pull request's ref. */
export function refTag(ref: string): string | undefined {
  const pull = /^refs\/pull\/(\d+)\//.exec(ref);
  if (pull) return `pr-${pull[1]}`;
  const name = ref.replace(/^refs\/(?:heads|tags)\//, '');
  if (name === '' || name === ref) return undefined;
  const safe = name
    .replace(/[^A-Za-z0-9_.-]/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 128);
  return safe === '' ? undefined : safe;
}

/** The default tags: the full commit SHA, its first 7 characters, the branch or tag name, and the version when given. */
export function defaultTags(context: RefContext): string[] {
  const tags = [context.sha, context.sha.slice(0, 7), refTag(context.ref), context.version];
  return [...new Set(tags.filter((tag): tag is string => tag !== undefined && tag !== ''))];
}
