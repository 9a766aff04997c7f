/**
 * Helpers shared by the db-migrate integration tests: a workspace holding a
 * migrations directory, a fresh database per test, and a way to start the
 * bundle as a child the test controls (for SIGKILL and true concurrency).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { actionDirectory, actionNode, findMaskLeaks, freePort, readActionMetadata, services } from '../../src/index.js';

export const ACTION = 'db-migrate';
export const MIGRATIONS = 'db/migrations';

/** A workspace with `db/migrations/<file>` for each entry. */
export function workspaceWith(files: Record<string, string>): string {
  const workspace = mkdtempSync(path.join(tmpdir(), 'dbm-ws-'));
  writeMigrations(workspace, files);
  return workspace;
}

export function writeMigrations(workspace: string, files: Record<string, string>): void {
  const directory = path.join(workspace, MIGRATIONS);
  mkdirSync(directory, { recursive: true });
  for (const [file, sql] of Object.entries(files)) writeFileSync(path.join(directory, file), sql);
}

export function removeMigration(workspace: string, file: string): void {
  rmSync(path.join(workspace, MIGRATIONS, file));
}

export function database(name: string): { url: string; sql: (text: string) => string } {
  const { postgres } = services();
  const url = postgres.createDatabase(name);
  return { url, sql: (text: string) => postgres.psql(name, text) };
}

/** The history rows as `version:name` lines. */
export function historyOf(sql: (text: string) => string, table = 'migration_history'): string[] {
  const text = sql(`SELECT version || ':' || name FROM ${table} ORDER BY version`);
  return text === '' ? [] : text.split('\n');
}

export function tableExists(sql: (text: string) => string, table: string): boolean {
  return sql(`SELECT to_regclass('${table}') IS NOT NULL`) === 't';
}

export interface SpawnedRun {
  child: ChildProcess;
  /** Resolves with the exit code (null when killed) and everything printed. */
  finished: Promise<{ exitCode: number | null; signal: NodeJS.Signals | null; log: string }>;
  log(): string;
}

/**
 * Starts the committed bundle with the runner's INPUT_* variables and the
 * action.yml defaults, as the harness does, but hands back the child process.
 * Like the harness, `finished` rejects when a masked value leaks into the log.
 */
export function startRun(inputs: Record<string, string>, workspace: string): SpawnedRun {
  const metadata = readActionMetadata(ACTION);
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !/^(?:GITHUB_|RUNNER_|INPUT_)/.test(key)) env[key] = value;
  for (const [name, spec] of Object.entries(metadata.inputs ?? {})) env[`INPUT_${name.toUpperCase()}`] = inputs[name] ?? String(spec.default ?? '');
  const temp = mkdtempSync(path.join(tmpdir(), 'dbm-step-'));
  for (const file of ['GITHUB_OUTPUT', 'GITHUB_STEP_SUMMARY', 'GITHUB_STATE', 'GITHUB_ENV']) {
    env[file] = path.join(temp, file);
    writeFileSync(env[file] as string, '');
  }
  Object.assign(env, { GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: workspace, GITHUB_SHA: 'feedface'.repeat(5), GITHUB_REPOSITORY: 'acme/monorepo', GITHUB_RUN_ID: '99' });
  const child = spawn(actionNode(), [path.join(actionDirectory(ACTION), metadata.runs.main as string)], { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const finished = new Promise<{ exitCode: number | null; signal: NodeJS.Signals | null; log: string }>((resolve, reject) => {
    child.on('close', (exitCode, signal) => {
      const masks = [...log.matchAll(/^::add-mask::(.*)$/gm)].map((match) => (match[1] as string).replace(/%25|%0D|%0A/g, (escape) => ({ '%25': '%', '%0D': '\r', '%0A': '\n' })[escape] as string));
      const leaks = findMaskLeaks(log, masks);
      if (leaks.length > 0) reject(new Error(`a masked value leaked into the log of ${ACTION}:\n${leaks.join('\n')}`));
      else resolve({ exitCode, signal, log });
    });
  });
  return { child, finished, log: () => log };
}

/** Polls until `check` is true or the time is up. */
export async function eventually(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface TcpForwarder {
  port: number;
  /** Starts accepting (a forwarder made with `listening: false` refuses connections until then). */
  listen(): Promise<void>;
  /** Drops every open connection, as a network failure would. */
  cutAll(): void;
  close(): Promise<void>;
}

/** A TCP forwarder to 127.0.0.1:targetPort: a network path the test can open late or cut. */
export async function startTcpForwarder(targetPort: number, options: { listening?: boolean } = {}): Promise<TcpForwarder> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    const upstream = createConnection(targetPort, '127.0.0.1');
    for (const end of [socket, upstream]) {
      sockets.add(end);
      end.on('close', () => sockets.delete(end));
      end.on('error', () => {
        socket.destroy();
        upstream.destroy();
      });
    }
    socket.pipe(upstream).pipe(socket);
  });
  const listen = (): Promise<void> => new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  if (options.listening !== false) await listen();
  return {
    port,
    listen,
    cutAll: () => {
      for (const socket of sockets) socket.resetAndDestroy();
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        if (server.listening) server.close(() => resolve());
        else resolve();
      }),
  };
}
