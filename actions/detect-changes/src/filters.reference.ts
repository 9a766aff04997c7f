/**
 * A plain model of dorny/paths-filter's documented filter semantics, for the
 * differential tests only (not bundled): every rule is picomatch with
 * `{ dot: true }`, optionally limited to change types, and a file matches a
 * filter when some (or every) rule matches it. Nothing fast, nothing clever.
 */
import picomatch from 'picomatch';

interface ReferenceRule {
  statuses?: string[];
  isMatch: (path: string) => boolean;
}

function rules(item: unknown): ReferenceRule[] {
  if (Array.isArray(item)) return item.flatMap(rules);
  if (typeof item === 'string') return [{ isMatch: picomatch(item, { dot: true }) }];
  return Object.entries(item as Record<string, string | string[]>).map(([key, patterns]) => ({
    statuses: key
      .split('|')
      .map((part) => part.trim())
      .filter((part) => part.length > 0)
      .map((part) => part.toLowerCase()),
    isMatch: picomatch(patterns, { dot: true }),
  }));
}

export function referenceMatch(document: Record<string, unknown>, files: readonly { filename: string; status: string }[], quantifier: 'some' | 'every'): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [name, item] of Object.entries(document)) {
    const filterRules = rules(item);
    const applies = (rule: ReferenceRule, file: { filename: string; status: string }) => (rule.statuses === undefined || rule.statuses.includes(file.status)) && rule.isMatch(file.filename);
    result[name] = files.filter((file) => (quantifier === 'every' ? filterRules.every((rule) => applies(rule, file)) : filterRules.some((rule) => applies(rule, file)))).map((file) => file.filename);
  }
  return result;
}

/** gitignore's reading of a flat list (the opt-in): the last glob that matches decides. */
const compiled = new Map<string, (path: string) => boolean>();
export function referenceGitignore(globs: readonly string[], path: string): boolean {
  let included = false;
  for (const glob of globs) {
    const negated = glob.startsWith('!');
    const text = negated ? glob.slice(1) : glob;
    let isMatch = compiled.get(text);
    if (!isMatch) compiled.set(text, (isMatch = picomatch(text, { dot: true })));
    if (isMatch(path)) included = !negated;
  }
  return included;
}
