/**
 * Filters in dorny/paths-filter's syntax, with its semantics, so teams keep
 * their filter files: a filter is a list of rules; a rule is a glob, or a map
 * of change types (`added|modified: glob`) to globs; nested lists (YAML anchors)
 * are flattened. A file matches a filter when some rule matches it
 * (`predicate-quantifier: some`) or when every rule does (`every`). Globs are
 * picomatch with `dot: true`, as there.
 */
import picomatch from 'picomatch';
import { ConfigurationError } from '@deploy-suite/kit';
import { CHANGE_STATUSES, Input, type ChangeStatus, type PredicateQuantifier } from './constants.js';

export interface ChangedFile {
  filename: string;
  status: ChangeStatus;
}

interface Rule {
  statuses?: readonly ChangeStatus[];
  isMatch: (path: string) => boolean;
}

export interface Filter {
  name: string;
  rules: Rule[];
}

export interface FilterResult {
  name: string;
  files: ChangedFile[];
}

/** GitHub output names: letters, digits, `_` and `-`, not starting with a digit or `-`. */
const OUTPUT_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const GLOB_OPTIONS = { dot: true } as const;
const SPECIAL = /[\\{}()[\]!*?+@]/;

export function parseFilters(document: unknown, quantifier: PredicateQuantifier): Filter[] {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    throw new ConfigurationError(`input "${Input.Filters}" must be a YAML mapping of filter names to lists of globs, e.g. "backend: ['services/api/**']"`);
  }
  const filters: Filter[] = [];
  for (const [name, item] of Object.entries(document)) {
    if (!OUTPUT_NAME.test(name)) {
      throw new ConfigurationError(
        `input "${Input.Filters}": filter name "${name}" cannot be an output name (use letters, digits, "_" and "-", starting with a letter or "_")`,
      );
    }
    const rules = quantifier === 'every' ? parseRulesEach(name, item) : parseRulesGrouped(name, item);
    filters.push({ name, rules });
  }
  if (filters.length === 0) throw new ConfigurationError(`input "${Input.Filters}" defines no filter`);
  return filters;
}

/** `every`: one rule per glob, so `!glob` rules subtract (all must hold). */
function parseRulesEach(filter: string, item: unknown): Rule[] {
  if (Array.isArray(item)) return item.flatMap((entry) => parseRulesEach(filter, entry));
  if (typeof item === 'string') return [{ isMatch: compileGlob(filter, item) }];
  return parseStatusRules(filter, item, (patterns) => compileGlob(filter, patterns));
}

/**
 * `some`: the bare globs of a list (anchors flattened) form one gitignore-style
 * rule: a positive glob matches and no `!` glob does. Matching each `!glob` on
 * its own would make a lone `!docs/**` match nearly every file.
 */
function parseRulesGrouped(filter: string, item: unknown): Rule[] {
  if (typeof item === 'string') return [{ isMatch: compileGlob(filter, item) }];
  if (!Array.isArray(item)) return parseStatusRules(filter, item, (patterns) => groupedMatcher(filter, patterns));
  const globs: string[] = [];
  const others: Rule[] = [];
  const collect = (entry: unknown): void => {
    if (Array.isArray(entry)) entry.forEach(collect);
    else if (typeof entry === 'string') globs.push(entry);
    else others.push(...parseStatusRules(filter, entry, (patterns) => groupedMatcher(filter, patterns)));
  };
  item.forEach(collect);
  const rules: Rule[] = globs.length > 0 ? [{ isMatch: groupedMatcher(filter, globs) }] : [];
  rules.push(...others);
  if (rules.length === 0) throw new ConfigurationError(`input "${Input.Filters}": filter "${filter}" has no glob`);
  return rules;
}

function parseStatusRules(filter: string, item: unknown, compile: (patterns: string | string[]) => (path: string) => boolean): Rule[] {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) {
    throw new ConfigurationError(
      `input "${Input.Filters}": filter "${filter}" has a rule that is neither a glob nor a map of change types to globs: ${JSON.stringify(item)}`,
    );
  }
  return Object.entries(item).map(([changeTypes, patterns]) => {
    if (typeof patterns !== 'string' && !(Array.isArray(patterns) && patterns.every((pattern) => typeof pattern === 'string'))) {
      throw new ConfigurationError(`input "${Input.Filters}": filter "${filter}": "${changeTypes}" must map to a glob or a list of globs`);
    }
    return { statuses: parseChangeTypes(filter, changeTypes), isMatch: compile(patterns) };
  });
}

/** `!(...)` is an extglob, not a negation. */
function isNegation(glob: string): boolean {
  return glob.length > 1 && glob.startsWith('!') && !glob.startsWith('!(');
}

function groupedMatcher(filter: string, patterns: string | string[]): (path: string) => boolean {
  if (typeof patterns === 'string') return compileGlob(filter, patterns);
  const positives = patterns.filter((glob) => !isNegation(glob));
  const negatives = patterns.filter(isNegation).map((glob) => glob.slice(1));
  if (positives.length === 0) {
    throw new ConfigurationError(`input "${Input.Filters}": filter "${filter}" has only negated globs; add a glob of what to include`);
  }
  const include = compileGlob(filter, positives);
  if (negatives.length === 0) return include;
  const exclude = compileGlob(filter, negatives);
  return (path) => include(path) && !exclude(path);
}

