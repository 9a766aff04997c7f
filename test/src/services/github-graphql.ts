/**
 * The fake GitHub's GraphQL endpoint: queries are validated and executed
 * against GitHub's own published schema (@octokit/graphql-schema), so a query
 * the real API would reject (a field that does not exist, a wrong argument
 * type) fails here too. Only what the suite reads resolves to data:
 * `repository(owner, name) { deployments(environments, orderBy, first, after) }`
 * with each deployment's latest status. Errors come as GitHub sends them: in
 * an HTTP 200 answer, each with a `type` (NOT_FOUND, FORBIDDEN).
 */
import { readFileSync } from 'node:fs';
import { buildSchema, graphqlSync, type GraphQLSchema } from 'graphql';
import type { Deployment } from './github.js';

/** What the endpoint reads from the fake's state, newest deployment first. */
export interface GraphqlSource {
  repository: string;
  /** Whether the request's token may read deployments (else FORBIDDEN, as GitHub answers). */
  canReadDeployments: boolean;
  deployments: readonly GraphqlDeployment[];
  /** The state of a deployment's latest status (lower case, as REST gives it), if any. */
  latestState(deploymentId: number): string | undefined;
}

/** The fields of the fake's deployments that GraphQL answers with. */
export type GraphqlDeployment = Pick<Deployment, 'id' | 'sha' | 'task' | 'environment' | 'original_environment' | 'description' | 'created_at'>;

interface ConnectionArgs {
  environments?: string[] | null;
  orderBy?: { field: string; direction: 'ASC' | 'DESC' };
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/** A resolver error with GitHub's error `type`. */
class TypedError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

let schema: GraphQLSchema | undefined;
/** GitHub's schema, built once per process (about a second: 1.2 MB of SDL). */
function githubSchema(): GraphQLSchema {
  schema ??= buildSchema(readFileSync(new URL('./schema.graphql', import.meta.resolve('@octokit/graphql-schema')), 'utf8'), { assumeValidSDL: true });
  return schema;
}

const cursorOf = (index: number): string => Buffer.from(`cursor:v2:${index}`).toString('base64');
const indexOf = (cursor: string): number => Number(/^cursor:v2:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString())?.[1] ?? Number.NaN);

function deploymentNode(deployment: GraphqlDeployment, source: GraphqlSource): Record<string, unknown> {
  const state = source.latestState(deployment.id);
  return {
    id: `DE_${deployment.id}`,
    databaseId: deployment.id,
    commitOid: deployment.sha,
    task: deployment.task,
    environment: deployment.environment,
    originalEnvironment: deployment.original_environment,
    latestEnvironment: deployment.environment,
    description: deployment.description,
    createdAt: deployment.created_at,
    updatedAt: deployment.created_at,
    latestStatus: state ? { state: state.toUpperCase() } : null,
    state: state ? state.toUpperCase() : 'PENDING',
  };
}

/** GitHub's cursor connection over the deployments: newest or oldest first, `first` (at most 100) after a cursor. */
function deploymentsConnection(source: GraphqlSource, args: ConnectionArgs): Record<string, unknown> {
  if (!source.canReadDeployments) throw new TypedError('FORBIDDEN', 'Resource not accessible by integration');
  if ((args.last ?? args.before ?? undefined) !== undefined) throw new TypedError('UNSUPPORTED', 'the fake GitHub supports first/after only');
  if (args.first === undefined || args.first === null) throw new TypedError('MISSING_PAGINATION_BOUNDARIES', 'You must provide a `first` or `last` value to properly paginate the `deployments` connection.');
  if (args.first > 100) throw new TypedError('EXCESSIVE_PAGINATION', `Requesting ${args.first} records on the \`deployments\` connection exceeds the \`first\` limit of 100 records.`);
  const environments = args.environments;
  const newestFirst = source.deployments.filter((deployment) => !environments || environments.includes(deployment.environment));
  const ordered = args.orderBy?.direction === 'DESC' ? newestFirst : [...newestFirst].reverse();
  const start = args.after ? indexOf(args.after) + 1 : 0;
  if (Number.isNaN(start)) throw new TypedError('INVALID_CURSOR_ARGUMENTS', `\`${args.after}\` does not appear to be a valid cursor.`);
  const page = ordered.slice(start, start + args.first);
  const end = start + page.length - 1;
  return {
    totalCount: ordered.length,
    nodes: page.map((deployment) => deploymentNode(deployment, source)),
    edges: page.map((deployment, offset) => ({ cursor: cursorOf(start + offset), node: deploymentNode(deployment, source) })),
    pageInfo: { hasNextPage: end < ordered.length - 1, hasPreviousPage: start > 0, startCursor: page.length ? cursorOf(start) : null, endCursor: page.length ? cursorOf(end) : null },
  };
}

/** The answer to one POST /graphql body, as GitHub gives it (always HTTP 200 once authenticated). */
export function answerGraphql(body: { query?: unknown; variables?: unknown }, source: GraphqlSource): unknown {
  if (typeof body.query !== 'string') return { errors: [{ message: 'A query attribute must be specified and must be a string.' }] };
  const rootValue = {
    repository: ({ owner, name }: { owner: string; name: string }) => {
      if (`${owner}/${name}`.toLowerCase() !== source.repository.toLowerCase()) throw new TypedError('NOT_FOUND', `Could not resolve to a Repository with the name '${owner}/${name}'.`);
      return { nameWithOwner: source.repository, deployments: (args: ConnectionArgs) => deploymentsConnection(source, args) };
    },
  };
  const variableValues = body.variables && typeof body.variables === 'object' ? (body.variables as Record<string, unknown>) : {};
  const result = graphqlSync({ schema: githubSchema(), source: body.query, rootValue, variableValues });
  if (!result.errors) return { data: result.data };
  const errors = result.errors.map((error) => ({ ...(error.originalError instanceof TypedError ? { type: error.originalError.type } : {}), ...error.toJSON() }));
  return { ...(result.data !== undefined ? { data: result.data } : {}), errors };
}
