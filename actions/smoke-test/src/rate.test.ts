import { expect, test } from 'vitest';
import { parseRate } from './rate.js';

test.each([
  ['0', 0],
  ['0%', 0],
  ['1%', 0.01],
  ['0.5%', 0.005],
  ['0.01', 0.01],
  ['1', 1],
  ['100%', 1],
])('%s is %d', (raw, rate) => {
  expect(parseRate('max-error-rate', raw)).toBeCloseTo(rate, 10);
});

test.each([['150%'], ['2'], ['-1%'], ['1 %'], ['one'], ['']])('%j is refused', (raw) => {
  expect(() => parseRate('max-error-rate', raw)).toThrow(/^input "max-error-rate" must be a percentage such as 1% or 0\.5%, or a fraction from 0 to 1/);
});
