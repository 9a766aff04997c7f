/**
 * A real container registry (`docker-registry serve`, distribution 2.8) on a free
 * port of 127.0.0.1, with its storage in a temp directory, optionally behind
 * htpasswd Basic auth. Its log lets a test count blob uploads: a promotion must
 * upload none.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { requireBinary } from './binaries.js';
import { startServerProcess, stopChild } from './process.js';

export interface RegistryOptions {
  /** Require one of these users (htpasswd, Basic auth). */
  users?: { username: string; password: string }[];
}

export interface LocalRegistry {
  /** `127.0.0.1:PORT`, as image references name it. */
  host: string;
  /** `http://127.0.0.1:PORT`. */
  url: string;
  port: number;
  /** Blob upload requests (`POST /v2/<name>/blobs/uploads/`, cross-repository mounts included) so far, for one repository or all. */
  blobUploads(repository?: string): number;
  /** Resolves once the registry's log has been quiet for a moment (call before counting). */
  settled(): Promise<void>;
  /** Requests so far whose method and path match. */
  requests(method: string, pathPattern: RegExp): number;
  stop(): Promise<void>;
}

const RESPONSE_LINE = /msg="response completed".*http\.request\.method=(\S+).*http\.request\.uri="?([^"\s]+)"?/;

export async function startRegistry(options: RegistryOptions = {}): Promise<LocalRegistry> {
  const binary = requireBinary('docker-registry');
  const directory = mkdtempSync(path.join(tmpdir(), 'registry-'));
  const users = options.users ?? [];
  const auth = users.length > 0
    ? (() => {
        const file = path.join(directory, 'htpasswd');
        writeFileSync(file, users.map((user) => `${user.username}:${bcrypt.hashSync(user.password, 4)}\n`).join(''));
        return `auth:\n  htpasswd:\n    realm: test-registry\n    path: ${file}\n`;
      })()
    : '';
  const requestLog: { method: string; uri: string }[] = [];
  const { port, child } = await startServerProcess('docker-registry', binary, (port) => {
    const config = path.join(directory, 'config.yml');
    // relativeurls: upload locations stay relative, so a fault proxy in front sees every request.
    writeFileSync(
      config,
      `version: 0.1\nlog:\n  level: info\n  formatter: text\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: ${path.join(directory, 'data')}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:${port}\n  relativeurls: true\n${auth}`,
    );
    return ['serve', config];
  });
  let pending = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString('utf8')).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const match = RESPONSE_LINE.exec(line);
      if (match) requestLog.push({ method: match[1] as string, uri: match[2] as string });
    }
  });
  return {
    host: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    port,
    blobUploads: (repository) =>
      requestLog.filter((entry) => {
        const upload = /^\/v2\/(.+)\/blobs\/uploads\//.exec(entry.uri);
        return entry.method === 'POST' && upload !== null && (repository === undefined || upload[1] === repository);
      }).length,
    settled: async () => {
      // The registry logs a request once it has answered; give the last lines time to arrive.
      let seen = -1;
      while (seen !== requestLog.length) {
        seen = requestLog.length;
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    },
    requests: (method, pathPattern) => requestLog.filter((entry) => entry.method === method && pathPattern.test(entry.uri)).length,
    stop: async () => {
      await stopChild(child);
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
