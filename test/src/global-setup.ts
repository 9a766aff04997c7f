/**
 * Starts the shared services once per integration test run, on free ports of
 * 127.0.0.1, and stops them at the end. Tests reach them with `services()`.
 */
import type { TestProject } from 'vitest/node';
import { startMoto, type MotoServer } from './services/moto.js';
import { startPostgres, type PostgresInfo, type PostgresServer } from './services/postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    motoUrl: string;
    postgres: PostgresInfo;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // allSettled, not all: when one service fails to start, the one that did start is stopped too.
  const results = await Promise.allSettled([startMoto(), startPostgres()]);
  const started = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const stopAll = async (): Promise<void> => {
    await Promise.all(started.map((service: MotoServer | PostgresServer) => service.stop()));
  };
  const [moto, postgres] = results;
  if (moto.status === 'rejected' || postgres.status === 'rejected') {
    await stopAll();
    throw results.find((result) => result.status === 'rejected')?.reason;
  }
  project.provide('motoUrl', moto.value.url);
  const { stop: _stop, ...info } = postgres.value;
  project.provide('postgres', info);
  return stopAll;
}
