/**
 * Deployment scope: which deploy targets a change selects. `scope` maps each
 * target to the filters that select it (`backend: [backend, shared]`); without
 * a scope every filter is its own target. `force` (`all`, or a list of targets)
 * overrides detection, as a manual "full" or "backend-only" deploy does.
 */
import { ConfigurationError } from '@deploy-suite/kit';
import { FORCE_ALL, Input } from './constants.js';

export type Scope = Map<string, string[]>;

export function parseScope(document: unknown, filterNames: readonly string[]): Scope {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    throw new ConfigurationError(`input "${Input.Scope}" must be a YAML mapping of targets to filter names, e.g. "backend: [backend, shared]"`);
  }
  const scope: Scope = new Map();
  for (const [target, value] of Object.entries(document)) {
    const filters = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(filters) || filters.length === 0 || !filters.every((name) => typeof name === 'string')) {
      throw new ConfigurationError(`input "${Input.Scope}": target "${target}" must list one or more filter names`);
    }
    const unknown = filters.filter((name) => !filterNames.includes(name));
    if (unknown.length > 0) {
      throw new ConfigurationError(`input "${Input.Scope}": target "${target}" names unknown filter(s) ${unknown.join(', ')} (filters: ${filterNames.join(', ')})`);
    }
    scope.set(target, filters);
  }
  return scope;
}

/** Each filter is a target of its own when no scope is given. */
export function identityScope(filterNames: readonly string[]): Scope {
  return new Map(filterNames.map((name) => [name, [name]]));
}

/** Validates `force` against the scope's targets; `all` expands to every target. */
export function resolveForce(force: readonly string[], scope: Scope): string[] | undefined {
  if (force.length === 0) return undefined;
  const targets = [...scope.keys()];
  if (force.length === 1 && force[0] === FORCE_ALL) return targets;
  const unknown = force.filter((target) => !scope.has(target));
  if (unknown.length > 0) {
    throw new ConfigurationError(`input "${Input.Force}" must be "${FORCE_ALL}" or a list of targets (${targets.join(', ')}), got unknown ${unknown.join(', ')}`);
  }
  return targets.filter((target) => force.includes(target));
}

/** Targets whose filters matched, in scope order. */
export function selectTargets(scope: Scope, changedFilters: ReadonlySet<string>): string[] {
  return [...scope.entries()].filter(([, filters]) => filters.some((name) => changedFilters.has(name))).map(([target]) => target);
}
