import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigurationError } from '@deploy-suite/kit';
import { compileGlob, contentTypeFor, firstMatch, loadContentTypes, parseGlobList, parseRules, validateHeaderValue, validateMediaType } from './rules.js';

beforeAll(() => loadContentTypes());

describe('globs', () => {
  it.each([
    { pattern: '*.html', path: 'docs/index.html', expected: true },
    { pattern: '*.html', path: 'index.html', expected: true },
    { pattern: 'assets/**', path: 'assets/js/app.js', expected: true },
    { pattern: 'assets/**', path: 'lib/assets/app.js', expected: false },
    { pattern: '/assets/*.js', path: 'assets/app.js', expected: true },
    { pattern: '*.{js,css}', path: 'a/b.css', expected: true },
    { pattern: '.well-known/**', path: '.well-known/security.txt', expected: true },
  ])('$pattern matches $path: $expected', ({ pattern, path, expected }) => {
    expect(compileGlob('exclude', pattern)(path)).toBe(expected);
  });

  it('reads one glob per line, with comments, keeping commas inside braces', () => {
    const matches = parseGlobList('exclude', '# maps\n*.{map,txt}\n\n  drafts/**  ');
    expect(['a.map', 'x/y.txt', 'drafts/a.html', 'a.js'].map(matches)).toEqual([true, true, true, false]);
  });
});

describe('rules', () => {
  it('keeps every "=" after the first in the value, and the first matching rule wins', () => {
    const rules = parseRules('cache-control', 'assets/**=public, max-age=31536000, immutable\n*.html=no-cache\n*=max-age=300');
    expect(firstMatch(rules, 'assets/index.html')).toBe('public, max-age=31536000, immutable');
    expect(firstMatch(rules, 'index.html')).toBe('no-cache');
    expect(firstMatch(rules, 'robots.txt')).toBe('max-age=300');
  });

  it.each([
    { raw: '*.html no-cache', message: 'input "cache-control" line 1 must be key=value, got "*.html no-cache"' },
    { raw: '*.html=', message: 'input "cache-control": the rule for "*.html" has no value; expected glob=value' },
    { raw: '*.js=a\n*.js=b', message: 'input "cache-control" line 2: key "*.js" is given twice' },
  ])('rejects $raw', ({ raw, message }) => {
    expect(() => parseRules('cache-control', raw)).toThrow(new ConfigurationError(message));
  });

  it.each([
    { value: 'public, max-age=31536000, immutable', expected: undefined },
    { value: 'max-age=60\tpublic', expected: undefined },
    { value: 'max-age=60\r\nX-Injected: 1', expected: 'must be printable ASCII (an HTTP header value)' },
    { value: 'max-age=60 \u20ac', expected: 'must be printable ASCII (an HTTP header value)' },
    { value: 'max-age=60 \u00fc', expected: 'must be printable ASCII (an HTTP header value)' },
  ])('header value $value', ({ value, expected }) => {
    expect(validateHeaderValue(value)).toBe(expected);
  });

  it('checks a media type is a header value too', () => {
    expect(validateMediaType('text/plain; charset=\u00fc')).toBe('must be printable ASCII (an HTTP header value)');
  });

  it('types files by extension, with overrides first', () => {
    const overrides = parseRules('content-type', 'downloads/*=application/octet-stream', validateMediaType);
    expect(contentTypeFor(overrides, 'downloads/guide.pdf')).toBe('application/octet-stream');
    expect(contentTypeFor(overrides, 'guide.pdf')).toBe('application/pdf');
    expect(contentTypeFor([], 'app.mjs')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor([], 'LICENSE')).toBe('application/octet-stream');
    expect(validateMediaType('text/html; charset=utf-8')).toBeUndefined();
    expect(validateMediaType('html')).toMatch(/must be a media type/);
  });
});
