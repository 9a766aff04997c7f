import { describe, expect, it } from 'vitest';
import { identityScope, parseScope, resolveForce, selectTargets } from './scope.js';

const FILTERS = ['backend', 'frontend', 'shared'];

describe('deployment scope', () => {
  const scope = parseScope({ api: ['backend', 'shared'], web: ['frontend', 'shared'], worker: 'backend' }, FILTERS);

  it.each([
    [['backend'], ['api', 'worker']],
    [['shared'], ['api', 'web']],
    [['frontend'], ['web']],
    [[], []],
  ])('changes %j select %j', (changed, expected) => {
    expect(selectTargets(scope, new Set(changed))).toEqual(expected);
  });

  it('forces all targets or a subset, in scope order', () => {
    expect(resolveForce(['all'], scope)).toEqual(['api', 'web', 'worker']);
    expect(resolveForce(['worker', 'api'], scope)).toEqual(['api', 'worker']);
    expect(resolveForce([], scope)).toBeUndefined();
  });

  it('rejects unknown targets and filters', () => {
    expect(() => resolveForce(['mobile'], scope)).toThrow(/got unknown mobile/);
    expect(() => parseScope({ api: ['infra'] }, FILTERS)).toThrow(/unknown filter\(s\) infra/);
    expect(() => parseScope({ api: [] }, FILTERS)).toThrow(/must list one or more filter names/);
    expect(() => parseScope(['api'], FILTERS)).toThrow(/must be a YAML mapping/);
  });

  it('makes each filter its own target without a scope', () => {
    expect(selectTargets(identityScope(FILTERS), new Set(['shared']))).toEqual(['shared']);
  });
});
