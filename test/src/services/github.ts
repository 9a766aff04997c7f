/**
 * A fake GitHub API on 127.0.0.1 with the endpoints the suite calls:
 * deployments and their statuses (list, get, create, with GitHub's pagination
 * and `auto_inactive`), the files of a pull request, a workflow run by id, and
 * releases (create, list, get by tag); and GraphQL at /graphql, checked against
 * GitHub's schema, for the deployments with their latest status (github-graphql.ts).
 * Every request needs a token minted with `mintToken(permissions)`; a token
 * without the permission an endpoint needs gets GitHub's 403 ("Resource not
 * accessible by integration"), an unknown one 401. Endpoints it does not know
 * answer 404 and are listed in `unhandled`, so a test sees what is missing.
 */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { answerGraphql } from './github-graphql.js';
import { startHttpServer, type RecordedRequest } from './http.js';

export type Permission = 'read' | 'write' | 'none';
export type Permissions = Record<string, Permission>;

export type DeploymentState = 'error' | 'failure' | 'inactive' | 'in_progress' | 'queued' | 'pending' | 'success';
const STATES: readonly DeploymentState[] = ['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success'];

export interface DeploymentStatus {
  id: number;
  state: DeploymentState;
  description: string;
  environment: string;
  log_url: string;
  environment_url: string;
  created_at: string;
}

export interface Deployment {
  id: number;
  sha: string;
  ref: string;
  task: string;
  environment: string;
  original_environment: string;
  description: string | null;
  payload: unknown;
  transient_environment: boolean;
  production_environment: boolean;
  created_at: string;
}

export interface WorkflowRun {
  id: number;
  run_started_at: string;
  status: string;
  conclusion: string | null;
  head_sha?: string;
}

export interface PullRequestFile {
  filename: string;
  status: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';
  previous_filename?: string;
}

export interface Release {
  id: number;
  tag_name: string;
  target_commitish: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  make_latest: string;
  created_at: string;
}

export interface GitHubCall {
  method: string;
  path: string;
  status: number;
  /** The permissions of the token that made it, when it was one of ours. */
  permissions?: Permissions;
}

export interface FakeGitHubOptions {
  /** owner/name of the only repository it serves; default acme/monorepo. */
  repository?: string;
  /** Resolves a ref (branch, tag, short sha) to a commit for a new deployment; default: only full SHAs. */
  resolveRef?: (ref: string) => string | undefined;
}

export interface FakeGitHub {
  /** The API root, what GITHUB_API_URL is set to. */
  url: string;
  repository: string;
  /** A token carrying exactly these permissions (as a job's `permissions:` gives GITHUB_TOKEN). */
  mintToken(permissions: Permissions): string;
  /** Every deployment, newest first (as the API lists them). */
  deployments(environment?: string): Deployment[];
  /** A deployment's statuses, newest first. */
  statuses(deploymentId: number): DeploymentStatus[];
  /** The state of a deployment's latest status, if any. */
  latestState(deploymentId: number): DeploymentState | undefined;
  /** Makes GET /actions/runs/{id} answer for this run. */
  recordRun(run: Partial<WorkflowRun> & { id: number }): WorkflowRun;
  setPullRequestFiles(pullNumber: number, files: PullRequestFile[]): void;
  /** Every release, newest first (as the API lists them). */
  releases(): Release[];
  /** Clears deployments, runs, pull requests, releases and the call log (tokens stay valid). */
  reset(): void;
  calls: GitHubCall[];
  /** `METHOD path` of requests for endpoints the fake does not implement. */
  unhandled: string[];
  stop(): Promise<void>;
}

/** The permission each endpoint needs, as GitHub documents it for GITHUB_TOKEN. */
const SCOPES = {
  deployments: 'deployments',
  pullFiles: 'pull-requests',
  runs: 'actions',
  releases: 'contents',
} as const;

const DOCS = 'https://docs.github.com/rest';

