/**
 * The project's own migration command (`pnpm db:migrate`, `prisma migrate
 * deploy`, ...), run the way a workflow `run:` step runs it (bash -eo
 * pipefail), with DATABASE_URL in its environment, its output streamed, and a
 * timeout. @actions/exec has no timeout or process-group kill, hence spawn.
 */
import { spawn } from 'node:child_process';
import { ActionFailure, formatDuration, type Logger } from '@deploy-suite/kit';

export interface CommandOptions {
  workingDirectory: string;
  databaseUrl: string;
  timeoutMs: number;
  log: Logger;
  /** Between SIGTERM and SIGKILL when the timeout hits. */
  killGraceMs?: number;
}

export interface CommandResult {
  exitCode: number;
  durationMs: number;
}

export async function runMigrationCommand(command: string, options: CommandOptions): Promise<CommandResult> {
  const started = performance.now();
  // Its own process group, so a timeout stops the whole tree (pnpm → node → ...), not just bash.
  const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', command], {
    cwd: options.workingDirectory,
    env: { ...process.env, DATABASE_URL: options.databaseUrl },
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  });
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  let timedOut = false;
  let killTimer: NodeJS.Timeout | undefined;
  const timer = setTimeout(() => {
    timedOut = true;
    options.log.info(`The command ran longer than command-timeout (${formatDuration(options.timeoutMs)}): stopping it`);
    signalGroup('SIGTERM');
    killTimer = setTimeout(() => signalGroup('SIGKILL'), options.killGraceMs ?? 10_000);
  }, options.timeoutMs);
  // A cancelled job stops this step with SIGTERM/SIGINT: pass it on rather than orphan the command.
  const forward = (signal: NodeJS.Signals): void => signalGroup(signal);
  process.on('SIGTERM', forward);
  process.on('SIGINT', forward);
  const { code, signal, error } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
    child.on('error', (spawnError) => resolve({ code: null, signal: null, error: spawnError }));
    child.on('close', (exitCode, exitSignal) => resolve({ code: exitCode, signal: exitSignal }));
  });
  clearTimeout(timer);
  clearTimeout(killTimer);
  process.off('SIGTERM', forward);
  process.off('SIGINT', forward);
  const durationMs = performance.now() - started;
  if (error) throw new ActionFailure(`could not start the command with bash: ${error.message}`);
  if (timedOut) {
    throw new ActionFailure(`the command did not finish within command-timeout (${formatDuration(options.timeoutMs)}) and was stopped; the database may be part-way through its migrations`);
  }
  if (signal) throw new ActionFailure(`the command was killed by ${signal} after ${formatDuration(durationMs)}`);
  return { exitCode: code ?? 1, durationMs };
}
