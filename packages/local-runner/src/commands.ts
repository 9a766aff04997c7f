/**
 * The runner's side of the workflow commands: the files a step writes (GITHUB_OUTPUT, GITHUB_ENV,
 * GITHUB_STATE, GITHUB_STEP_SUMMARY, GITHUB_PATH) and the `::command::` lines it prints. Shared with
 * the test harness (test/src/harness.ts), which runs one action the same way.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Reads a GITHUB_OUTPUT-style file: `name=value` lines and `name<<DELIM` heredocs. */
export function parseFileCommands(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = (lines[index] as string).replace(/\r$/, '');
    if (line === '') continue;
    const heredoc = /^([^=]+?)<<(.+)$/.exec(line);
    if (heredoc && !line.slice(0, line.indexOf('<<')).includes('=')) {
      const [, name, delimiter] = heredoc as unknown as [string, string, string];
      const body: string[] = [];
      index++;
      while (index < lines.length && (lines[index] as string).replace(/\r$/, '') !== delimiter) body.push(lines[index++] as string);
      if (index >= lines.length) throw new Error(`unterminated heredoc for "${name}" (delimiter ${delimiter})`);
      values[name] = body.join('\n');
      continue;
    }
    const equals = line.indexOf('=');
    if (equals <= 0) throw new Error(`malformed file command line: ${line}`);
    values[line.slice(0, equals)] = line.slice(equals + 1);
  }
  return values;
}

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  properties: Record<string, string>;
}

const COMMAND_PATTERN = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/;

// One pass each: unescaping %25 first would turn a literal "%3A" (sent as "%253A") into ":".
const DATA_ESCAPES: Record<string, string> = { '%25': '%', '%0D': '\r', '%0A': '\n' };
const PROPERTY_ESCAPES: Record<string, string> = { ...DATA_ESCAPES, '%3A': ':', '%2C': ',' };

function unescapeData(text: string): string {
  return text.replace(/%25|%0D|%0A/g, (escape) => DATA_ESCAPES[escape] as string);
}
function unescapeProperty(text: string): string {
  return text.replace(/%25|%0D|%0A|%3A|%2C/g, (escape) => PROPERTY_ESCAPES[escape] as string);
}

/** One printed line, read as a workflow command: a mask, an annotation, or nothing the runner acts on. */
export function parseCommandLine(line: string): { mask?: string; annotation?: Annotation } {
  const match = COMMAND_PATTERN.exec(line.replace(/\r$/, ''));
  if (!match) return {};
  const [, command, rawProperties, data = ''] = match;
  if (command === 'add-mask') return { mask: unescapeData(data) };
  if (command === 'error' || command === 'warning' || command === 'notice') {
    const properties: Record<string, string> = {};
    for (const pair of (rawProperties ?? '').split(',')) {
      const equals = pair.indexOf('=');
      if (equals > 0) properties[pair.slice(0, equals)] = unescapeProperty(pair.slice(equals + 1));
    }
    return { annotation: { level: command, message: unescapeData(data), properties } };
  }
  return {};
}

export function parseWorkflowCommands(log: string): { annotations: Annotation[]; masks: string[] } {
  const annotations: Annotation[] = [];
  const masks: string[] = [];
  for (const line of log.split(/\r?\n/)) {
    const { mask, annotation } = parseCommandLine(line);
    if (mask !== undefined) masks.push(mask);
    if (annotation) annotations.push(annotation);
  }
  return { annotations, masks };
}

/** Lines of the log where a masked value appears outside its own ::add-mask:: command. */
export function findMaskLeaks(log: string, masks: readonly string[]): string[] {
  const leaks: string[] = [];
  const lines = log.split(/\r?\n/).filter((line) => !line.startsWith('::add-mask::'));
  for (const mask of masks) {
    if (mask.trim() === '') continue;
    for (const line of lines) if (line.includes(mask)) leaks.push(`masked value ${JSON.stringify(mask.slice(0, 4) + '…')} appears in: ${line.slice(0, 200)}`);
  }
  return leaks;
}

/** The masks of a run: secrets, tokens and every ::add-mask:: value, replaced by *** wherever text is shown. */
export class Masker {
  private readonly values = new Set<string>();

  add(value: string | undefined): void {
    if (value === undefined) return;
    // GitHub masks a multi-line secret line by line as well as whole.
    for (const part of [value, ...value.split(/\r?\n/)]) if (part.trim().length > 0) this.values.add(part);
  }

  get masks(): string[] {
    return [...this.values];
  }

  apply(text: string): string {
    let masked = text;
    // Longest first, so a mask that contains another is replaced whole.
    for (const value of [...this.values].sort((a, b) => b.length - a.length)) masked = masked.split(value).join('***');
    return masked;
  }

  /** Whether a text contains a masked value (job outputs that do are dropped, as GitHub does). */
  reveals(text: string): boolean {
    return [...this.values].some((value) => text.includes(value));
  }
}

export const FILE_COMMANDS = ['GITHUB_OUTPUT', 'GITHUB_ENV', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY', 'GITHUB_PATH'] as const;
export type FileCommandPaths = Record<(typeof FILE_COMMANDS)[number], string>;

/** Fresh, empty file-command files for one step in a directory. */
export function createFileCommands(directory: string, prefix = ''): FileCommandPaths {
  const files = {
    GITHUB_OUTPUT: path.join(directory, `${prefix}output`),
    GITHUB_ENV: path.join(directory, `${prefix}env`),
    GITHUB_STATE: path.join(directory, `${prefix}state`),
    GITHUB_STEP_SUMMARY: path.join(directory, `${prefix}summary.md`),
    GITHUB_PATH: path.join(directory, `${prefix}path`),
  };
  for (const file of Object.values(files)) writeFileSync(file, '');
  return files;
}

export interface FileCommandResults {
  outputs: Record<string, string>;
  /** Variables the step exported with GITHUB_ENV. */
  exportedEnv: Record<string, string>;
  state: Record<string, string>;
  summary: string;
  paths: string[];
}

export function readFileCommands(files: FileCommandPaths): FileCommandResults {
  return {
    outputs: parseFileCommands(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
    exportedEnv: parseFileCommands(readFileSync(files.GITHUB_ENV, 'utf8')),
    state: parseFileCommands(readFileSync(files.GITHUB_STATE, 'utf8')),
    summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
    paths: readFileSync(files.GITHUB_PATH, 'utf8').split('\n').map((line) => line.replace(/\r$/, '')).filter(Boolean),
  };
}
