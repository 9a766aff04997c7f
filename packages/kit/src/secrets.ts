/**
 * Secrets must be registered with the runner before anything could print them:
 * the runner then replaces them with *** in every later log line.
 */
import * as core from '@actions/core';

/** Registers a secret, and each of its lines, since the runner masks line by line. */
export function maskSecret(value: string | undefined): void {
  if (value === undefined || value.trim() === '') return;
  core.setSecret(value);
  const lines = value.split(/\r?\n/).map((line) => line.trim());
  if (lines.length > 1) for (const line of lines) if (line.length >= 4) core.setSecret(line);
}

const SENSITIVE_QUERY_KEYS = /^(?:token|access_token|auth|key|api_key|apikey|sig|signature|password|secret|x-amz-signature|x-amz-credential|x-amz-security-token)$/i;

/**
 * Registers the parts of a URL that are credentials: the password and user in
 * it (raw and decoded), sensitive query values, and, when `wholeUrlIsSecret`
 * (e.g. a Slack webhook whose path is the secret), the URL and its path.
 */
export function maskUrl(url: string | undefined, options: { wholeUrlIsSecret?: boolean } = {}): void {
  if (!url) return;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    maskSecret(url);
    return;
  }
  if (parsed.password) {
    maskSecret(parsed.password);
    maskSecret(safeDecode(parsed.password));
  }
  for (const [key, value] of parsed.searchParams) if (SENSITIVE_QUERY_KEYS.test(key)) maskSecret(value);
  if (options.wholeUrlIsSecret) {
    maskSecret(url);
    if (parsed.pathname.length > 1) maskSecret(parsed.pathname);
  }
}

/** A URL safe to print: the password and sensitive query values replaced by ***. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '***';
  }
  if (parsed.password) parsed.password = '***';
  for (const key of [...parsed.searchParams.keys()]) if (SENSITIVE_QUERY_KEYS.test(key)) parsed.searchParams.set(key, '***');
  return parsed.toString().replace(/%2A%2A%2A/g, '***');
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
