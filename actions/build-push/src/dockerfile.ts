/**
 * Labels go into the Dockerfile as one LABEL instruction at the end of the stage
 * being built. buildah's `--label` adds one step per label, and with `--layers`
 * on vfs storage every step copies the whole root filesystem: four OCI labels
 * would cost four copies. One instruction costs one.
 */

/** A label key or value as a Dockerfile double-quoted string. */
function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$/g, '\\$')}"`;
}

export function labelInstruction(labels: ReadonlyMap<string, string>): string {
  return `LABEL ${[...labels].map(([key, value]) => `${quote(key)}=${quote(value)}`).join(' ')}`;
}

const FROM_LINE = /^\s*FROM\s+\S+(?:\s+AS\s+(\S+))?\s*$/i;

function stageStart(lines: readonly string[], target: string): number {
  return lines.findIndex((line) => FROM_LINE.exec(line.replace(/--platform=\S+\s+/i, ''))?.[1]?.toLowerCase() === target.toLowerCase());
}

/** Whether a stage is named `target` (`FROM ... AS target`). */
export function hasStage(text: string, target: string): boolean {
  return stageStart(text.split(/\r?\n/), target) >= 0;
}

/**
 * The Dockerfile with the labels added at the end of `target`'s stage, or of the
 * last stage. Undefined when `target` names no stage (the builder reports that itself).
 */
export function withLabels(text: string, labels: ReadonlyMap<string, string>, target?: string): string | undefined {
  if (labels.size === 0) return text;
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  let insertAt = lines.length;
  if (target) {
    const start = stageStart(lines, target);
    if (start < 0) return undefined;
    const next = lines.findIndex((line, index) => index > start && FROM_LINE.test(line.replace(/--platform=\S+\s+/i, '')));
    if (next >= 0) insertAt = next;
  }
  const before = lines.slice(0, insertAt);
  while (before.length > 0 && before.at(-1)?.trim() === '') before.pop();
  return [...before, labelInstruction(labels), ...lines.slice(insertAt)].join('\n').replace(/\n*$/, '\n');
}
