/**
 * The `<filter>_files` formats of dorny/paths-filter, reproduced exactly so that
 * workflows migrating from it see the same strings.
 */
import type { ListFilesFormat } from './constants.js';

/** Backslash-escapes every character outside a small set of definitely safe ones. */
export function backslashEscape(value: string): string {
  return value.replace(/([^a-zA-Z0-9,._+:@%/-])/g, '\\$1');
}

/** A shell argument with as little quoting as possible. */
export function shellEscape(value: string): string {
  if (value === '') return value;
  if (/^[a-zA-Z0-9,._+:@%/-]+$/m.test(value)) return value;
  if (value.includes("'")) {
    if (/^[a-zA-Z0-9,._+:@%/'\s-]+$/m.test(value)) return `"${value}"`;
    return value.split("'").map(shellEscape).join("\\'");
  }
  return `'${value}'`;
}

export function csvEscape(value: string): string {
  if (value === '') return value;
  if (/^[a-zA-Z0-9._+:@%/-]+$/m.test(value)) return value;
  return `"${value.replace(/"/g, '""')}"`;
}

export function formatFileList(files: readonly string[], format: Exclude<ListFilesFormat, 'none'>): string {
  switch (format) {
    case 'json':
      return JSON.stringify(files);
    case 'csv':
      return files.map(csvEscape).join(',');
    case 'shell':
      return files.map(shellEscape).join(' ');
    case 'escape':
      return files.map(backslashEscape).join(' ');
  }
}
