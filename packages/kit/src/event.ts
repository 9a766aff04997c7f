/**
 * The run's event payload (GITHUB_EVENT_PATH), read the same way by every
 * action: no variable or no file (a local run) is an empty payload; a file
 * that cannot be read or is not a JSON object is a clear error, never taken
 * for an empty event (which would silently change what the action decides).
 * Only node:fs and the kit's errors: `@deploy-suite/kit/event` loads nothing else.
 */
import { readFileSync } from 'node:fs';
import { ConfigurationError } from './errors.js';

export function readEventPayload<T extends object = Record<string, unknown>>(eventPath: string | undefined = process.env.GITHUB_EVENT_PATH): T {
  if (!eventPath) return {} as T;
  let text: string;
  try {
    text = readFileSync(eventPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {} as T;
    throw new ConfigurationError(`cannot read the event payload at GITHUB_EVENT_PATH (${eventPath}): ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError(`the event payload at GITHUB_EVENT_PATH (${eventPath}) is not JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigurationError(`the event payload at GITHUB_EVENT_PATH (${eventPath}) is not a JSON object`);
  }
  return value as T;
}
