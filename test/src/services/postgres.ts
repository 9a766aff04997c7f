/**
 * A PostgreSQL cluster made fresh with initdb for one test run. PostgreSQL
 * refuses to run as root, so as root the server runs as the `postgres` user.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { requireBinary, unprivilegedUser } from './binaries.js';
import { startServerProcess, stopChild } from './process.js';

/** What the test workers are given (serializable): where the server is. */
export interface PostgresInfo {
  host: string;
  port: number;
  user: string;
  password: string;
  /** Where initdb, pg_ctl and postgres live. */
  binDirectory: string;
  /** The psql client (it may live elsewhere than the server binaries). */
  psqlPath: string;
}

export interface PostgresServer extends PostgresInfo {
  stop(): Promise<void>;
}

export interface PostgresClient extends PostgresInfo {
  /** postgres://user:password@127.0.0.1:port/postgres */
  url: string;
  /** A URL for another database on this server. */
  urlFor(database: string): string;
  /** Creates a fresh empty database and returns its URL. */
  createDatabase(name: string): string;
  /** Runs SQL through psql and returns its unaligned output. */
  psql(database: string, sql: string): string;
}

export function postgresClient(info: PostgresInfo): PostgresClient {
  const psqlBinary = info.psqlPath;
  const urlFor = (database: string): string => `postgres://${info.user}:${encodeURIComponent(info.password)}@${info.host}:${info.port}/${database}`;
  const psql = (database: string, sql: string): string => {
    const result = spawnSync(psqlBinary, [urlFor(database), '-v', 'ON_ERROR_STOP=1', '-Atq', '-c', sql], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`psql failed: ${result.stderr}`);
    return result.stdout.trim();
  };
  return {
    ...info,
    url: urlFor('postgres'),
    urlFor,
    psql,
    createDatabase(name: string): string {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
      psql('postgres', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      psql('postgres', `CREATE DATABASE ${name}`);
      return urlFor(name);
    },
  };
}

export const POSTGRES_SUPERUSER = 'suite';
export const POSTGRES_PASSWORD = 'suite-Pa55:word@x';

export async function startPostgres(): Promise<PostgresServer> {
  const initdb = requireBinary('initdb');
  const postgres = requireBinary('postgres');
  const psql = requireBinary('psql');
  requireBinary('pg_dump');
  const binDirectory = path.dirname(initdb);
  const account = unprivilegedUser();
  const root = mkdtempSync(path.join(tmpdir(), 'suite-pg-'));
  const dataDirectory = path.join(root, 'data');
  const passwordFile = path.join(root, 'password');
  const asUser = account ? { uid: account.uid, gid: account.gid } : {};
  if (account) {
    chownSync(root, account.uid, account.gid);
    chmodSync(root, 0o700);
  }
  writeFileSync(passwordFile, POSTGRES_PASSWORD);
  if (account) chownSync(passwordFile, account.uid, account.gid);
  // A failed start leaves neither a server nor its data directory behind.
  let stopServer = async (): Promise<void> => {};
  const stop = async (): Promise<void> => {
    await stopServer();
    rmSync(root, { recursive: true, force: true });
  };
  try {
    const init = spawnSync(initdb, ['-D', dataDirectory, '-U', POSTGRES_SUPERUSER, '--pwfile', passwordFile, '-A', 'scram-sha-256', '--no-sync', '-E', 'UTF8', '--locale', 'C'], {
      ...asUser,
      encoding: 'utf8',
    });
    if (init.status !== 0) throw new Error(`initdb failed (${init.status}): ${init.stderr || init.error?.message}`);
    const server = await startServerProcess(
      'postgres',
      postgres,
      (port) => ['-D', dataDirectory, '-p', String(port), '-h', '127.0.0.1', '-k', root, '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200'],
      asUser,
    );
    stopServer = () => stopChild(server.child, 'SIGINT');
    const info: PostgresInfo = { host: '127.0.0.1', port: server.port, user: POSTGRES_SUPERUSER, password: POSTGRES_PASSWORD, binDirectory, psqlPath: psql };
    // The port opens a moment before the server accepts logins: wait for a real query.
    const { url } = postgresClient(info);
    const deadline = Date.now() + 15_000;
    for (;;) {
      const probe = spawnSync(psql, [url, '-Atc', 'select 1'], { encoding: 'utf8' });
      if (probe.status === 0) break;
      if (Date.now() > deadline) throw new Error(`postgres never accepted a login: ${probe.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return { ...info, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
