/**
 * Filters in dorny/paths-filter's syntax and with its meaning, so a team's
 * filter files give the same answers here: a filter is a list of rules (YAML
 * anchors' nested lists flattened); a rule is a glob, or a map of change types
 * (`added|modified: glob or list of globs`). A file matches a filter when some
 * rule matches it (`predicate-quantifier: some`) or every rule does (`every`).
 * Globs are picomatch with `dot: true`; a `!glob` rule is a glob of its own
 * that matches every file outside `glob`.
 *
 * Where that meaning is a trap (a `!glob` ORed with other rules matches nearly
 * every file; an unknown change type never matches) the result is kept and a
 * warning says what it does. `negation: gitignore` is the opt-in reading in
 * which a `!glob` removes what the globs before it in the list added.
 */
import { ConfigurationError } from '@deploy-suite/kit';
import type { ChangeList, ChangedFile } from './changes.js';
import { CHANGE_STATUSES, Input, type NegationMode, type PredicateQuantifier } from './constants.js';
import { compileGlobs, globSet, inGlobSet, selectInGlobSet, needsPicomatch, type GlobSet, type Matcher, type Picomatch } from './glob.js';

export interface FilterOptions {
  quantifier: PredicateQuantifier;
  negation: NegationMode;
}

/** A rule as written: its globs (ORed) and, for a change-type rule, the statuses. */
export interface RuleSpec {
  statuses?: string[];
  globs: string[];
}

export interface FilterSpec {
  name: string;
  rules: RuleSpec[];
}

export interface ParsedFilters {
  filters: FilterSpec[];
  warnings: string[];
  /** Whether some glob needs picomatch itself (load it before compileFilters). */
  needsPicomatch: boolean;
}

export interface Filter {
  name: string;
  matches: (file: ChangedFile) => boolean;
  /** Set when the filter is exactly "the path is in this set" (the common case): matchFilters scans it in one loop. */
  paths?: GlobSet;
}

export interface FilterResult {
  name: string;
  /** The paths of the files the filter matches, in the list's order. */
  paths: string[];
}

const isNegation = (glob: string): boolean => glob.length > 1 && glob.startsWith('!');
const invalid = (message: string) => new ConfigurationError(`input "${Input.Filters}": ${message}`);

export function parseFilters(document: unknown, options: FilterOptions): ParsedFilters {
  // dorny reads any YAML object (a list too: its filters are named 0, 1, ...).
  if (document === null || typeof document !== 'object') {
    throw new ConfigurationError(`input "${Input.Filters}" must be a YAML mapping of filter names to lists of globs, e.g. "backend: ['services/api/**']"`);
  }
  const warnings: string[] = [];
  const filters = Object.entries(document).map(([name, item]) => ({ name, rules: parseItem(name, item) }));
  for (const filter of filters) warnings.push(...filterWarnings(filter, options));
  const globs = filters.flatMap((filter) => filter.rules.flatMap((rule) => rule.globs));
  if (options.negation === 'gitignore') for (const filter of filters) checkGitignoreOrder(filter);
  return { filters, warnings, needsPicomatch: globs.some((glob) => needsPicomatch(options.negation === 'gitignore' && isNegation(glob) ? glob.slice(1) : glob)) };
}

function parseItem(filter: string, item: unknown): RuleSpec[] {
  if (Array.isArray(item)) return item.flatMap((entry) => parseItem(filter, entry));
  if (typeof item === 'string') return [{ globs: [checkGlob(filter, item)] }];
  if (item === null || typeof item !== 'object') {
    throw invalid(`filter "${filter}" has a rule that is neither a glob nor a map of change types to globs: ${JSON.stringify(item)}`);
  }
  return Object.entries(item).map(([changeTypes, patterns]) => {
    if (typeof patterns !== 'string' && !Array.isArray(patterns)) {
      throw invalid(`filter "${filter}": change type "${changeTypes}" must map to a glob or a list of globs, got ${JSON.stringify(patterns)}`);
    }
    const statuses = changeTypes
      .split('|')
      .map((part) => part.trim().toLowerCase())
      .filter((part) => part.length > 0);
    return { statuses, globs: flattenGlobs(filter, changeTypes, patterns) };
  });
}

