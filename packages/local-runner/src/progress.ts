/** The live progress output of `pnpm local-run` (and `pnpm demo`): a line per job and step, with durations. */
import type { ProgressEvent, RunResult } from './types.js';

const SYMBOLS: Record<string, string> = { success: '✓', failure: '✗', cancelled: '⊘', skipped: '–' };

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export interface ProgressPrinter {
  onProgress(event: ProgressEvent): void;
}

/**
 * Prints each job and step as it starts and ends, and the log of a failing step. `verbose` also
 * prints every log line as it arrives.
 */
export function progressPrinter(write: (line: string) => void, options: { verbose?: boolean } = {}): ProgressPrinter {
  return {
    onProgress(event) {
      switch (event.type) {
        case 'run-started':
          write(`▶ run ${event.runId}: ${event.workflow}`);
          break;
        case 'run-waiting':
          write(`… run ${event.runId} waits for concurrency group ${event.group}`);
          break;
        case 'job-waiting':
          write(`  … ${event.job} waits for concurrency group ${event.group}`);
          break;
        case 'job-started':
          write(`  ▶ ${event.job}${event.name !== event.job && !event.job.endsWith(`(${event.name})`) ? ` (${event.name})` : ''}`);
          break;
        case 'job-finished':
          write(`  ${SYMBOLS[event.result] ?? '?'} ${event.job} ${event.result}${event.result === 'skipped' ? '' : ` in ${formatDuration(event.durationMs)}`}`);
          break;
        case 'step-started':
          if (options.verbose) write(`    ▸ ${event.job} › ${event.step}`);
          break;
        case 'step-finished': {
          const status = event.outcome === event.conclusion ? event.outcome : `${event.outcome}, continue-on-error`;
          write(`    ${SYMBOLS[event.conclusion] ?? '?'} ${event.job} › ${event.step}${event.outcome === 'skipped' ? ' (skipped)' : ` (${status}, ${formatDuration(event.durationMs)})`}`);
          if (event.log !== undefined && event.outcome === 'failure' && !options.verbose) {
            for (const line of event.log.split('\n').slice(-60)) write(`      │ ${line}`);
          }
          break;
        }
        case 'log':
          if (options.verbose) write(`      │ ${event.line}`);
          break;
        case 'run-finished':
          write(`${SYMBOLS[event.conclusion] ?? '?'} run ${event.runId} ${event.conclusion} in ${formatDuration(event.durationMs)}`);
          break;
      }
    },
  };
}

/** What a run left: job results, outputs, step summaries, artifacts. */
export function formatResult(result: RunResult): string[] {
  const lines: string[] = ['', 'Jobs:'];
  for (const [job, outcome] of Object.entries(result.jobs)) {
    const extra = [outcome.environment ? `environment ${outcome.environment}${outcome.deployment ? ` (deployment ${outcome.deployment.state})` : ''}` : '', outcome.concurrencyGroup ? `group ${outcome.concurrencyGroup}` : '']
      .filter(Boolean)
      .join(', ');
    lines.push(`  ${SYMBOLS[outcome.result] ?? '?'} ${job}: ${outcome.result}${extra ? ` — ${extra}` : ''}`);
    for (const [name, value] of Object.entries(outcome.outputs)) lines.push(`      ${name} = ${value}`);
  }
  if (Object.keys(result.outputs).length > 0) {
    lines.push('', 'Workflow outputs:');
    for (const [name, value] of Object.entries(result.outputs)) lines.push(`  ${name} = ${value}`);
  }
  for (const summary of result.summaries) {
    lines.push('', `Summary of ${summary.job} › ${summary.step}:`, ...summary.markdown.trimEnd().split('\n').map((line) => `  ${line}`));
  }
  lines.push('', `Artifacts: ${result.artifacts}`);
  return lines;
}

/**
 * On a terminal: a live status line under the output ("running: deploy/verify › Smoke test 12 s"),
 * redrawn every second and cleared before each printed line. Returns the printer's onProgress and a
 * stop function; elsewhere (a pipe, CI) it is the plain printer.
 */
export function liveProgress(stream: NodeJS.WriteStream, options: { verbose?: boolean } = {}): ProgressPrinter & { stop(): void } {
  const running = new Map<string, number>();
  const live = stream.isTTY === true;
  const clear = () => {
    if (live) stream.write('\r\x1b[2K');
  };
  const draw = () => {
    if (!live || running.size === 0) return;
    const now = Date.now();
    const text = [...running].map(([step, started]) => `${step} ${formatDuration(Math.round((now - started) / 1000) * 1000)}`).join(' | ');
    stream.write(`\r\x1b[2K⏳ ${text}`.slice(0, (stream.columns || 120) + 8));
  };
  const printer = progressPrinter((line) => {
    clear();
    stream.write(`${line}\n`);
    draw();
  }, options);
  const timer = live ? setInterval(draw, 1000) : undefined;
  timer?.unref();
  return {
    onProgress(event) {
      if (event.type === 'step-started') running.set(`${event.job} › ${event.step}`, Date.now());
      if (event.type === 'step-finished') running.delete(`${event.job} › ${event.step}`);
      printer.onProgress(event);
      if (event.type === 'step-started') {
        clear();
        draw();
      }
    },
    stop() {
      if (timer) clearInterval(timer);
      clear();
    },
  };
}
