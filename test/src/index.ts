import { inject } from 'vitest';
import { postgresClient, type PostgresClient } from './services/postgres.js';

export * from './harness.js';
export * from './services/binaries.js';
export { BUSYBOX_BASE, requireBuildTools, skopeoInspect, staticBusybox, writeBusyboxContext } from './services/buildah.js';
export * from './services/fault-proxy.js';
export * from './services/forward-proxy.js';
export * from './services/http.js';
export * from './services/github.js';
export * from './services/slack.js';
export { awsEnvironment, resetMoto } from './services/moto.js';
export { freePort } from './services/net.js';
export { startRegistry, type LocalRegistry, type RegistryOptions } from './services/registry.js';
export type { PostgresClient, PostgresInfo } from './services/postgres.js';

/** The shared services the integration run started (see global-setup.ts). */
export function services(): { motoUrl: string; postgres: PostgresClient } {
  return { motoUrl: inject('motoUrl'), postgres: postgresClient(inject('postgres')) };
}