function flattenGlobs(filter: string, changeTypes: string, patterns: unknown): string[] {
  if (Array.isArray(patterns)) return patterns.flatMap((pattern) => flattenGlobs(filter, changeTypes, pattern));
  if (typeof patterns !== 'string') throw invalid(`filter "${filter}": change type "${changeTypes}" lists ${JSON.stringify(patterns)}, which is not a glob`);
  return [checkGlob(filter, patterns)];
}

function checkGlob(filter: string, glob: string): string {
  if (glob === '') throw invalid(`filter "${filter}" has an empty glob`);
  return glob;
}

function filterWarnings(filter: FilterSpec, options: FilterOptions): string[] {
  const warnings: string[] = [];
  const known = CHANGE_STATUSES as readonly string[];
  for (const status of new Set(filter.rules.flatMap((rule) => rule.statuses ?? []))) {
    if (!known.includes(status)) {
      const guess = status.startsWith('change') || status.startsWith('update') || status.startsWith('edit') ? ` (did you mean "modified"?)` : '';
      warnings.push(
        `filter "${filter.name}": change type "${status}" is not one of ${known.join(', ')}, so its rule never matches (as in dorny/paths-filter)${guess}; ` +
          `join change types with "|", e.g. "added|modified: 'src/**'"`,
      );
    }
  }
  if (filter.rules.some((rule) => rule.statuses !== undefined && rule.statuses.length === 0)) {
    warnings.push(`filter "${filter.name}": a rule has an empty change type, so it never matches; write the change types before the colon, e.g. "added|modified: 'src/**'"`);
  }
  if (options.quantifier === 'every' && filter.rules.length === 0) {
    warnings.push(`filter "${filter.name}" has no rule, so with predicate-quantifier "every" it matches every changed file (as in dorny/paths-filter)`);
  }
  if (options.quantifier === 'some' && options.negation === 'paths-filter') {
    const rules = filter.rules.flatMap((rule) => (rule.globs.length > 1 ? rule.globs.map((glob) => ({ ...rule, globs: [glob] })) : [rule]));
    const negated = rules.filter((rule) => rule.globs.length === 1 && isNegation(rule.globs[0] as string)).map((rule) => rule.globs[0] as string);
    // One lone `!glob` is "everything outside glob", as meant; ORed with anything else it is a trap.
    if (negated.length > 0 && (negated.length < rules.length || negated.length > 1)) {
      warnings.push(
        `filter "${filter.name}": ${negated.map((glob) => `"${glob}"`).join(', ')} ${negated.length > 1 ? 'are rules' : 'is a rule'} of ${negated.length > 1 ? 'their' : 'its'} own, ORed with the filter's other rules, ` +
          `so the filter matches every file ${negated.map((glob) => `outside "${glob.slice(1)}"`).join(' or ')} (as dorny/paths-filter does), not the other globs minus those files. ` +
          `To exclude them from the other globs, set "negation: gitignore" (or predicate-quantifier "every")`,
      );
    }
  }
  return warnings;
}

/** With `negation: gitignore` a `!glob` removes what came before it: it cannot come first. */
function checkGitignoreOrder(filter: FilterSpec): void {
  const first = filter.rules[0];
  const firstGlob = first?.statuses === undefined ? first?.globs[0] : undefined;
  const inner = filter.rules.find((rule) => rule.statuses !== undefined && isNegation(rule.globs[0] as string));
  if ((firstGlob !== undefined && isNegation(firstGlob)) || inner) {
    throw invalid(
      `filter "${filter.name}" starts ${inner ? `a change-type list ` : ''}with the negation "${(inner ? inner.globs[0] : firstGlob) as string}", which with "negation: gitignore" has nothing to remove; ` +
        `list what to include first (e.g. "'**'" for everything)`,
    );
  }
}

/**
 * Matchers for the parsed filters. picomatch must be given when parseFilters
 * said it is needed, or when some path is not plain (isPlainPath: then it decides every glob).
 */
