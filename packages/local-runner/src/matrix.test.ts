import { describe, expect, test } from 'vitest';
import { expandMatrix, legName } from './matrix.js';

const at = { file: 'w.yml', line: 3 };

describe('expandMatrix', () => {
  test("GitHub's documented include example", () => {
    const matrix = {
      fruit: ['apple', 'pear'],
      animal: ['cat', 'dog'],
      include: [{ color: 'green' }, { color: 'pink', animal: 'cat' }, { fruit: 'apple', shape: 'circle' }, { fruit: 'banana' }, { fruit: 'banana', animal: 'cat' }],
    };
    expect(expandMatrix(matrix, at)).toEqual([
      { fruit: 'apple', animal: 'cat', color: 'pink', shape: 'circle' },
      { fruit: 'apple', animal: 'dog', color: 'green', shape: 'circle' },
      { fruit: 'pear', animal: 'cat', color: 'pink' },
      { fruit: 'pear', animal: 'dog', color: 'green' },
      { fruit: 'banana' },
      { fruit: 'banana', animal: 'cat' },
    ]);
  });

  test('exclude removes every combination a partial entry matches', () => {
    expect(expandMatrix({ os: ['linux', 'mac'], node: [20, 22], exclude: [{ os: 'mac' }] }, at)).toEqual([
      { os: 'linux', node: 20 },
      { os: 'linux', node: 22 },
    ]);
  });

  test('include alone makes one combination per entry', () => {
    expect(expandMatrix({ include: [{ a: 1 }, { a: 2, b: 'x' }] }, at)).toEqual([{ a: 1 }, { a: 2, b: 'x' }]);
  });

  test.each([
    [{ os: 'linux' }, /strategy\.matrix\.os must be a list/],
    [{ os: [] }, /Matrix vector 'os' does not contain any values/],
    [{}, /produces no job/],
    ['x', /expected a mapping/],
  ])('%j is refused', (matrix, message) => {
    expect(() => expandMatrix(matrix, at)).toThrow(message);
  });

  test('leg names list the values', () => {
    expect(legName('build', { node: 20, os: 'linux', extra: { a: 1 } })).toBe('build (20, linux, {"a":1})');
  });
});
