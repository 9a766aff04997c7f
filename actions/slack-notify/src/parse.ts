/**
 * Parsers for this action's structured inputs. Each throws a
 * ConfigurationError naming the input and the form it expects.
 */
import { ConfigurationError, parseKeyValues, parseList, parseYamlText } from '@deploy-suite/kit';
import type { ComponentResult, Field } from './message.js';

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** A JSON array (detect-changes' `targets` output), or a plain list. */
export function parseTargets(name: string, raw: string): string[] {
  const text = raw.trim();
  // A JSON object (a mapping output given by mistake) would otherwise pass as one target named after its text.
  if (!text.startsWith('[') && !text.startsWith('{')) return parseList(name, text);
  const value = parseYamlText(name, text);
  if (!Array.isArray(value) || !value.every(isScalar)) {
    throw new ConfigurationError(`input "${name}" must be a JSON array of target names such as ["backend","frontend"], got ${JSON.stringify(value).slice(0, 80)}`);
  }
  return value.map(String);
}

/** `component=status` lines, or a JSON/YAML object `{"api": "success"}`. */
export function parseResults(name: string, raw: string): ComponentResult[] {
  const text = raw.trim();
  if (text === '') return [];
  if (text.startsWith('{')) {
    const value = parseYamlText(name, text);
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.values(value).every(isScalar)) {
      throw new ConfigurationError(`input "${name}" must be component=status lines or a JSON object such as {"api": "success"}`);
    }
    return Object.entries(value as Record<string, string | number | boolean>).map(([component, status]) => ({ component, status: String(status) }));
  }
  return [...parseKeyValues(name, text)].map(([component, status]) => ({ component, status }));
}

/** `label=value` lines. */
export function parseFields(name: string, raw: string): Field[] {
  return [...parseKeyValues(name, raw)].map(([label, value]) => ({ label, value }));
}

/** A message of one's own, JSON or YAML: a mapping such as `{"text": "…", "blocks": […]}`. */
export function parsePayload(name: string, text: string): Record<string, unknown> {
  return asPayload(name, parseYamlText(name, text));
}

/** A parsed value that must be a message: a mapping. `source` names the file it came from. */
export function asPayload(name: string, value: unknown, source?: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const got = value === null ? 'nothing' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    throw new ConfigurationError(`input "${name}" must be a Slack message as a JSON or YAML object (with "text" and/or "blocks"), got ${got}${source ? ` in ${source}` : ''}`);
  }
  return value as Record<string, unknown>;
}

/** An ISO 8601 time with a date and a time (`2025-06-01T12:00:00Z`), or Unix seconds or milliseconds. */
export function parseStartedAt(name: string, raw: string): Date {
  const text = raw.trim();
  let ms: number;
  if (/^\d{9,11}(?:\.\d+)?$/.test(text)) ms = Number(text) * 1_000;
  else if (/^\d{12,14}$/.test(text)) ms = Number(text);
  else if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(text)) ms = Date.parse(text);
  else ms = Number.NaN;
  if (Number.isNaN(ms)) {
    throw new ConfigurationError(`input "${name}" must be an ISO 8601 time such as 2025-06-01T12:00:00Z (the "started-at" output of the step that posted status started) or Unix seconds, got "${text.slice(0, 80)}"`);
  }
  return new Date(ms);
}

/** A URL the action may send to; the value is not echoed, since it may be a secret. */
export function parseHttpUrl(name: string, raw: string, secret: boolean): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigurationError(`input "${name}" must be an http(s) URL${secret ? '' : `, got "${raw.slice(0, 80)}"`}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigurationError(`input "${name}" must be an http(s) URL${secret ? '' : `, got "${raw.slice(0, 80)}"`}`);
  }
  return raw;
}
