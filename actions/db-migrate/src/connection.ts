/**
 * One PostgreSQL session for the whole run. Connecting retries what is
 * transient (a server starting, a port not yet open) until connect-timeout,
 * and every failure names host, port and database, never the password, and
 * says what to check.
 */
import { ActionFailure, describeError, formatDuration, waitUntil, WaitTimeoutError, type Logger } from '@deploy-suite/kit';
import pg from 'pg';
import { describeTarget, type ConnectionTarget } from './parse.js';

export interface SessionOptions {
  connectTimeoutMs: number;
  /** Shown in pg_stat_activity, so a run waiting for the lock can say who holds it. */
  applicationName: string;
  /** 0 for none. */
  statementTimeoutMs: number;
  log: Logger;
}

export interface Session {
  client: pg.Client;
  serverVersion: string;
  close(): Promise<void>;
}

interface ConnectFailure {
  transient: boolean;
  reason: string;
  hint: string;
}

const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', '57P03', '53300']);

/** Sorts a connection error into retry-or-not, with what the user should check. */
export function classifyConnectError(error: unknown, target: ConnectionTarget): ConnectFailure {
  const code = (error as { code?: string }).code ?? '';
  const message = describeError(error);
  const transient = TRANSIENT_CODES.has(code) || /timeout expired|Connection terminated (?:unexpectedly|due to connection timeout)/i.test(message);
  switch (code) {
    case 'ECONNREFUSED':
      return { transient, reason: 'connection refused', hint: 'check the host and port, and that the server is running and listening there' };
    case 'ENOTFOUND':
      return { transient: false, reason: `the host name "${target.host}" does not resolve`, hint: 'check the host in database-url (and, for a private host, that the runner is inside its network)' };
    case 'EAI_AGAIN':
      return { transient, reason: `the host name "${target.host}" could not be resolved (DNS did not answer)`, hint: "check the runner's DNS and network" };
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { transient, reason: `no route or no answer (${code})`, hint: 'check that the runner can reach the host: security group, firewall, VPC (a GitHub-hosted runner needs a public endpoint)' };
    case '28P01':
      return { transient: false, reason: `password authentication failed for user "${target.user}"`, hint: 'check the user and password in database-url' };
    case '28000':
      return { transient: false, reason: `the server rejected the login: ${message}`, hint: "check pg_hba.conf allows this client, and whether the server requires SSL (add ?sslmode=require to database-url)" };
    case '3D000':
      return { transient: false, reason: `database "${target.database}" does not exist`, hint: 'check the database name in database-url, or create the database first' };
    case '57P03':
      return { transient, reason: 'the server is starting up or shutting down', hint: 'wait for the server to finish starting' };
    case '53300':
      return { transient, reason: 'the server has no free connection slots', hint: 'check max_connections and connection poolers' };
    default:
      if (/ssl|tls|certificate/i.test(message)) {
        return { transient: false, reason: `SSL negotiation failed: ${message}`, hint: 'check sslmode in database-url and the server certificate' };
      }
      return { transient, reason: message, hint: 'check database-url and that the server is reachable from the runner' };
  }
}

export async function openSession(target: ConnectionTarget, options: SessionOptions): Promise<Session> {
  const where = `PostgreSQL at ${describeTarget(target)} (user "${target.user}")`;
  const started = Date.now();
  let lastFailure: ConnectFailure | undefined;
  let retrying = false;
  let client: pg.Client;
  try {
    client = await waitUntil<pg.Client>(
      async () => {
        const remaining = Math.max(1_000, options.connectTimeoutMs - (Date.now() - started));
        const candidate = new pg.Client({
          connectionString: target.url,
          application_name: options.applicationName,
          connectionTimeoutMillis: Math.min(remaining, 15_000),
        });
        // An error event with no listener would crash the process (e.g. the server going away while idle).
        candidate.on('error', () => {});
        try {
          await candidate.connect();
          return { done: true, value: candidate };
        } catch (error) {
          await candidate.end().catch(() => {});
          lastFailure = classifyConnectError(error, target);
          if (!lastFailure.transient) throw new ActionFailure(`could not connect to ${where}: ${lastFailure.reason}; ${lastFailure.hint}`);
          if (!retrying) options.log.info(`Could not connect yet (${lastFailure.reason}); retrying for up to ${formatDuration(options.connectTimeoutMs)} (connect-timeout)`);
          retrying = true;
          return { done: false, status: lastFailure.reason };
        }
      },
      {
        description: `a connection to ${where}`,
        timeoutMs: options.connectTimeoutMs,
        initialDelayMs: 250,
        maxDelayMs: 2_000,
        progressIntervalMs: 5_000,
        progress: (line) => options.log.info(line),
      },
    );
  } catch (error) {
    if (error instanceof WaitTimeoutError && lastFailure) {
      throw new ActionFailure(`could not connect to ${where} within ${formatDuration(error.elapsedMs)} (connect-timeout): ${lastFailure.reason}; ${lastFailure.hint}`);
    }
    throw error;
  }
  return prepareSession(client, where, options.statementTimeoutMs);
}

/** Sets the session's statement timeout and (PostgreSQL 14+) its check for a vanished client; reads the server version. */
async function prepareSession(client: pg.Client, where: string, statementTimeoutMs: number): Promise<Session> {
  try {
    const settings = await client.query<{ server_version: string; version_num: number }>(
      `SELECT current_setting('server_version') AS server_version, current_setting('server_version_num')::int AS version_num,
              set_config('statement_timeout', $1, false)`,
      [`${statementTimeoutMs}ms`],
    );
    const row = settings.rows[0] as { server_version: string; version_num: number };
    // Without this a backend only notices a vanished client (a killed runner) when its statement ends,
    // and keeps the migration lock and its transaction until then.
    if (row.version_num >= 140_000) await client.query(`SET client_connection_check_interval = '1s'`);
    return {
      client,
      serverVersion: row.server_version,
      close: () => client.end().catch(() => {}),
    };
  } catch (error) {
    await client.end().catch(() => {});
    throw new ActionFailure(`connected to ${where} but could not prepare the session: ${describeError(error)}`);
  }
}
