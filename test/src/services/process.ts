/** A server process on a free port of 127.0.0.1: started, waited for, and stopped the same way for every service. */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { freePort, waitForPort } from './net.js';

export interface ServerProcess {
  port: number;
  child: ChildProcess;
}

/**
 * Spawns `binary` with the arguments built for a free port and resolves once the port accepts
 * connections. If it exits or never listens, it is killed and the error carries its stderr's tail.
 */
export async function startServerProcess(name: string, binary: string, args: (port: number) => string[], options: SpawnOptions = {}): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(binary, args(port), { ...options, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  // A binary that cannot be spawned emits 'error' (and no exit code): report it, do not crash the run.
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });
  const closed = new Promise((resolve) => child.once('close', resolve));
  try {
    await waitForPort(port, 30_000, () => child.exitCode === null && child.signalCode === null && spawnError === undefined);
  } catch (error) {
    child.kill('SIGKILL');
    // Its last stderr lines may still be in the pipe when the exit is seen.
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 2_000))]);
    throw new Error(`${name} did not start: ${(spawnError ?? (error as Error)).message}\n${stderr}`);
  }
  return { port, child };
}

/** Stops a child with `signal`, then SIGKILL after 5 s; resolves once it has exited. */
export function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}
