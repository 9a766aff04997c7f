/** `strategy.matrix` expanded as GitHub documents it: the product of the vectors, minus exclude, plus include. */
import { isDeepStrictEqual } from 'node:util';
import { WorkflowError, type Location } from './errors.js';

export type Combination = Record<string, unknown>;

export function expandMatrix(matrix: unknown, location: Location): Combination[] {
  if (matrix === null || typeof matrix !== 'object' || Array.isArray(matrix)) {
    throw new WorkflowError(`strategy.matrix is ${JSON.stringify(matrix)}: expected a mapping`, location);
  }
  const { include = [], exclude = [], ...vectors } = matrix as Record<string, unknown>;
  for (const [name, list] of [['include', include], ['exclude', exclude]] as const) {
    if (!Array.isArray(list) || list.some((item) => item === null || typeof item !== 'object' || Array.isArray(item))) {
      throw new WorkflowError(`strategy.matrix.${name} must be a list of mappings`, location);
    }
  }
  const keys = Object.keys(vectors);
  let combinations: Combination[] = keys.length > 0 ? [{}] : [];
  for (const key of keys) {
    const values = vectors[key];
    if (!Array.isArray(values)) throw new WorkflowError(`strategy.matrix.${key} must be a list (got ${JSON.stringify(values)})`, location);
    if (values.length === 0) throw new WorkflowError(`Matrix vector '${key}' does not contain any values`, location);
    combinations = combinations.flatMap((combination) => values.map((value) => ({ ...combination, [key]: value })));
  }
  // An exclude entry matches a combination when each of its keys matches (a partial match excludes).
  combinations = combinations.filter((combination) => !(exclude as Combination[]).some((entry) => matches(combination, entry, Object.keys(entry))));
  // An include entry is added to every combination of the product whose original values it does not
  // overwrite (values added by an earlier include may be overwritten); else it is a combination of its
  // own, which later entries do not extend.
  const original = combinations.map((combination) => ({ ...combination }));
  const extra: Combination[] = [];
  for (const entry of include as Combination[]) {
    let added = false;
    original.forEach((values, index) => {
      if (matches(values, entry, keys)) {
        Object.assign(combinations[index]!, entry);
        added = true;
      }
    });
    if (!added) extra.push({ ...entry });
  }
  combinations.push(...extra);
  if (combinations.length === 0) throw new WorkflowError('strategy.matrix produces no job', location);
  if (combinations.length > 256) throw new WorkflowError(`strategy.matrix produces ${combinations.length} jobs; GitHub allows at most 256`, location);
  return combinations;
}

function matches(combination: Combination, entry: Combination, keys: string[]): boolean {
  return Object.entries(entry).every(([key, value]) => !keys.includes(key) || !(key in combination) || isDeepStrictEqual(combination[key], value));
}

/** `build (a, 1)`: GitHub's display name of a matrix leg. */
export function legName(name: string, combination: Combination): string {
  const values = Object.values(combination).map((value) => (typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)));
  return values.length > 0 ? `${name} (${values.join(', ')})` : name;
}
