import { describe, expect, it } from 'vitest';
import { describeTarget, parseDatabaseUrl, parseTableName, parseVersion, passwordForms, redact, urlPassword } from './parse.js';

describe('parseDatabaseUrl', () => {
  it.each([
    ['postgres://app:s3cret@db.internal:6543/shop', { host: 'db.internal', port: 6543, database: 'shop', user: 'app' }],
    ['postgresql://app:p%40ss@db.internal/shop?sslmode=require', { host: 'db.internal', port: 5432, database: 'shop', user: 'app', sslMode: 'require' }],
    ['postgres://app@[::1]:5433/', { host: '::1', port: 5433, database: 'app', user: 'app' }],
    ['postgres://app:x@ignored/shop?host=/var/run/postgresql&port=6000', { host: '/var/run/postgresql', port: 6000, database: 'shop', user: 'app' }],
  ])('reads %s', (url, expected) => {
    expect(parseDatabaseUrl('database-url', url)).toEqual({ url, ...expected });
  });

  it.each(['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'])('reads sslmode=%s, a libpq value', (mode) => {
    expect(parseDatabaseUrl('database-url', `postgres://app@db/shop?sslmode=${mode}`).sslMode).toBe(mode);
  });

  it.each([
    ['mysql://app:hunter2@db/shop', 'got a URL with scheme "mysql"'],
    ['not a url hunter2', 'the value given is not a URL'],
    ['postgres://app:hunter2@db:99999/shop', 'not a URL'],
    ['postgres://:hunter2@db/shop', 'the URL names no user'],
    ['postgres://app:hunter2@db/shop?sslmode=requre', 'has an unknown sslmode: it must be one of "disable", "allow", "prefer", "require", "verify-ca", "verify-full"; got "requre"'],
    ['postgres://app:hunter2@db/shop?sslmode=no-verify', 'got "no-verify"'],
    ['postgres://app:hunter2@db/shop?sslmode=', 'got another value'],
    ['postgres://app:hunter2@db/shop?sslmode=hunter2', 'got another value'],
    ['postgres://app:hunter2@db/shop?sslmode=require&sslmode=disable', 'it sets sslmode more than once'],
  ])('rejects %s without repeating it', (url, message) => {
    expect(() => parseDatabaseUrl('database-url', url)).toThrow(message);
    try {
      parseDatabaseUrl('database-url', url);
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2');
      expect((error as Error).name).toBe('ConfigurationError');
    }
  });

  it('describes a target without the password', () => {
    expect(describeTarget(parseDatabaseUrl('u', 'postgres://a:b@[::1]:5/db'))).toBe('[::1]:5/db');
  });
});

describe('parseVersion and parseTableName', () => {
  it.each([
    ['42', 42n],
    ['007', 7n],
    ['V3', 3n],
    ['20240131120000', 20240131120000n],
  ])('version %s', (raw, version) => expect(parseVersion('target', raw)).toBe(version));

  it.each(['', '1.2', 'latest', '-1', '1234567890123456789'])('rejects version %j', (raw) => {
    expect(() => parseVersion('target', raw)).toThrow('input "target" must be a migration version');
  });

  it('reads table and schema.table, rejects anything else', () => {
    expect(parseTableName('history-table', 'migration_history')).toEqual({ table: 'migration_history' });
    expect(parseTableName('history-table', 'ops.History_1')).toEqual({ schema: 'ops', table: 'History_1' });
    for (const bad of ['a.b.c', '1table', 'x;drop', '"quoted"', '']) expect(() => parseTableName('history-table', bad)).toThrow('input "history-table"');
  });
});

describe('redact', () => {
  it('removes the password, as written and decoded, from text bound for a summary', () => {
    const target = parseDatabaseUrl('database-url', 'postgres://app:p%40ss%3Aw0rd@db/shop');
    expect(passwordForms(target)).toEqual(['p%40ss%3Aw0rd', 'p@ss:w0rd']);
    expect(redact('PGPASSWORD=p@ss:w0rd migrate --url postgres://app:p%40ss%3Aw0rd@db/shop', passwordForms(target))).toBe('PGPASSWORD=*** migrate --url postgres://app:***@db/shop');
  });

  it('reads the password pg sends: decoded, a stray % kept, a ?password= query value first', () => {
    const password = (url: string): string => urlPassword(parseDatabaseUrl('database-url', url));
    expect(password('postgres://app:p%40ss@db/shop')).toBe('p@ss');
    expect(password('postgres://app:50%off@db/shop')).toBe('50%off');
    expect(password('postgres://app@db/shop?password=q%26r')).toBe('q&r');
    expect(password('postgres://app@db/shop')).toBe('');
    expect(passwordForms(parseDatabaseUrl('database-url', 'postgres://app@db/shop?password=q%26r'))).toEqual(['q&r']);
  });
});
