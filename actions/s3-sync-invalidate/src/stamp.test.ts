import { describe, expect, it } from 'vitest';
import type { LocalFile } from './local.js';
import type { RemoteObject } from './remote.js';
import { parseGlobList } from './rules.js';
import { createHash } from 'node:crypto';
import { chooseAnchor, findAnchor, formatStamp, ObjectFilter, parseStamp, untilSecondAfter, vouchesFor } from './stamp.js';

const file = (relativePath: string, size = 10): LocalFile => ({ relativePath, absolutePath: `/site/${relativePath}`, size, md5: 'a'.repeat(32) });
const listed = (key: string, lastModified: number, size = 10, etag = 'a'.repeat(32)): RemoteObject => ({ key, etag, size, lastModified });
const md5 = (text: string): string => createHash('md5').update(text).digest('hex');
const object = (key: string, content = key) => ({ key, etag: md5(content) });
const pages = parseGlobList('entry-points', '*.html');

describe('ObjectFilter', () => {
  const parsed = (filter: ObjectFilter) => ObjectFilter.parse(...(filter.toString().split(' ') as [string, string])) as ObjectFilter;

  it('always finds an object it holds, and rarely one it does not', () => {
    const objects = Array.from({ length: 500 }, (_, index) => object(`assets/old-${index}.js`));
    const filter = parsed(ObjectFilter.of(objects));
    expect(objects.every((held) => filter.has(held))).toBe(true);
    const strangers = Array.from({ length: 1000 }, (_, index) => object(`assets/new-${index}.js`)).filter((stranger) => filter.has(stranger));
    expect(strangers.length).toBeLessThan(50);
  });

  it('knows an object by its key and ETag together: a name alone, or with other content, is not found', () => {
    // What a visitor can try against the public stamp: guessed names, with no ETag or the ETag of guessed content.
    const filter = parsed(ObjectFilter.of([object('backup.sql', 'the dump'), object('old/app.js', 'v1')]));
    expect(filter.has(object('backup.sql', 'the dump'))).toBe(true);
    expect(filter.has({ key: 'backup.sql', etag: '' })).toBe(false);
    expect(filter.has(object('backup.sql', 'another dump'))).toBe(false);
    expect(filter.has(object('old/app.js', 'v2'))).toBe(false);
    // The ETag of one object does not find another.
    expect(filter.has({ key: 'backup.sql', etag: md5('v1') })).toBe(false);
    // Many names, each tried with the content of another: about as rare as strangers (the filter's false positives).
    const objects = Array.from({ length: 500 }, (_, index) => object(`assets/old-${index}.js`));
    const many = parsed(ObjectFilter.of(objects));
    const guesses = objects.map(({ key }, index) => ({ key, etag: objects[(index + 1) % objects.length]!.etag })).filter((guess) => many.has(guess));
    expect(guesses.length).toBeLessThan(25);
  });

  it('holds nothing when empty, and refuses a malformed text', () => {
    expect(ObjectFilter.of([]).has(object('a'))).toBe(false);
    expect(ObjectFilter.parse('0', '-')?.has(object('a'))).toBe(false);
    expect(ObjectFilter.parse('3', '-')).toBeUndefined();
    expect(ObjectFilter.parse('x', 'AAAA')).toBeUndefined();
  });
});

describe('stamp', () => {
  it('round-trips through the metadata value, which stays far below S3 limit of 2 KB', () => {
    const unchecked = Array.from({ length: 5000 }, (_, index) => object(`k${index}`));
    const value = formatStamp({ rules: '0123456789abcdef', newestChecked: 1_700_000_000_000, unchecked: ObjectFilter.of(unchecked) });
    expect(value.length).toBeLessThan(1500);
    const stamp = parseStamp(value);
    expect(stamp).toMatchObject({ rules: '0123456789abcdef', newestChecked: 1_700_000_000_000 });
    expect(stamp?.unchecked.has(object('k42'))).toBe(true);
    expect(value.startsWith('s2 ')).toBe(true);
    expect(parseStamp(undefined)).toBeUndefined();
    expect(parseStamp('s0 x 1 0 -')).toBeUndefined();
    // A stamp of the earlier version (a filter of keys alone) is not trusted: that run reads headers with HEAD and stamps again.
    expect(parseStamp(value.replace(/^s2 /, 's1 '))).toBeUndefined();
  });

  it('vouches only for the same rules, objects no newer than it, and keys that were part of the site', () => {
    const stamp = { rules: 'r1', newestChecked: 5000, unchecked: ObjectFilter.of([object('old.js', 'old')]) };
    expect(vouchesFor(stamp, 'r1', listed('app.js', 5000))).toBe(true);
    expect(vouchesFor(stamp, 'r2', listed('app.js', 5000))).toBe(false);
    expect(vouchesFor(stamp, 'r1', listed('app.js', 6000))).toBe(false);
    // Not part of the site when stamped: found by its key with the ETag the listing gives it (the one the stamp saw).
    expect(vouchesFor(stamp, 'r1', listed('old.js', 1000, 10, md5('old')))).toBe(false);
    // Rewritten since, it is newer than the stamp, and that alone refuses it; the filter only answers for the ETag it saw.
    expect(vouchesFor(stamp, 'r1', listed('old.js', 6000, 10, md5('new')))).toBe(false);
    expect(vouchesFor(stamp, 'r1', listed('old.js', 1000, 10, md5('new')))).toBe(true);
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
