/**
 * What the run tells the user: the outputs, the dry run's plan, and the step
 * summary (HTML, every text from outside escaped: keys and prefixes may hold markup).
 */
import { escapeHtml } from '@deploy-suite/kit';
import { Output } from './constants.js';
import { formatBytes } from './local.js';
import type { Plan, PlannedWrite } from './plan.js';
import { newProgress, type SyncProgress } from './sync.js';

/** Largest uploads listed in the step summary. */
const LARGEST_SHOWN = 10;
/** Invalidation paths listed in the log and summary before "and N more". */
export const PATHS_SHOWN = 30;

export interface InvalidationOutcome {
  paths: string[];
  id?: string;
  status?: string;
  /** Why nothing was invalidated. */
  skipped?: string;
}

export interface ReportContext {
  target: string;
  dryRun: boolean;
  delete: boolean;
  distributionId: string | undefined;
}

export function outputsOf(plan: Plan, progress: SyncProgress, invalidation: InvalidationOutcome, dryRun: boolean): Record<string, string | number> {
  return {
    [Output.Uploaded]: progress.uploaded,
    [Output.UpdatedMetadata]: progress.updatedMetadata,
    [Output.Deleted]: progress.deleted,
    [Output.Unchanged]: plan.unchanged.length,
    [Output.BytesUploaded]: progress.bytesUploaded,
    [Output.InvalidationId]: invalidation.id ?? '',
    // A dry run has no invalidation id, but the next step may want the paths it would invalidate.
    [Output.InvalidatedPaths]: JSON.stringify(invalidation.id || dryRun ? invalidation.paths : []),
  };
}

/** The counts a dry run reports: what the sync would do. */
export function dryRunProgress(plan: Plan, deletions: number): SyncProgress {
  const uploads = plan.writes.filter((write) => write.kind !== 'metadata');
  return {
    ...newProgress(plan.writes, deletions),
    uploaded: uploads.length,
    updatedMetadata: plan.writes.length - uploads.length,
    deleted: deletions,
    bytesUploaded: uploads.reduce((total, write) => total + write.file.size, 0),
    completed: uploads.map((write) => ({ write, bytes: write.file.size })),
  };
}

export function dryRunLines(context: ReportContext, plan: Plan, deletions: readonly string[], invalidation: InvalidationOutcome): string[] {
  const lines = [`Dry run: nothing is changed in ${context.target}${context.distributionId ? ` or on ${context.distributionId}` : ''}. The plan:`];
  for (const write of plan.writes) {
    const what = write.kind === 'metadata' ? `update headers of ${write.key} (${write.drift?.join('; ')})` : `upload ${write.key} (${formatBytes(write.file.size)}, ${write.kind})`;
    lines.push(`  would ${what}${write.entryPoint ? ' [entry point]' : ''}`);
  }
  for (const key of deletions) lines.push(`  would delete ${key}`);
  if (invalidation.paths.length > 0) lines.push(`  would invalidate ${invalidation.paths.join(' ')}`);
  return lines;
}

type Cell = string | number | { html: string };

function table(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const cell = (value: Cell): string => (typeof value === 'object' ? value.html : escapeHtml(String(value))) || '&nbsp;';
  const head = `<tr>${headers.map((header) => `<th>${escapeHtml(header)}</th>`).join('')}</tr>`;
  return `<table>${head}${rows.map((row) => `<tr>${row.map((value) => `<td>${cell(value)}</td>`).join('')}</tr>`).join('')}</table>\n`;
}

const code = (text: string): { html: string } => ({ html: `<code>${escapeHtml(text)}</code>` });

export function summaryHtml(context: ReportContext, plan: Plan, progress: SyncProgress, invalidation: InvalidationOutcome): string {
  const dry = context.dryRun;
  const count = (kind: PlannedWrite['kind']): number => progress.completed.filter(({ write }) => write.kind === kind).length;
  const rows: [string, Cell][] = [
    ['Uploaded (new)', count('new')],
    ['Uploaded (changed)', count('changed')],
    ['Headers updated in place', count('metadata')],
    ['Deleted', progress.deleted],
    ['Unchanged', plan.unchanged.length],
    ...(context.delete ? [] : ([['Only in the bucket (kept)', plan.orphans.length]] as [string, Cell][])),
    ['Bytes uploaded', formatBytes(progress.bytesUploaded)],
  ];
  let html = `<h3>${dry ? 'Dry run: ' : ''}S3 sync to ${escapeHtml(context.target)}</h3>\n` + table(['Result', dry ? 'Would be' : 'Objects'], rows);
  const largest = progress.completed.filter(({ write }) => write.kind !== 'metadata').sort((a, b) => b.bytes - a.bytes).slice(0, LARGEST_SHOWN);
  if (largest.length > 0) html += '<h4>Largest uploads</h4>\n' + table(['Object', 'Size', 'Why'], largest.map(({ write, bytes }) => [code(write.key), formatBytes(bytes), write.kind]));
  return html + '<h4>CloudFront</h4>\n' + invalidationHtml(context, invalidation);
}

function invalidationHtml(context: ReportContext, invalidation: InvalidationOutcome): string {
  if (invalidation.paths.length === 0 || (!context.dryRun && !invalidation.id)) return `<p>No invalidation: ${escapeHtml(invalidation.skipped ?? 'it was not created')}.</p>\n`;
  const shown = invalidation.paths.slice(0, PATHS_SHOWN);
  const more = invalidation.paths.length > shown.length ? ` and ${invalidation.paths.length - shown.length} more` : '';
  const id = context.dryRun ? 'dry run' : code(invalidation.id ?? '');
  const status = invalidation.status ?? (context.dryRun ? '' : 'InProgress');
  return table(['Distribution', 'Invalidation', 'Status', 'Paths'], [[code(context.distributionId ?? ''), id, status, { html: shown.map((item) => code(item).html).join(' ') + more }]]);
}
