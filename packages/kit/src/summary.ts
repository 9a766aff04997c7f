/**
 * Step-summary helpers. `core.summary` writes table cells as raw HTML, so any
 * text that came from a user, a commit or a service is escaped here first.
 */
import * as core from '@actions/core';
import { redactSecrets } from './secrets.js';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] as string);
}

export type Cell = string | number | boolean | { html: string };

/** A table whose plain cells are escaped; `{ html }` cells are trusted markup built by the action. */
export function addTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): typeof core.summary {
  // core.summary writes an empty cell as an unclosed <td>: give it a space instead.
  const toCell = (cell: Cell): string => (typeof cell === 'object' ? cell.html : escapeHtml(String(cell))) || '&nbsp;';
  return core.summary.addTable([
    headers.map((header) => ({ data: escapeHtml(header), header: true })),
    ...rows.map((row) => row.map(toCell)),
  ]);
}

/** Inline code, escaped. */
export function code(text: string): { html: string } {
  return { html: `<code>${escapeHtml(text)}</code>` };
}

/**
 * Writes the summary with every registered secret redacted (a server's answer
 * shown in a table may echo one), downgrading a failure to a warning: a summary
 * is never worth failing a deploy.
 */
export async function writeSummary(): Promise<void> {
  try {
    const text = core.summary.stringify();
    const redacted = redactSecrets(text);
    if (redacted !== text) core.summary.emptyBuffer().addRaw(redacted);
    await core.summary.write();
  } catch (error) {
    core.warning(`could not write the step summary: ${(error as Error).message}`);
  }
}