export function compileFilters(parsed: ParsedFilters, options: FilterOptions, picomatch: Picomatch | undefined, plainPaths = true): Filter[] {
  const compile = (globs: readonly string[]): Matcher => compileGlobs(globs, picomatch, plainPaths);
  return parsed.filters.map((filter) => {
    if (options.negation === 'gitignore') return { name: filter.name, matches: gitignoreFilter(filter, compile) };
    // Globs alone under "some": the path decides (the common case, and the fast one).
    if (plainPaths && options.quantifier === 'some' && filter.rules.every((rule) => rule.statuses === undefined)) {
      const paths = globSet(filter.rules.flatMap((rule) => rule.globs), picomatch);
      return { name: filter.name, matches: (file: ChangedFile) => inGlobSet(paths, file.filename), paths };
    }
    return { name: filter.name, matches: pathsFilterFilter(filter, options.quantifier, compile) };
  });
}

interface CompiledRule {
  statuses: readonly string[] | undefined;
  matches: Matcher;
}

/** dorny's meaning: every rule on its own, ORed (some) or ANDed (every). */
function pathsFilterFilter(filter: FilterSpec, quantifier: PredicateQuantifier, compile: (globs: readonly string[]) => Matcher): (file: ChangedFile) => boolean {
  const rules: CompiledRule[] = [];
  // Under "some" every glob without a change type is ORed: one matcher for all of them.
  const plain = quantifier === 'some' ? filter.rules.filter((rule) => rule.statuses === undefined).flatMap((rule) => rule.globs) : [];
  if (plain.length > 0) rules.push({ statuses: undefined, matches: compile(plain) });
  for (const rule of filter.rules) {
    if (quantifier === 'some' && rule.statuses === undefined) continue;
    rules.push({ statuses: rule.statuses, matches: compile(rule.globs) });
  }
  const applies = (rule: CompiledRule, file: ChangedFile): boolean => (rule.statuses === undefined || rule.statuses.includes(file.status)) && rule.matches(file.filename);
  if (quantifier === 'every') return (file) => rules.every((rule) => applies(rule, file));
  if (rules.length === 1 && rules[0]?.statuses === undefined) {
    const only = (rules[0] as CompiledRule).matches;
    return (file) => only(file.filename);
  }
  return (file) => rules.some((rule) => applies(rule, file));
}

interface OrderedEntry {
  include: boolean;
  statuses: readonly string[] | undefined;
  matches: Matcher;
}

/**
 * gitignore's meaning (opt-in): the rules in order, the last one that speaks
 * decides: a glob or change-type rule that matches includes the file, a `!glob`
 * that matches removes it. Runs of the same kind are one matcher.
 */
function gitignoreFilter(filter: FilterSpec, compile: (globs: readonly string[]) => Matcher): (file: ChangedFile) => boolean {
  const steps: { include: boolean; statuses: readonly string[] | undefined; globs: string[] }[] = [];
  for (const rule of filter.rules) {
    for (const glob of rule.globs) {
      const include = !isNegation(glob);
      const text = include ? glob : glob.slice(1);
      // Negations inside a change-type rule remove only files of those change types.
      const last = steps[steps.length - 1];
      if (last && last.include === include && last.statuses === rule.statuses) last.globs.push(text);
      else steps.push({ include, statuses: rule.statuses, globs: [text] });
    }
  }
  const entries: OrderedEntry[] = steps.map((step) => ({ include: step.include, statuses: step.statuses, matches: compile(step.globs) })).reverse();
  return (file) => {
    for (const entry of entries) {
      if ((entry.statuses === undefined || entry.statuses.includes(file.status)) && entry.matches(file.filename)) return entry.include;
    }
    return false;
  };
}

/**
 * The files each filter matches, in the order given. Filter by filter (not
 * file by file): a path-only filter is a GlobSet, whose prefixes are ranges of
 * git's sorted list (glob.ts selectInGlobSet), so on 18,000 files most globs
 * test a fraction of them, in one loop that a cold process optimizes once.
 */
export function matchFilters(filters: readonly Filter[], changes: ChangeList): FilterResult[] {
  const paths = changes.paths;
  const ascending = changes.ascending;
  return filters.map(({ name, matches, paths: set }) => ({
    name,
    paths: set ? selectInGlobSet(set, paths, paths, ascending) : changes.asFiles().filter(matches).map((file) => file.filename),
  }));
}