class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly documentation = DOCS,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

function allows(permissions: Permissions, scope: string, access: 'read' | 'write'): boolean {
  const granted = permissions[scope];
  return granted === 'write' || (access === 'read' && granted === 'read');
}

/** `[page, per_page]` from GitHub's query parameters (per_page 1-100, default 30). */
function paging(query: URLSearchParams): [number, number] {
  const perPage = Math.min(100, Math.max(1, Number(query.get('per_page') ?? 30) || 30));
  const page = Math.max(1, Number(query.get('page') ?? 1) || 1);
  return [page, perPage];
}

export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const repository = options.repository ?? 'acme/monorepo';
  const resolveRef = options.resolveRef ?? ((ref: string) => (/^[0-9a-f]{40}$/.test(ref) ? ref : undefined));
  const tokens = new Map<string, Permissions>();
  let deployments: Deployment[] = [];
  let statuses = new Map<number, DeploymentStatus[]>();
  let runs = new Map<number, WorkflowRun>();
  let pullFiles = new Map<number, PullRequestFile[]>();
  let releases: Release[] = [];
  const calls: GitHubCall[] = [];
  const unhandled: string[] = [];
  let nextId = 1000;
  let base = '';

  const repoUrl = (): string => `${base}/repos/${repository}`;
  const deploymentJson = (deployment: Deployment): Record<string, unknown> => ({
    url: `${repoUrl()}/deployments/${deployment.id}`,
    node_id: `DE_${deployment.id}`,
    ...deployment,
    creator: { login: 'github-actions[bot]', type: 'Bot' },
    updated_at: statuses.get(deployment.id)?.[0]?.created_at ?? deployment.created_at,
    statuses_url: `${repoUrl()}/deployments/${deployment.id}/statuses`,
    repository_url: repoUrl(),
  });
  const statusJson = (deploymentId: number, status: DeploymentStatus): Record<string, unknown> => ({
    url: `${repoUrl()}/deployments/${deploymentId}/statuses/${status.id}`,
    node_id: `DES_${status.id}`,
    ...status,
    target_url: status.log_url,
    creator: { login: 'github-actions[bot]', type: 'Bot' },
    updated_at: status.created_at,
    deployment_url: `${repoUrl()}/deployments/${deploymentId}`,
    repository_url: repoUrl(),
  });

  /** The permissions of the request's token; GitHub's 401 without a known one. */
  const authenticate = (request: RecordedRequest): Permissions => {
    const header = String(request.headers.authorization ?? '');
    const token = /^(?:token|bearer)\s+(\S+)$/i.exec(header)?.[1];
    if (!token) throw new ApiError(401, 'Requires authentication', `${DOCS}/overview/authenticating-to-the-rest-api`);
    const permissions = tokens.get(token);
    if (!permissions) throw new ApiError(401, 'Bad credentials', DOCS);
    return permissions;
  };
  const authorize = (request: RecordedRequest, scope: string, access: 'read' | 'write', docs: string): Permissions => {
    const permissions = authenticate(request);
    if (!allows(permissions, scope, access)) throw new ApiError(403, 'Resource not accessible by integration', docs);
    return permissions;
  };

  const listPage = <T>(response: ServerResponse, url: URL, items: T[], render: (item: T) => unknown): unknown[] => {
    const [page, perPage] = paging(url.searchParams);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (n: number, rel: string): string => {
      const target = new URL(url.toString());
      target.searchParams.set('page', String(n));
      target.searchParams.set('per_page', String(perPage));
      return `<${base}${target.pathname}${target.search}>; rel="${rel}"`;
    };
    const links: string[] = [];
    if (page > 1) links.push(link(1, 'first'), link(page - 1, 'prev'));
    if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
    if (links.length > 0) response.setHeader('link', links.join(', '));
    return items.slice((page - 1) * perPage, page * perPage).map(render);
  };

  const readJson = (request: RecordedRequest): Record<string, unknown> => {
    try {
      const body = JSON.parse(request.body || '{}') as unknown;
      if (body && typeof body === 'object' && !Array.isArray(body)) return body as Record<string, unknown>;
    } catch {
      // below
    }
    throw new ApiError(400, 'Problems parsing JSON');
  };

  const createDeployment = (body: Record<string, unknown>): Deployment => {
    const ref = body.ref;
    if (typeof ref !== 'string' || ref === '') throw new ApiError(422, 'Invalid request.\n\n"ref" wasn\'t supplied.', `${DOCS}/deployments/deployments#create-a-deployment`);
    let sha: string | undefined;
    try {
      sha = resolveRef(ref);
    } catch {
      sha = undefined;
    }
    if (!sha) throw new ApiError(409, `No ref found for: ${ref}`, `${DOCS}/deployments/deployments#create-a-deployment`);
    const environment = typeof body.environment === 'string' ? body.environment : 'production';
    const deployment: Deployment = {
      id: ++nextId,
      sha,
      ref,
      task: typeof body.task === 'string' ? body.task : 'deploy',
      environment,
      original_environment: environment,
      description: typeof body.description === 'string' ? body.description : null,
      payload: body.payload ?? {},
      transient_environment: body.transient_environment === true,
      production_environment: typeof body.production_environment === 'boolean' ? body.production_environment : environment === 'production',
      created_at: new Date().toISOString(),
    };
    deployments.unshift(deployment);
    statuses.set(deployment.id, []);
    return deployment;
  };

  const createStatus = (deployment: Deployment, body: Record<string, unknown>): DeploymentStatus => {
    const state = body.state;
    if (typeof state !== 'string' || !STATES.includes(state as DeploymentState)) {
      throw new ApiError(422, `Validation Failed: state must be one of ${STATES.join(', ')}`, `${DOCS}/deployments/statuses#create-a-deployment-status`);
    }
    const environment = typeof body.environment === 'string' ? body.environment : deployment.environment;
    const status: DeploymentStatus = {
      id: ++nextId,
      state: state as DeploymentState,
      description: typeof body.description === 'string' ? body.description : '',
      environment,
      log_url: typeof body.log_url === 'string' ? body.log_url : typeof body.target_url === 'string' ? body.target_url : '',
      environment_url: typeof body.environment_url === 'string' ? body.environment_url : '',
      created_at: new Date().toISOString(),
    };
    statuses.get(deployment.id)?.unshift(status);
    // GitHub: a success marks earlier successful non-production, non-transient deployments of the
    // environment inactive (auto_inactive defaults to true).
    if (status.state === 'success' && body.auto_inactive !== false) {
      for (const other of deployments) {
        if (other.id === deployment.id || other.environment !== environment || other.production_environment || other.transient_environment) continue;
        const history = statuses.get(other.id) ?? [];
        if (other.id < deployment.id && history[0]?.state === 'success') {
          history.unshift({ ...history[0], id: ++nextId, state: 'inactive', description: '', created_at: status.created_at });
        }
      }
    }
    return status;
  };

  const releaseJson = (release: Release): Record<string, unknown> => ({
    url: `${repoUrl()}/releases/${release.id}`,
    html_url: `https://github.com/${repository}/releases/tag/${release.tag_name}`,
    ...release,
    published_at: release.draft ? null : release.created_at,
    author: { login: 'github-actions[bot]', type: 'Bot' },
  });

  /** POST /releases: one release per tag (GitHub's 422 `already_exists`), a tag name required. */
  const createRelease = (body: Record<string, unknown>): Release => {
    const docs = `${DOCS}/releases/releases#create-a-release`;
    const tag = body.tag_name;
    if (typeof tag !== 'string' || tag === '') throw new ApiError(422, 'Validation Failed', docs, { errors: [{ resource: 'Release', code: 'missing_field', field: 'tag_name' }] });
    if (releases.some((release) => release.tag_name === tag)) {
      throw new ApiError(422, 'Validation Failed', docs, { errors: [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }] });
    }
    const text = (value: unknown) => (typeof value === 'string' ? value : null);
    const release: Release = {
      id: ++nextId,
      tag_name: tag,
      target_commitish: text(body.target_commitish) ?? 'main',
      name: text(body.name),
      body: text(body.body),
      draft: body.draft === true,
      prerelease: body.prerelease === true,
      make_latest: text(body.make_latest) ?? 'true',
      created_at: new Date().toISOString(),
    };
    releases.unshift(release);
    return release;
  };

  const findDeployment = (id: string): Deployment => {
    const deployment = deployments.find((candidate) => candidate.id === Number(id));
    if (!deployment) throw new ApiError(404, 'Not Found', `${DOCS}/deployments/deployments#get-a-deployment`);
    return deployment;
  };

  const route = (request: RecordedRequest, response: ServerResponse, call: GitHubCall): { status: number; body: unknown } => {
    const url = new URL(request.url, 'http://fake');
    if (url.pathname === '/graphql' && request.method === 'POST') {
      const permissions = (call.permissions = authenticate(request));
      const source = { repository, canReadDeployments: allows(permissions, SCOPES.deployments, 'read'), deployments, latestState: (id: number) => statuses.get(id)?.[0]?.state };
      return { status: 200, body: answerGraphql(readJson(request), source) };
    }
    const prefix = `/repos/${repository}`;
    const otherRepo = /^\/repos\/[^/]+\/[^/]+(\/|$)/.test(url.pathname) && !url.pathname.toLowerCase().startsWith(`${prefix.toLowerCase()}/`);
    if (otherRepo) throw new ApiError(404, 'Not Found');
    const rest = url.pathname.slice(prefix.length);
    const method = request.method;
    const docs = `${DOCS}/deployments`;
    let match: RegExpExecArray | null;

    if (rest === '/deployments' && method === 'GET') {
      call.permissions = authorize(request, SCOPES.deployments, 'read', `${docs}/deployments#list-deployments`);
      const query = url.searchParams;
      const listed = deployments.filter(
        (deployment) =>
          (!query.get('environment') || deployment.environment === query.get('environment')) &&
          (!query.get('sha') || deployment.sha === query.get('sha')) &&
          (!query.get('ref') || deployment.ref === query.get('ref')) &&
          (!query.get('task') || deployment.task === query.get('task')),
      );
      return { status: 200, body: listPage(response, url, listed, deploymentJson) };
    }
    if (rest === '/deployments' && method === 'POST') {
      call.permissions = authorize(request, SCOPES.deployments, 'write', `${docs}/deployments#create-a-deployment`);
      return { status: 201, body: deploymentJson(createDeployment(readJson(request))) };
    }
    if ((match = /^\/deployments\/(\d+)$/.exec(rest)) && method === 'GET') {
      call.permissions = authorize(request, SCOPES.deployments, 'read', `${docs}/deployments#get-a-deployment`);
      return { status: 200, body: deploymentJson(findDeployment(match[1]!)) };
    }
    if ((match = /^\/deployments\/(\d+)\/statuses$/.exec(rest))) {
      const write = method === 'POST';
      call.permissions = authorize(request, SCOPES.deployments, write ? 'write' : 'read', `${docs}/statuses`);
      const deployment = findDeployment(match[1]!);
      if (write) return { status: 201, body: statusJson(deployment.id, createStatus(deployment, readJson(request))) };
      if (method === 'GET') return { status: 200, body: listPage(response, url, statuses.get(deployment.id) ?? [], (status) => statusJson(deployment.id, status)) };
    }
    if ((match = /^\/pulls\/(\d+)\/files$/.exec(rest)) && method === 'GET') {
      call.permissions = authorize(request, SCOPES.pullFiles, 'read', `${DOCS}/pulls/pulls#list-pull-requests-files`);
      const files = pullFiles.get(Number(match[1]));
      if (!files) throw new ApiError(404, 'Not Found', `${DOCS}/pulls/pulls#list-pull-requests-files`);
      // The API stops at 3,000 files, as GitHub's does.
      return { status: 200, body: listPage(response, url, files.slice(0, 3000), (file) => ({ sha: '0'.repeat(40), additions: 1, deletions: 0, changes: 1, ...file })) };
    }
    if ((match = /^\/actions\/runs\/(\d+)$/.exec(rest)) && method === 'GET') {
      call.permissions = authorize(request, SCOPES.runs, 'read', `${DOCS}/actions/workflow-runs#get-a-workflow-run`);
      const run = runs.get(Number(match[1]));
      if (!run) throw new ApiError(404, 'Not Found', `${DOCS}/actions/workflow-runs#get-a-workflow-run`);
      return { status: 200, body: { ...run, url: `${repoUrl()}/actions/runs/${run.id}`, html_url: `https://github.com/${repository}/actions/runs/${run.id}` } };
    }
    if (rest === '/releases' && method === 'POST') {
      call.permissions = authorize(request, SCOPES.releases, 'write', `${DOCS}/releases/releases#create-a-release`);
      return { status: 201, body: releaseJson(createRelease(readJson(request))) };
    }
    if (rest === '/releases' && method === 'GET') {
      call.permissions = authorize(request, SCOPES.releases, 'read', `${DOCS}/releases/releases#list-releases`);
      return { status: 200, body: listPage(response, url, releases, releaseJson) };
    }
    if ((match = /^\/releases\/tags\/(.+)$/.exec(rest)) && method === 'GET') {
      call.permissions = authorize(request, SCOPES.releases, 'read', `${DOCS}/releases/releases#get-a-release-by-tag-name`);
      const release = releases.find((candidate) => candidate.tag_name === decodeURIComponent(match![1]!));
      if (!release) throw new ApiError(404, 'Not Found', `${DOCS}/releases/releases#get-a-release-by-tag-name`);
      return { status: 200, body: releaseJson(release) };
    }
    unhandled.push(`${method} ${url.pathname}`);
    throw new ApiError(404, 'Not Found');
  };

  const server = await startHttpServer((request, response) => {
    const call: GitHubCall = { method: request.method, path: new URL(request.url, 'http://fake').pathname, status: 0 };
    calls.push(call);
    let status: number;
    let body: unknown;
    try {
      ({ status, body } = route(request, response, call));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      status = error.status;
      body = { message: error.message, documentation_url: error.documentation, status: String(error.status), ...error.extra };
    }
    call.status = status;
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-github-api-version-selected': '2022-11-28' });
    response.end(JSON.stringify(body));
  });
  base = server.url;

  return {
    url: server.url,
    repository,
    mintToken(permissions) {
      const token = `ghs_${randomBytes(18).toString('hex')}`;
      tokens.set(token, { ...permissions });
      return token;
    },
    deployments: (environment) => deployments.filter((deployment) => !environment || deployment.environment === environment).map((deployment) => ({ ...deployment })),
    statuses: (id) => [...(statuses.get(id) ?? [])],
    latestState: (id) => statuses.get(id)?.[0]?.state,
    recordRun(run) {
      const recorded: WorkflowRun = { run_started_at: new Date().toISOString(), status: 'in_progress', conclusion: null, ...run };
      runs.set(run.id, recorded);
      return recorded;
    },
    setPullRequestFiles: (pullNumber, files) => void pullFiles.set(pullNumber, files),
    releases: () => releases.map((release) => ({ ...release })),
    reset() {
      releases = [];
      deployments = [];
      statuses = new Map();
      runs = new Map();
      pullFiles = new Map();
      calls.splice(0);
      unhandled.splice(0);
    },
    calls,
    unhandled,
    stop: () => server.close(),
  };
}
