import { describe, expect, it } from 'vitest';
import { cachedPathsOf, invalidationPaths, urlPathOf } from './invalidation.js';

const range = (count: number, make: (index: number) => string): string[] => Array.from({ length: count }, (_, index) => make(index));

describe('urlPathOf / cachedPathsOf', () => {
  it.each([
    { key: 'index.html', origin: '', expected: ['/index.html', '/'] },
    { key: 'docs/index.html', origin: '', expected: ['/docs/index.html', '/docs/'] },
    { key: 'web/app.js', origin: 'web', expected: ['/app.js'] },
    { key: 'other/app.js', origin: 'web', expected: [] },
    { key: 'a b/ü*.js', origin: '', expected: ['/a%20b/%C3%BC%2A.js'] },
  ])('$key under origin path "$origin"', ({ key, origin, expected }) => {
    expect(cachedPathsOf(key, origin)).toEqual(expected);
  });

  it('does not mistake a sibling prefix for the origin path', () => {
    expect(urlPathOf('website/a.js', 'web')).toBeUndefined();
  });
});

describe('invalidationPaths', () => {
  it('keeps the exact paths when they fit', () => {
    expect(invalidationPaths(['/b.js', '/a.js'], ['/a.js', '/b.js', '/c.js'], 2)).toEqual(['/a.js', '/b.js']);
  });

  it('collapses the directory whose wildcard catches the fewest unchanged objects', () => {
    const assets = range(30, (index) => `/assets/${index}.js`);
    const images = range(10, (index) => `/img/${index}.png`);
    const changed = [...assets.slice(0, 20), '/index.html', '/'];
    expect(invalidationPaths(changed, [...assets, ...images, '/index.html'], 5)).toEqual(['/', '/assets/*', '/index.html']);
  });

  it('prefers a deeper directory when it is enough', () => {
    const chunks = range(12, (index) => `/static/js/chunks/${index}.js`);
    const css = range(50, (index) => `/static/css/${index}.css`);
    const changed = [...chunks, '/static/css/0.css'];
    expect(invalidationPaths(changed, [...chunks, ...css], 3)).toEqual(['/static/css/0.css', '/static/js/chunks/*']);
  });

  it('spreads the budget over several directories', () => {
    const a = range(6, (index) => `/a/${index}`);
    const b = range(6, (index) => `/b/${index}`);
    const c = range(2, (index) => `/c/${index}`);
    const all = [...a, ...b, ...c, '/a/spare', '/b/spare', '/c/spare'];
    // Collapsing a and b (one unchanged each) and listing c's two files: 4 paths, 2 unchanged re-fetched.
    expect(invalidationPaths([...a, ...b, ...c], all, 4)).toEqual(['/a/*', '/b/*', '/c/0', '/c/1']);
  });

  it('chooses fewer paths when the wildcard costs no unchanged object', () => {
    const all = range(8, (index) => `/fonts/${index}.woff2`);
    expect(invalidationPaths([...all, '/x.html', '/y.html'], [...all, '/x.html', '/y.html', '/z.html'], 3)).toEqual(['/fonts/*', '/x.html', '/y.html']);
  });

  it('falls back to /* when one path is allowed', () => {
    expect(invalidationPaths(['/a', '/b'], ['/a', '/b'], 1)).toEqual(['/*']);
  });

  it('covers an index page directory with its wildcard', () => {
    const docs = range(5, (index) => `/docs/${index}.html`);
    const changed = [...docs, '/docs/index.html', '/docs/', '/x.js'];
    expect(invalidationPaths(changed, [...docs, '/docs/index.html', '/x.js', '/y.js'], 2)).toEqual(['/docs/*', '/x.js']);
  });

  it('never leaves a changed path uncovered (randomised trees)', () => {
    let seed = 42;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 50; round++) {
      const all = range(60, (index) => `/${['a', 'b', 'c'][Math.floor(random() * 3)]}/${['x', 'y', ''][Math.floor(random() * 3)]}${index}.js`.replace('//', '/'));
      const changed = all.filter(() => random() < 0.4);
      const max = 1 + Math.floor(random() * 8);
      const result = invalidationPaths(changed, all, max);
      expect(result.length).toBeLessThanOrEqual(max);
      for (const path of changed) expect(result.some((entry) => entry === path || (entry.endsWith('*') && path.startsWith(entry.slice(0, -1))))).toBe(true);
    }
  });
});
