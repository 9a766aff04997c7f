/** The step summary: one table per image (tags, digest, size, built or reused, times), and a failed build's output. */
import { escapeHtml, formatDuration } from '@deploy-suite/kit';
import { BuildError } from './buildah.js';
import type { ImageSpec } from './images.js';
import type { ImageResult } from './publish.js';

export interface ImageOutcome {
  image: ImageSpec;
  result?: ImageResult;
  error?: unknown;
  /** Not started: an earlier image failed. */
  skipped?: boolean;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

function table(rows: [string, string][]): string {
  const body = rows.map(([key, value]) => `<tr><th align="left">${escapeHtml(key)}</th><td>${value || '&nbsp;'}</td></tr>`).join('');
  return `<table>${body}</table>\n`;
}

const code = (text: string): string => `<code>${escapeHtml(text)}</code>`;

function resultTable(result: ImageResult, push: boolean): string {
  const outcome = result.missing
    ? 'missing: no image for this content yet, and build is false (a later job builds it)'
    : result.built
      ? result.buildMs === 0
        ? 'pushed from its archive (built by an earlier job)'
        : push
          ? 'built and pushed'
          : 'built (not pushed)'
      : 'reused: tags added to the existing image, nothing built';
  return table([
    ['Outcome', escapeHtml(outcome)],
    ['Tags', result.tags.map(code).join('<br>')],
    ['Digest', result.digest ? code(result.uri) : 'not pushed'],
    ['Size (compressed)', result.size ? escapeHtml(formatBytes(result.size)) : ''],
    ['Build time', result.built ? escapeHtml(formatDuration(result.buildMs)) : 'none'],
    ['Push time', result.pushed ? escapeHtml(formatDuration(result.pushMs)) : 'none'],
  ]);
}

function failureTable(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  let html = table([['Outcome', `failed: ${escapeHtml(message)}`]]);
  if (error instanceof BuildError) {
    if (error.failure.instruction) html += `<p>Failing instruction: ${code(error.failure.instruction)}</p>\n`;
    html += `<pre><code>${escapeHtml(error.failure.tail.join('\n'))}</code></pre>\n`;
  }
  return html;
}

export function renderSummary(outcomes: readonly ImageOutcome[], push: boolean): string {
  let html = `<h3>Container images</h3>\n`;
  for (const outcome of outcomes) {
    html += `<h4>${escapeHtml(outcome.image.name)}</h4>\n`;
    if (outcome.result) html += resultTable(outcome.result, push);
    else if (outcome.error !== undefined) html += failureTable(outcome.error);
    else html += `<p>Not started: an earlier image failed.</p>\n`;
  }
  return html;
}
