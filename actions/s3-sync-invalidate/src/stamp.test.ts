import { describe, expect, it } from 'vitest';
import type { LocalFile } from './local.js';
import type { RemoteObject } from './remote.js';
import { parseGlobList } from './rules.js';
import { chooseAnchor, findAnchor, formatStamp, KeyFilter, parseStamp, untilSecondAfter, vouchesFor } from './stamp.js';

const file = (relativePath: string, size = 10): LocalFile => ({ relativePath, absolutePath: `/site/${relativePath}`, size, md5: 'a'.repeat(32) });
const listed = (key: string, lastModified: number, size = 10): RemoteObject => ({ key, etag: 'a'.repeat(32), size, lastModified });
const pages = parseGlobList('entry-points', '*.html');

describe('KeyFilter', () => {
  it('always finds a key it holds, and rarely one it does not', () => {
    const keys = Array.from({ length: 500 }, (_, index) => `assets/old-${index}.js`);
    const filter = KeyFilter.parse(...(KeyFilter.of(keys).toString().split(' ') as [string, string])) as KeyFilter;
    expect(keys.every((key) => filter.has(key))).toBe(true);
    const strangers = Array.from({ length: 1000 }, (_, index) => `assets/new-${index}.js`).filter((key) => filter.has(key));
    expect(strangers.length).toBeLessThan(50);
  });

  it('holds nothing when empty, and refuses a malformed text', () => {
    expect(KeyFilter.of([]).has('a')).toBe(false);
    expect(KeyFilter.parse('0', '-')?.has('a')).toBe(false);
    expect(KeyFilter.parse('3', '-')).toBeUndefined();
    expect(KeyFilter.parse('x', 'AAAA')).toBeUndefined();
  });
});

describe('stamp', () => {
  it('round-trips through the metadata value, which stays far below S3 limit of 2 KB', () => {
    const unchecked = Array.from({ length: 5000 }, (_, index) => `k${index}`);
    const value = formatStamp({ rules: '0123456789abcdef', newestChecked: 1_700_000_000_000, unchecked: KeyFilter.of(unchecked) });
    expect(value.length).toBeLessThan(1500);
    const stamp = parseStamp(value);
    expect(stamp).toMatchObject({ rules: '0123456789abcdef', newestChecked: 1_700_000_000_000 });
    expect(stamp?.unchecked.has('k42')).toBe(true);
    expect(parseStamp(undefined)).toBeUndefined();
    expect(parseStamp('s0 x 1 0 -')).toBeUndefined();
  });

  it('vouches only for the same rules, objects no newer than it, and keys that were part of the site', () => {
    const stamp = { rules: 'r1', newestChecked: 5000, unchecked: KeyFilter.of(['old.js']) };
    expect(vouchesFor(stamp, 'r1', listed('app.js', 5000))).toBe(true);
    expect(vouchesFor(stamp, 'r2', listed('app.js', 5000))).toBe(false);
    expect(vouchesFor(stamp, 'r1', listed('app.js', 6000))).toBe(false);
    expect(vouchesFor(stamp, 'r1', listed('old.js', 1000))).toBe(false);
  });

  it('puts the stamp on the first small non-page file, and finds it again among the newest objects', () => {
    const files = [file('index.html'), file('b.js'), file('a.bin', 9 * 1024 * 1024), file('c.css')];
    expect(chooseAnchor(files, pages)?.relativePath).toBe('b.js');
    expect(chooseAnchor([file('index.html'), file('about.html')], pages)?.relativePath).toBe('about.html');
    const remote = new Map([listed('web/index.html', 9000), listed('web/b.js', 9000), listed('web/c.css', 8000), listed('web/zz.js', 9000)].map((object) => [object.key, object]));
    expect(findAnchor([...files, file('zz.js')], remote, 'web/', pages)?.key).toBe('web/b.js');
    // Something newer than the stamp was written since: that object is HEADed, finds no stamp, and every object is read.
    remote.set('web/c.css', listed('web/c.css', 9500));
    expect(findAnchor(files, remote, 'web/', pages)?.key).toBe('web/c.css');
  });

  it('waits only for the rest of the second of the newest write, never more than a second', () => {
    // Written at 12.000 s (S3 counts whole seconds): the stamp goes out once 13.000 s has begun.
    expect(untilSecondAfter(12_000, 12_300)).toBe(700);
    expect(untilSecondAfter(12_000, 12_999)).toBe(1);
    expect(untilSecondAfter(12_000, 13_000)).toBe(0);
    // Read back long before, or a listing with milliseconds: no wait, or until the next second only.
    expect(untilSecondAfter(12_000, 20_000)).toBe(0);
    expect(untilSecondAfter(12_450, 12_500)).toBe(500);
    // This machine's clock far behind S3's: a second at most (the copy is checked and made again if it landed too early).
    expect(untilSecondAfter(12_000, 2_000)).toBe(1000);
  });
});
