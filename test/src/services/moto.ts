/** moto_server on a free port of 127.0.0.1: AWS for the tests. */
import { requireBinary } from './binaries.js';
import { startServerProcess, stopChild } from './process.js';

export { stopChild } from './process.js';

export interface MotoServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startMoto(env: Record<string, string> = {}): Promise<MotoServer> {
  const binary = requireBinary('moto_server');
  const { port, child } = await startServerProcess('moto_server', binary, (port) => ['-H', '127.0.0.1', '-p', String(port)], {
    env: { ...process.env, ...env },
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stop: () => stopChild(child),
  };
}

/** Clears every moto backend: tests that need a clean account call this first. */
export async function resetMoto(url: string): Promise<void> {
  const response = await fetch(`${url}/moto-api/reset`, { method: 'POST' });
  if (!response.ok) throw new Error(`moto reset failed: HTTP ${response.status}`);
}

/** The environment that points an action's AWS SDK clients at moto. */
export function awsEnvironment(endpoint: string, region = 'us-east-1'): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_SESSION_TOKEN: 'testing',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}
