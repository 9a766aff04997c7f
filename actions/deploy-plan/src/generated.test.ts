import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
// @ts-expect-error -- a plain .mjs script without types
import { validatorSource, VALIDATOR } from '../../../scripts/schema-validator.mjs';

test('the committed validator is the one the schema compiles to (node scripts/schema-validator.mjs)', () => {
  expect(readFileSync(VALIDATOR as string, 'utf8')).toBe((validatorSource as () => string)());
});
