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
  const started: (MotoServer | PostgresServer)[] = [];
  try {
    const [moto, postgres] = await Promise.all([startMoto(), startPostgres()]);
    started.push(moto, postgres);
    project.provide('motoUrl', moto.url);
    const { stop: _stop, ...info } = postgres;
    project.provide('postgres', info);
  } catch (error) {
    await Promise.all(started.map((service) => service.stop()));
    throw error;
  }
  return async () => {
    await Promise.all(started.map((service) => service.stop()));
  };
}
