import { describe, expect, it } from 'vitest';
import type { Migration } from './migrations.js';
import { currentVersion, planRevert, planUp, verifyHistory, type AppliedMigration } from './plan.js';

const migration = (version: number, options: { down?: boolean; checksum?: string } = {}): Migration => ({
  version: BigInt(version),
  name: `m${version}`,
  file: `${String(version).padStart(3, '0')}_m${version}.sql`,
  sql: '',
  transactional: true,
  checksum: options.checksum ?? `sum${version}`,
  ...(options.down ? { down: { file: `${String(version).padStart(3, '0')}_m${version}.down.sql`, sql: '', transactional: true } } : {}),
});
const applied = (version: number, sum = `sum${version}`): AppliedMigration => ({
  version: BigInt(version),
  name: `m${version}`,
  checksum: sum,
  appliedAt: new Date('2026-01-02T03:04:05Z'),
  durationMs: 5,
  commitSha: 'abcdef1234567890',
});

describe('verifyHistory', () => {
  it('passes when every applied migration is present and unchanged', () => {
    expect(() => verifyHistory([migration(1), migration(2)], [applied(1)], 'h')).not.toThrow();
  });

  it('lists edited and missing applied migrations together', () => {
    expect(() => verifyHistory([migration(1, { checksum: 'changed' }), migration(3)], [applied(1), applied(2)], 'h')).toThrow(
      'the history in h does not match the migration files; nothing was run. 1 applied migration was edited since it was applied: 001_m1.sql (applied 2026-01-02T03:04:05.000Z from abcdef123456). ' +
        'Restore the applied contents and put the change in a new migration. 1 applied migration is missing from the directory: version 2 (m2).',
    );
  });
});

describe('planUp', () => {
  const all = [migration(1), migration(2), migration(3)];
  it.each([
    { applied: [], target: undefined, toApply: [1, 2, 3], deferred: [] },
    { applied: [1], target: undefined, toApply: [2, 3], deferred: [] },
    { applied: [], target: 2n, toApply: [1, 2], deferred: [3] },
    { applied: [1, 2, 3], target: 3n, toApply: [], deferred: [] },
  ])('applied $applied, target $target', ({ applied: done, target, toApply, deferred }) => {
    const plan = planUp(all, done.map((version) => applied(version)), target, 'target');
    expect(plan.toApply.map((item) => Number(item.version))).toEqual(toApply);
    expect(plan.deferred.map((item) => Number(item.version))).toEqual(deferred);
  });

  it('refuses unknown and past targets, and out-of-order pending migrations', () => {
    expect(() => planUp(all, [], 9n, 'target')).toThrow('input "target": no migration has version 9 (versions: 1, 2, 3)');
    expect(() => planUp(all, [applied(2)], 1n, 'target')).toThrow('version 1 is below the current version 2');
    expect(() => planUp(all, [applied(2)], undefined, 'target')).toThrow('001_m1.sql is not applied but older than the current version 2');
  });
});

describe('planRevert', () => {
  it('undoes newest first and needs every down file', () => {
    const files = [migration(1, { down: true }), migration(2, { down: true }), migration(3)];
    expect(planRevert(files, [applied(1), applied(2)], 2, 'revert').map((item) => Number(item.version))).toEqual([2, 1]);
    expect(() => planRevert(files, [applied(1), applied(2), applied(3)], 1, 'revert')).toThrow('no down file for 003_m3.sql (expected 003_m3.down.sql)');
    expect(() => planRevert(files, [applied(1)], 2, 'revert')).toThrow('asked to undo 2 migrations but only 1 is applied');
  });

  it('current version is the highest applied', () => {
    expect(currentVersion([applied(3), applied(10), applied(2)])).toBe(10n);
    expect(currentVersion([])).toBeUndefined();
  });
});