function parseChangeTypes(filter: string, text: string): ChangeStatus[] {
  const statuses = text
    .split('|')
    .map((part) => part.trim().toLowerCase())
    .filter((part) => part.length > 0);
  for (const status of statuses) {
    if (!(CHANGE_STATUSES as readonly string[]).includes(status)) {
      throw new ConfigurationError(
        `input "${Input.Filters}": filter "${filter}" has unknown change type "${status}" (expected ${CHANGE_STATUSES.join(', ')}, joined with "|")`,
      );
    }
  }
  if (statuses.length === 0) throw new ConfigurationError(`input "${Input.Filters}": filter "${filter}" has an empty change type`);
  return statuses as ChangeStatus[];
}

function compileGlob(filter: string, patterns: string | string[]): (path: string) => boolean {
  try {
    return combine((Array.isArray(patterns) ? patterns : [patterns]).map(compileOne));
  } catch (error) {
    throw new ConfigurationError(`input "${Input.Filters}": filter "${filter}" has an invalid glob ${JSON.stringify(patterns)}: ${(error as Error).message}`);
  }
}

/**
 * How one glob is tested. The two commonest shapes need no regular expression
 * for the paths git lists (relative, without "." or ".." segments): `dir/**` is a
 * prefix, and an extension anywhere (double star, slash, star, .ext) a suffix. Others
 * keep a cheap pre-check before the regex.
 */
type GlobTest = { kind: 'under'; prefix: string; base: string } | { kind: 'endsWith'; suffix: string } | { kind: 'match'; matches: (path: string) => boolean };

function compileOne(pattern: string): GlobTest {
  // The bare regular expression: picomatch's own matcher builds a result object per call.
  const regex = picomatch.makeRe(pattern, GLOB_OPTIONS);
  const matches = (path: string): boolean => path !== '' && regex.test(path);
  const { base, isGlob, negated, glob } = picomatch.scan(pattern);
  if (negated || !isGlob) return { kind: 'match', matches };
  const prefix = base !== '' && !/^[./]/.test(base) && !SPECIAL.test(base) ? `${base}/` : undefined;
  // The literal end of the glob (`.md` of `**/*.md`) must end the path too.
  const suffix = /[^*?\])}!+@/\\]+$/.exec(glob)?.[0];
  if (prefix && glob === '**') return { kind: 'under', prefix, base };
  if (base === '' && suffix && glob === `**/*${suffix}`) return { kind: 'endsWith', suffix };
  if (prefix && suffix) return { kind: 'match', matches: (path) => (path.startsWith(prefix) || path === base) && path.endsWith(suffix) && matches(path) };
  if (prefix) return { kind: 'match', matches: (path) => (path.startsWith(prefix) || path === base) && matches(path) };
  if (suffix) return { kind: 'match', matches: (path) => path.endsWith(suffix) && matches(path) };
  return { kind: 'match', matches };
}

/** One function for a list of globs: plain loops over prefixes and suffixes, then the regexes. */
function combine(tests: readonly GlobTest[]): (path: string) => boolean {
  const prefixes: string[] = [];
  const bases = new Set<string>();
  const suffixes: string[] = [];
  const others: ((path: string) => boolean)[] = [];
  for (const test of tests) {
    if (test.kind === 'under') {
      prefixes.push(test.prefix);
      bases.add(test.base);
    } else if (test.kind === 'endsWith') {
      suffixes.push(test.suffix);
    } else {
      others.push(test.matches);
    }
  }
  if (prefixes.length === 0 && suffixes.length === 0 && others.length === 1) return others[0] as (path: string) => boolean;
  return (path) => {
    for (let index = 0; index < prefixes.length; index++) if (path.startsWith(prefixes[index] as string)) return true;
    if (bases.has(path)) return true;
    for (let index = 0; index < suffixes.length; index++) if (path.endsWith(suffixes[index] as string)) return true;
    for (let index = 0; index < others.length; index++) if ((others[index] as (path: string) => boolean)(path)) return true;
    return false;
  };
}

/**
 * The files each filter matches. Filter by filter (not file by file) so each
 * filter's test runs hot over every file: on a cold process matching 18,000
 * files this order is what keeps it cheap.
 */
export function matchFilters(filters: readonly Filter[], files: readonly ChangedFile[], quantifier: PredicateQuantifier): FilterResult[] {
  const every = quantifier === 'every';
  return filters.map(({ name, rules }) => {
    let candidates: readonly ChangedFile[] = files;
    if (every) {
      // Each rule narrows what the previous ones kept.
      for (const rule of rules) candidates = candidates.filter((file) => ruleApplies(rule, file));
      return { name, files: [...candidates] };
    }
    if (rules.length === 1) return { name, files: files.filter((file) => ruleApplies(rules[0] as Rule, file)) };
    return { name, files: files.filter((file) => rules.some((rule) => ruleApplies(rule, file))) };
  });
}

function ruleApplies(rule: Rule, file: ChangedFile): boolean {
  return (rule.statuses === undefined || rule.statuses.includes(file.status)) && rule.isMatch(file.filename);
}
