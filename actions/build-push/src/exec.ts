/** Runs a builder command, streaming its output to the log and keeping its tail for errors. */
import { spawn } from 'node:child_process';

export interface CommandResult {
  exitCode: number;
  /** The last lines of stdout and stderr, interleaved as received. */
  lines: string[];
  /** The whole output, when `keepAll` was asked for. */
  output: string;
  timedOut: boolean;
}

export interface CommandOptions {
  env?: NodeJS.ProcessEnv;
  /** Written to stdin, then closed (a password for `login --password-stdin`). */
  input?: string;
  /** Each output line, as it arrives; nothing is logged when absent. */
  onLine?: (line: string) => void;
  /** Kills the command when aborted. */
  signal?: AbortSignal;
  /** Lines kept for the result. */
  tail?: number;
}

export function runCommand(binary: string, args: readonly string[], options: CommandOptions = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const keep = options.tail ?? 200;
    const lines: string[] = [];
    let output = '';
    const partial = { stdout: '', stderr: '' };
    const take = (stream: 'stdout' | 'stderr', chunk: Buffer | undefined): void => {
      const text = partial[stream] + (chunk ? chunk.toString('utf8') : '');
      const parts = text.split(/\r?\n/);
      partial[stream] = chunk ? (parts.pop() ?? '') : '';
      for (const line of parts) {
        if (!chunk && line === '') continue;
        output += `${line}\n`;
        lines.push(line);
        if (lines.length > keep) lines.shift();
        options.onLine?.(line);
      }
    };
    child.stdout.on('data', (chunk: Buffer) => take('stdout', chunk));
    child.stderr.on('data', (chunk: Buffer) => take('stderr', chunk));
    let timedOut = false;
    const abort = (): void => {
      timedOut = true;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
    };
    if (options.signal?.aborted) abort();
    else options.signal?.addEventListener('abort', abort, { once: true });
    child.on('error', (error) => {
      options.signal?.removeEventListener('abort', abort);
      reject(new Error(`could not run ${binary}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      options.signal?.removeEventListener('abort', abort);
      take('stdout', undefined);
      take('stderr', undefined);
      resolve({ exitCode: code ?? (signal ? 128 : 1), lines, output, timedOut });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}
