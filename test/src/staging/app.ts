/**
 * The "staging app": what the smoke tests reach. `/healthz` (the api service)
 * and `/<service>/healthz` answer with the version the ECS service runs
 * according to moto: service -> task definition -> the container's image ->
 * the image's `org.opencontainers.image.revision` label in the local registry
 * (or a revision recorded for an image the registry does not hold). An image
 * nobody pushed answers 503 (no task could start), as does a service scaled to zero. `/` and other paths serve the
 * site from the S3 bucket, as CloudFront would. `breakNext` makes it answer a
 * wrong version or a 500, for the failing smoke-test scenario.
 */
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { startHttpServer, type TestHttpServer } from '../services/http.js';
import type { LocalRegistry } from '../services/registry.js';
import { imageLabels, parseImageReference } from './images.js';

export const REVISION_LABEL = 'org.opencontainers.image.revision';

export interface RunningVersion {
  service: string;
  desiredCount: number;
  taskDefinition: string;
  image: string;
  /** The image's org.opencontainers.image.revision; undefined when the image cannot be pulled (no task runs). */
  version: string | undefined;
}

export type AppFault = { kind: 'status'; status: number } | { kind: 'version'; version: string };

export interface StagingApp {
  url: string;
  /** What a service runs now, read as /healthz reads it. */
  running(service: string): Promise<RunningVersion>;
  /** An image the registry does not hold (e.g. a reference into moto's ECR) runs this revision. */
  recordRevision(image: string, revision: string): void;
  /** Until cleared, every /healthz answers with this fault. */
  setFault(fault: AppFault | undefined): void;
  server: TestHttpServer;
  stop(): Promise<void>;
}

export interface StagingAppOptions {
  ecs: ECSClient;
  s3: S3Client;
  registry: LocalRegistry;
  cluster: string;
  /** Container name per service (default: the service's name). */
  containers?: Record<string, string>;
  bucket: string;
  /** The site's key prefix in the bucket. */
  prefix?: string;
}

const CONTENT_TYPES: Record<string, string> = { html: 'text/html; charset=utf-8', js: 'text/javascript', css: 'text/css', json: 'application/json' };

export async function startStagingApp(options: StagingAppOptions): Promise<StagingApp> {
  const recorded = new Map<string, string>();
  let fault: AppFault | undefined;

  /** The image's revision label; undefined when no task could start because the image cannot be pulled. */
  const versionOf = async (image: string): Promise<string | undefined> => {
    if (recorded.has(image)) return recorded.get(image) as string;
    const parsed = parseImageReference(image);
    if (!parsed) return undefined;
    // Images live in the local registry, whatever host the task definition names (an ECR URI locally maps to it).
    const labels = await imageLabels(options.registry, parsed.name, parsed.reference).catch(() => undefined);
    if (!labels) return undefined;
    return labels[REVISION_LABEL] ?? 'unlabelled';
  };

  const running = async (service: string): Promise<RunningVersion> => {
    const described = await options.ecs.send(new DescribeServicesCommand({ cluster: options.cluster, services: [service] }));
    const found = described.services?.[0];
    if (!found?.taskDefinition) throw new Error(`no service ${service} in cluster ${options.cluster}`);
    const definition = await options.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: found.taskDefinition }));
    const containerName = options.containers?.[service] ?? service;
    const containers = definition.taskDefinition?.containerDefinitions ?? [];
    const container = containers.find((candidate) => candidate.name === containerName) ?? containers[0];
    const image = container?.image ?? '';
    return {
      service,
      desiredCount: found.desiredCount ?? 0,
      taskDefinition: definition.taskDefinition?.taskDefinitionArn ?? found.taskDefinition,
      image,
      version: await versionOf(image),
    };
  };

  const server = await startHttpServer(async (request, response) => {
    const path = new URL(request.url, 'http://app').pathname;
    const health = /^\/(?:([a-z0-9-]+)\/)?healthz$/.exec(path);
    if (health) {
      const service = health[1] ?? 'api';
      let state: RunningVersion;
      try {
        state = await running(service);
      } catch (error) {
        response.writeHead(502, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ status: 'error', error: (error as Error).message }));
        return;
      }
      if (state.version === undefined) {
        // As ECS: CannotPullContainerError, no task starts, the load balancer has no target.
        response.writeHead(503, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ status: 'unavailable', service, error: `CannotPullContainerError: ${state.image} is not in the registry` }));
        return;
      }
      if (state.desiredCount === 0) {
        response.writeHead(503, { 'content-type': 'application/json', 'retry-after': '30' });
        response.end(JSON.stringify({ status: 'scaled-down', service }));
        return;
      }
      if (fault?.kind === 'status') {
        response.writeHead(fault.status, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ status: 'error', service }));
        return;
      }
      const version = fault?.kind === 'version' ? fault.version : state.version;
      response.writeHead(200, { 'content-type': 'application/json', 'x-app-version': version });
      response.end(JSON.stringify({ status: 'ok', service, version, taskDefinition: state.taskDefinition, image: state.image }));
      return;
    }
    const key = `${options.prefix ? `${options.prefix.replace(/\/+$/, '')}/` : ''}${path === '/' ? 'index.html' : path.slice(1)}`;
    try {
      const object = await options.s3.send(new GetObjectCommand({ Bucket: options.bucket, Key: key }));
      const body = Buffer.from(await object.Body!.transformToByteArray());
      const extension = key.split('.').pop() ?? '';
      response.writeHead(200, { 'content-type': object.ContentType ?? CONTENT_TYPES[extension] ?? 'application/octet-stream', ...(object.CacheControl ? { 'cache-control': object.CacheControl } : {}) });
      response.end(body);
    } catch {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('not found\n');
    }
  });

  return {
    url: server.url,
    running,
    recordRevision: (image, revision) => void recorded.set(image, revision),
    setFault: (next) => {
      fault = next;
    },
    server,
    stop: () => server.close(),
  };
}
