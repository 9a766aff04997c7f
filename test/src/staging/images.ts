/**
 * Images in the staging environment's registry (test/src/services/registry.ts):
 * pushed through the Registry HTTP API (the versions staging runs before the
 * first deploy), and their labels read back the way a runtime would
 * (manifest -> config).
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { LocalRegistry } from '../services/registry.js';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const ACCEPT = [OCI_MANIFEST, DOCKER_MANIFEST, 'application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json'].join(', ');

const sha256 = (data: Buffer | string): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;

async function check(response: Response, what: string): Promise<Response> {
  if (!response.ok) throw new Error(`registry: ${what} answered HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`);
  return response;
}

async function pushBlob(registry: LocalRegistry, name: string, data: Buffer): Promise<string> {
  const digest = sha256(data);
  const head = await fetch(`${registry.url}/v2/${name}/blobs/${digest}`, { method: 'HEAD' });
  if (head.ok) return digest;
  const started = await check(await fetch(`${registry.url}/v2/${name}/blobs/uploads/`, { method: 'POST' }), `starting a blob upload to ${name}`);
  const location = new URL(started.headers.get('location') ?? '', registry.url);
  location.searchParams.set('digest', digest);
  await check(await fetch(location, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: data }), `uploading a blob to ${name}`);
  return digest;
}

/** A gzipped tar of files (path -> content, mode), made with tar(1) so it is a real layer. */
export function layerOf(files: Record<string, { content: Buffer | string; mode?: number } | { symlink: string }>): Buffer {
  const directory = mkdtempSync(path.join(tmpdir(), 'suite-layer-'));
  try {
    for (const [file, entry] of Object.entries(files)) {
      const target = path.join(directory, file);
      execFileSync('mkdir', ['-p', path.dirname(target)]);
      if ('symlink' in entry) execFileSync('ln', ['-s', entry.symlink, target]);
      else writeFileSync(target, entry.content, { mode: entry.mode ?? 0o644 });
    }
    return gzipSync(execFileSync('tar', ['-C', directory, '--owner=0', '--group=0', '--numeric-owner', '--mtime=@0', '-cf', '-', '.'], { maxBuffer: 64 << 20 }));
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

export interface PushedImage {
  reference: string;
  digest: string;
}

/** Pushes a one-layer linux/amd64 image with these labels; returns `host/name@digest`. */
export async function pushImage(registry: LocalRegistry, name: string, tag: string, options: { labels?: Record<string, string>; layer?: Buffer; cmd?: string[] } = {}): Promise<PushedImage> {
  const layer = options.layer ?? layerOf({ 'etc/image-name': { content: `${name}:${tag}\n` } });
  const diffId = sha256(execFileSync('gzip', ['-dc'], { input: layer, maxBuffer: 64 << 20 }));
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Labels: options.labels ?? {}, Cmd: options.cmd ?? ['/bin/sh'] },
      rootfs: { type: 'layers', diff_ids: [diffId] },
      history: [{ created_by: 'deploy-suite staging environment' }],
    }),
  );
  const configDigest = await pushBlob(registry, name, config);
  const layerDigest = await pushBlob(registry, name, layer);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: layerDigest, size: layer.length }],
    }),
  );
  await check(await fetch(`${registry.url}/v2/${name}/manifests/${tag}`, { method: 'PUT', headers: { 'content-type': OCI_MANIFEST }, body: manifest }), `pushing ${name}:${tag}`);
  const digest = sha256(manifest);
  return { reference: `${registry.host}/${name}@${digest}`, digest };
}

/** The parts of an image reference: `host/name:tag` or `host/name@sha256:...`. */
export function parseImageReference(image: string): { host: string; name: string; reference: string } | undefined {
  const match = /^([^/]+)\/(.+?)(?:@(sha256:[0-9a-f]{64})|:([^:/@]+))?$/.exec(image);
  if (!match) return undefined;
  return { host: match[1]!, name: match[2]!, reference: match[3] ?? match[4] ?? 'latest' };
}

/** An image's config labels, read from the registry (a multi-platform index: its first manifest). */
export async function imageLabels(registry: LocalRegistry, name: string, reference: string): Promise<Record<string, string> | undefined> {
  const manifestOf = async (ref: string): Promise<{ config?: { digest: string }; manifests?: { digest: string }[] } | undefined> => {
    const response = await fetch(`${registry.url}/v2/${name}/manifests/${ref}`, { headers: { accept: ACCEPT } });
    return response.ok ? ((await response.json()) as { config?: { digest: string }; manifests?: { digest: string }[] }) : undefined;
  };
  let manifest = await manifestOf(reference);
  if (manifest?.manifests?.[0]) manifest = await manifestOf(manifest.manifests[0].digest);
  if (!manifest?.config) return undefined;
  const config = await fetch(`${registry.url}/v2/${name}/blobs/${manifest.config.digest}`);
  if (!config.ok) return undefined;
  const body = (await config.json()) as { config?: { Labels?: Record<string, string> | null } };
  return body.config?.Labels ?? {};
}

/** Tags of a repository in the registry (empty when it has none). */
export async function listTags(registry: LocalRegistry, name: string): Promise<string[]> {
  const response = await fetch(`${registry.url}/v2/${name}/tags/list`);
  if (!response.ok) return [];
  return ((await response.json()) as { tags?: string[] | null }).tags ?? [];
}
