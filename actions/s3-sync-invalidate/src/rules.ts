/**
 * Glob rules over the site's relative paths (`assets/app.3f2a.js`): pattern lists
 * (exclude, entry points) and `glob=value` rules where the first match wins
 * (cache-control, content-type). A pattern without a slash matches the file name
 * at any depth (`*.html`), as in .gitignore; one with a slash matches the whole path.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { ConfigurationError, parseKeyValues } from '@deploy-suite/kit';
import type Mime from 'mime-types';
import picomatch from 'picomatch';

export type PathMatcher = (relativePath: string) => boolean;

export interface Rule {
  pattern: string;
  value: string;
  matches: PathMatcher;
}

const GLOB_OPTIONS: picomatch.PicomatchOptions = { dot: true };

// picomatch's own `basename` option also rewrites patterns that contain a slash
// (`assets/**` stops matching `assets/a.js`), so the file-name rule is applied here.
export function compileGlob(name: string, pattern: string): PathMatcher {
  const text = pattern.startsWith('/') ? pattern.slice(1) : pattern;
  let test: (candidate: string) => boolean;
  try {
    test = picomatch(text, GLOB_OPTIONS);
  } catch (error) {
    throw new ConfigurationError(`input "${name}": "${pattern}" is not a valid glob: ${(error as Error).message}`);
  }
  if (text === '') throw new ConfigurationError(`input "${name}": an empty pattern matches nothing`);
  return text.includes('/') ? test : (relativePath) => test(path.posix.basename(relativePath));
}

/** One glob per line; blank lines and `#` comments are ignored. Commas stay part of the glob (`*.{js,css}`). */
export function parseGlobList(name: string, raw: string): PathMatcher {
  const matchers = raw
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((pattern) => compileGlob(name, pattern));
  return (relativePath) => matchers.some((matches) => matches(relativePath));
}

/** `glob=value` lines in order; `validate` returns a reason when a value is not acceptable. */
export function parseRules(name: string, raw: string, validate: (value: string) => string | undefined = () => undefined): Rule[] {
  const rules: Rule[] = [];
  for (const [pattern, value] of parseKeyValues(name, raw)) {
    if (value === '') throw new ConfigurationError(`input "${name}": the rule for "${pattern}" has no value; expected glob=value`);
    const problem = validate(value);
    if (problem) throw new ConfigurationError(`input "${name}": the value for "${pattern}" ${problem}, got "${value}"`);
    rules.push({ pattern, value, matches: compileGlob(name, pattern) });
  }
  return rules;
}

export function firstMatch(rules: readonly Rule[], relativePath: string): string | undefined {
  return rules.find((rule) => rule.matches(relativePath))?.value;
}

const MEDIA_TYPE = /^[\w.+-]+\/[\w.+-]+(?:\s*;\s*[\w.+-]+=[^;]+)*$/;

export function validateMediaType(value: string): string | undefined {
  return validateHeaderValue(value) ?? (MEDIA_TYPE.test(value) ? undefined : 'must be a media type such as "text/html; charset=utf-8"');
}

// Values travel in HTTP headers, which are ASCII: a control character could split the header, and Node refuses
// a character past U+00FF only when the request is sent, which would fail the sync halfway.
export function validateHeaderValue(value: string): string | undefined {
  return /[^\t\x20-\x7e]/.test(value) ? 'must be printable ASCII (an HTTP header value)' : undefined;
}

// The extension table (mime-db) is half of what the action loads at start: it is loaded with the rest of the
// sync, after the inputs were read (a run with a bad input never needs it).
let mime: typeof Mime | undefined;

/** Loads the extension table contentTypeFor and headerRulesDigest use; call (and await) once before them. */
export async function loadContentTypes(): Promise<void> {
  mime ??= (await import('mime-types')).default;
}

function contentTypes(): typeof Mime {
  if (!mime) throw new Error('loadContentTypes() was not awaited before the Content-Type of a file was needed');
  return mime;
}

/** The Content-Type for a file: an override rule, else its extension's type (with charset for text), else binary. */
export function contentTypeFor(overrides: readonly Rule[], relativePath: string): string {
  return firstMatch(overrides, relativePath) ?? (contentTypes().contentType(path.posix.extname(relativePath)) || 'application/octet-stream');
}

/** Bump when the way headers follow from the rules changes (glob semantics, charset handling). */
const HEADER_SCHEME = 1;

/**
 * What the headers of every file follow from: the rules and the extension table. Equal digests mean every
 * file gets the same Cache-Control and Content-Type (16 hex digits; the stamp carries it).
 */
export function headerRulesDigest(cacheControl: readonly Rule[], contentType: readonly Rule[]): string {
  const hash = createHash('md5').update(`${HEADER_SCHEME}\n`);
  for (const rule of cacheControl) hash.update(`cache-control ${rule.pattern}=${rule.value}\n`);
  for (const rule of contentType) hash.update(`content-type ${rule.pattern}=${rule.value}\n`);
  hash.update(JSON.stringify(contentTypes().types));
  return hash.digest('hex').slice(0, 16);
}
