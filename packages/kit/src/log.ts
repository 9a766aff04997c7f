/**
 * Text from outside (a server's answer, an object key, a file name, an error a
 * service sent) printed in the log. The runner reads a line that starts with
 * `::` (after spaces) as a workflow command and `##[` anywhere as a legacy one,
 * so such text could add a mask, open a group or forge an error line, and a
 * line break inside it could fake a line of its own. `safeLogText` makes it one
 * inert line: secrets redacted, control characters and line breaks shown
 * escaped, command markers broken with a zero-width space.
 */
import * as core from '@actions/core';
import { redactSecrets } from './secrets.js';

const ZERO_WIDTH_SPACE = '\u200b';
// C0 controls, DEL, C1 controls (NEL among them) and the Unicode line and paragraph separators.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const NAMED_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeControl(character: string): string {
  return NAMED_ESCAPES[character] ?? `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

export function safeLogText(text: string): string {
  return redactSecrets(text)
    .replace(CONTROL, escapeControl)
    .replace(/##\[/g, `#${ZERO_WIDTH_SPACE}#[`)
    .replace(/^(\s*)::/, `$1:${ZERO_WIDTH_SPACE}:`);
}

/** The one User-Agent every request of the suite carries: AWS SDK clients, the GitHub API and Slack. */
export function userAgent(actionName: string): string {
  return `deploy-suite/${actionName}`;
}

/**
 * What logic modules log through: they never import @actions/core, main.ts
 * hands them one (`coreLogger()`), and a unit test hands them an array's push.
 */
export interface Logger {
  info(line: string): void;
  /** Something went wrong that the run survives: an annotation on the run. */
  warning(line: string): void;
  /** Shown only when the runner's debug logging is on. */
  debug(line: string): void;
}

/** Each line starts with `prefix` (the item it is about, when several run at once). */
export function withPrefix(log: Logger, prefix: string): Logger {
  if (!prefix) return log;
  return {
    info: (line) => log.info(prefix + line),
    warning: (line) => log.warning(prefix + line),
    debug: (line) => log.debug(prefix + line),
  };
}

/**
 * The runner's log. Every line goes through safeLogText: logic modules quote
 * text from outside (object keys, service events, a server's messages), and
 * none of it may become a workflow command or a line of its own.
 */
export function coreLogger(): Logger {
  return {
    info: (line) => core.info(safeLogText(line)),
    warning: (line) => core.warning(safeLogText(line)),
    debug: (line) => core.debug(safeLogText(line)),
  };
}
