/** Starting a step's process (a bundle under the action Node, a shell script) and collecting what it prints. */
import { spawn } from 'node:child_process';

/** The Node binary that runs bundles: ACTION_NODE (CI points it at Node 24), else this process's. */
export function actionNode(): string {
  return process.env.ACTION_NODE || process.execPath;
}

export interface SpawnedStep {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Raw stdout and stderr, interleaved as received. */
  log: string;
  durationMs: number;
  /** Killed because it ran longer than its timeout. */
  timedOut: boolean;
  /** Killed because the run or job was cancelled. */
  cancelled: boolean;
}

export interface SpawnOptions {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Each complete line as printed (stdout and stderr). */
  onLine?: (line: string) => void;
  /** Names the program in the error when it cannot start. */
  describeStartFailure?: (error: Error) => string;
}

export function spawnStep(options: SpawnOptions): Promise<SpawnedStep> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    if (options.signal?.aborted) {
      resolve({ exitCode: null, signal: null, log: '', durationMs: 0, timedOut: false, cancelled: true });
      return;
    }
    const child = spawn(options.command, options.args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const chunks: Buffer[] = [];
    const pending = { stdout: '', stderr: '' };
    let timedOut = false;
    let cancelled = false;
    const onData = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
      chunks.push(chunk);
      if (!options.onLine) return;
      const text = pending[stream] + chunk.toString('utf8');
      const lines = text.split('\n');
      pending[stream] = lines.pop() ?? '';
      for (const line of lines) options.onLine(line.replace(/\r$/, ''));
    };
    child.stdout.on('data', onData('stdout'));
    child.stderr.on('data', onData('stderr'));
    // The whole process group: a shell step's children die with it, as on a runner.
    const kill = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, options.timeoutMs ?? 6 * 60 * 60_000);
    const onAbort = () => {
      cancelled = true;
      kill();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (error) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      reject(new Error(options.describeStartFailure ? options.describeStartFailure(error) : `cannot start ${options.command}: ${error.message}`));
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (options.onLine) for (const rest of [pending.stdout, pending.stderr]) if (rest !== '') options.onLine(rest);
      resolve({ exitCode, signal, log: Buffer.concat(chunks).toString('utf8'), durationMs: Date.now() - started, timedOut, cancelled });
    });
  });
}

/** The error when the action Node cannot start, with how to get one. */
export function describeActionNodeFailure(error: Error, who = 'the local runner'): string {
  const node = process.env.ACTION_NODE ? `ACTION_NODE=${process.env.ACTION_NODE}` : process.execPath;
  return `${who} cannot start the action's Node (${node}): ${error.message}. Point ACTION_NODE at a Node 24 binary (.ci/run installs one: npm install --prefix .cache/node24 node@24)`;
}
