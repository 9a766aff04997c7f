/**
 * The few calls of the registry HTTP API (distribution spec) the action makes itself:
 * read a manifest, and put the same manifest under another tag. That is a
 * promotion: no pull, no layer upload. Handles Basic auth (ECR, a private
 * registry) and Bearer token challenges (GHCR, Docker Hub), and retries transient
 * failures (5xx, 429, a dropped connection).
 */
import { createHash } from 'node:crypto';
import { basicAuthorization, maskSecret, retry } from '@deploy-suite/kit';
import { DOCKER_MANIFEST_V2, OCI_MANIFEST } from './constants.js';
import type { Registry } from './reference.js';

const ACCEPT = [DOCKER_MANIFEST_V2, OCI_MANIFEST, 'application/vnd.docker.distribution.manifest.list.v2+json', 'application/vnd.oci.image.index.v1+json'].join(', ');

export interface Credentials {
  username: string;
  password: string;
}

export interface Manifest {
  digest: string;
  mediaType: string;
  /** The exact bytes: a digest is of these, so a promotion puts them back unchanged. */
  body: Buffer;
  /** Compressed size of the image: its config and layers as the manifest lists them. */
  size: number;
}

export class RegistryError extends Error {
  override readonly name = 'RegistryError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface RegistryClientOptions {
  registry: Registry;
  credentials?: Credentials | undefined;
  /** Total attempts of one request on a transient failure. */
  attempts: number;
  onRetry?: (message: string) => void;
  /** Milliseconds before a single request is abandoned. */
  requestTimeoutMs?: number;
}

export class RegistryClient {
  private authorization: string | undefined;
  private readonly base: string;

  constructor(private readonly options: RegistryClientOptions) {
    this.base = `${options.registry.plainHttp ? 'http' : 'https'}://${options.registry.host}/v2/`;
  }

  /** The manifest a tag or digest names, or undefined when there is none. */
  async getManifest(repository: string, reference: string): Promise<Manifest | undefined> {
    const response = await this.request('GET', `${repository}/manifests/${reference}`, repository, { accept: ACCEPT });
    if (response.status === 404) return undefined;
    if (response.status !== 200) throw await failure(response, `reading ${repository}:${reference}`);
    const body = Buffer.from(await response.arrayBuffer());
    const mediaType = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() || mediaTypeOf(body);
    const digest = response.headers.get('docker-content-digest') ?? `sha256:${createHash('sha256').update(body).digest('hex')}`;
    return { digest, mediaType, body, size: manifestSize(body) };
  }

  /** Puts a manifest under a tag; returns the digest the registry reports. */
  async putManifest(repository: string, tag: string, manifest: Manifest): Promise<string> {
    const response = await this.request('PUT', `${repository}/manifests/${tag}`, repository, { 'content-type': manifest.mediaType }, manifest.body);
    if (response.status !== 201 && response.status !== 200) throw await failure(response, `tagging ${repository}:${tag}`);
    await response.arrayBuffer();
    return response.headers.get('docker-content-digest') ?? manifest.digest;
  }

  private async request(method: string, path: string, repository: string, headers: Record<string, string>, body?: Buffer): Promise<Response> {
    return retry(
      async () => {
        let response = await this.send(method, path, headers, body);
        if (response.status === 401) {
          const challenge = response.headers.get('www-authenticate') ?? '';
          await response.arrayBuffer();
          this.authorization = await this.authorize(challenge, repository);
          response = await this.send(method, path, headers, body);
        }
        if (response.status >= 500 || response.status === 429) throw await failure(response, `${method} ${path}`);
        return response;
      },
      {
        attempts: this.options.attempts,
        initialDelayMs: 500,
        retryable: (error) => !(error instanceof RegistryError) || (error.status !== undefined && (error.status >= 500 || error.status === 429)),
        onRetry: (error, attempt) => this.options.onRetry?.(`registry request ${method} ${path} failed (${(error as Error).message}); attempt ${attempt + 1} of ${this.options.attempts}`),
      },
    );
  }

  private async send(method: string, path: string, headers: Record<string, string>, body?: Buffer): Promise<Response> {
    try {
      return await fetch(this.base + path, {
        method,
        headers: { ...headers, ...(this.authorization ? { authorization: this.authorization } : {}) },
        ...(body ? { body } : {}),
        signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 60_000),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new Error(`${this.options.registry.host} did not answer ${method} ${path}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
    }
  }

  /** The Authorization header a 401's challenge asks for. */
  private async authorize(challenge: string, repository: string): Promise<string> {
    const credentials = this.options.credentials;
    // Registered as secrets before they are sent: a registry may quote the header back in an error.
    const basic = credentials ? basicAuthorization(credentials.username, credentials.password) : undefined;
    if (/^basic/i.test(challenge)) {
      if (!basic) throw new RegistryError(`${this.options.registry.host} asks for credentials: set "username" and "password"`, 401);
      return basic;
    }
    const bearer = /^bearer\s+(.*)$/i.exec(challenge);
    if (!bearer) throw new RegistryError(`${this.options.registry.host} refused the request (HTTP 401) without a usable challenge`, 401);
    const parameters = Object.fromEntries([...(bearer[1] as string).matchAll(/(\w+)="([^"]*)"/g)].map((match) => [match[1], match[2]]));
    if (!parameters.realm) throw new RegistryError(`${this.options.registry.host} sent a token challenge without a realm`, 401);
    const url = new URL(parameters.realm);
    if (parameters.service) url.searchParams.set('service', parameters.service);
    url.searchParams.set('scope', parameters.scope ?? `repository:${repository}:pull,push`);
    const response = await fetch(url, { headers: basic ? { authorization: basic } : {}, signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 60_000) });
    if (response.status !== 200) throw await failure(response, `getting a token from ${url.origin}`);
    const token = (await response.json()) as { token?: string; access_token?: string };
    const value = token.token ?? token.access_token;
    if (!value) throw new RegistryError(`the token service ${url.origin} answered without a token`);
    maskSecret(value);
    return `Bearer ${value}`;
  }
}

async function failure(response: Response, what: string): Promise<RegistryError> {
  const text = (await response.text().catch(() => '')).trim();
  let detail = text.slice(0, 300);
  try {
    const parsed = JSON.parse(text) as { errors?: { code?: string; message?: string }[] };
    if (parsed.errors?.length) detail = parsed.errors.map((error) => [error.code, error.message].filter(Boolean).join(': ')).join('; ');
  } catch {
    // not JSON: the text as it came
  }
  return new RegistryError(`${what} failed: HTTP ${response.status}${detail ? ` ${detail}` : ''}`, response.status);
}

function mediaTypeOf(body: Buffer): string {
  try {
    return (JSON.parse(body.toString('utf8')) as { mediaType?: string }).mediaType ?? OCI_MANIFEST;
  } catch {
    return OCI_MANIFEST;
  }
}

/** Config plus layers for an image manifest; the sum of the listed manifests for an index. */
export function manifestSize(body: Buffer): number {
  try {
    const manifest = JSON.parse(body.toString('utf8')) as { config?: { size?: number }; layers?: { size?: number }[]; manifests?: { size?: number }[] };
    const parts = [manifest.config, ...(manifest.layers ?? []), ...(manifest.manifests ?? [])];
    return parts.reduce((total, part) => total + (part?.size ?? 0), 0);
  } catch {
    return 0;
  }
}
