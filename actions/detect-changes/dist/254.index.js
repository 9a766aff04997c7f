export const id = 254;
export const ids = [254];
export const modules = {

/***/ 5254:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  start: () => (/* binding */ start)
});

// EXTERNAL MODULE: ../../packages/kit/src/index.ts + 6 modules
var src = __webpack_require__(7006);
// EXTERNAL MODULE: ./src/constants.ts
var constants = __webpack_require__(4426);
// EXTERNAL MODULE: ../../node_modules/.pnpm/@actions+core@3.0.1_patch_hash=b02558f524b6e67598184b81ecfda6b9eb056a9f37547c24b8906b0f18ee05e2/node_modules/@actions/core/lib/core.js + 5 modules
var core = __webpack_require__(4852);
;// CONCATENATED MODULE: ./src/glob.ts
const PICOMATCH_OPTIONS = { dot: true };
/** A path segment with no character picomatch reads as syntax. */
const LITERAL = /^[^*?[\](){}!+@\\|,"/]+$/;
/** What may follow `*` in a last segment: a literal that is not only dots. */
const SUFFIX = /^[^*?[\](){}!+@\\|,"/]*[^*?[\](){}!+@\\|,"/.][^*?[\](){}!+@\\|,"/]*$/;
/** One `{a,b,c}` of literal alternatives (no nesting, no ranges). */
const BRACES = /^([^{}]*)\{([^{}]*)\}([^{}]*)$/;
const LINE_BREAK = /[\n\r\u2028\u2029]/;
const literalSegments = (segments) => segments.every((segment) => LITERAL.test(segment) && segment !== '.' && segment !== '..');
/** Paths the fast shapes are exact for: git's relative paths without line breaks. */
function isPlainPath(path) {
    return path !== '' && !LINE_BREAK.test(path);
}
/** Whether a text (a path, or git's whole output) holds a line break. */
const hasLineBreak = (text) => LINE_BREAK.test(text);
/**
 * One glob as a string test, or undefined when only picomatch can answer it.
 * The test is exact for plain paths (isPlainPath).
 */
function fastMatcher(glob, ownText = true) {
    if (glob.startsWith('!')) {
        if (glob.startsWith('!(') || glob.startsWith('!!'))
            return undefined;
        // picomatch answers true for the glob's own text, then negates the pattern's regex (which knows no such rule).
        const inner = fastMatcher(glob.slice(1), false);
        return inner && ((path) => path === glob || !inner(path));
    }
    const braces = BRACES.exec(glob);
    if (braces) {
        const [, head, choices, tail] = braces;
        const alternatives = choices.split(',');
        if (alternatives.length < 2 || alternatives.some((choice) => choice === '' || choice.includes('..')))
            return undefined;
        const matchers = alternatives.map((choice) => fastMatcher(`${head}${choice}${tail}`));
        if (matchers.some((matcher) => matcher === undefined))
            return undefined;
        return anyOf(ownText ? [...matchers, (path) => path === glob] : matchers);
    }
    return shapeMatcher(glob);
}
/** Literal prefix segments, an optional `**`, then at most one last segment. */
function shapeOf(glob) {
    if (glob === '' || glob.startsWith('/') || glob.endsWith('/'))
        return undefined;
    const segments = glob.split('/');
    const globstar = segments.indexOf('**');
    const prefixSegments = globstar === -1 ? segments.slice(0, -1) : segments.slice(0, globstar);
    const tailSegments = globstar === -1 ? segments.slice(-1) : segments.slice(globstar + 1);
    if (!literalSegments(prefixSegments) || tailSegments.length > 1)
        return undefined;
    return { prefix: prefixSegments.length > 0 ? `${prefixSegments.join('/')}/` : '', deep: globstar !== -1, tail: tailSegments[0] };
}
/** A literal, `*` or `*suffix` last segment after literal prefix segments, or the same at any depth after `prefix**`. */
function shapeMatcher(glob) {
    const shape = shapeOf(glob);
    if (!shape)
        return undefined;
    return shape.deep ? deepMatcher(shape.prefix, shape.tail) : flatMatcher(shape.prefix, shape.tail);
}
/** `prefix` then one last segment, no `**`. */
function flatMatcher(prefix, tail) {
    if (literalSegments([tail])) {
        const whole = prefix + tail;
        return (path) => path === whole;
    }
    if (tail === '*')
        return (path) => path.length > prefix.length && path.startsWith(prefix) && path.indexOf('/', prefix.length) === -1;
    if (tail.startsWith('*') && SUFFIX.test(tail.slice(1))) {
        const suffix = tail.slice(1);
        const shortest = prefix.length + suffix.length;
        return (path) => path.length >= shortest && path.startsWith(prefix) && path.endsWith(suffix) && path.indexOf('/', prefix.length) === -1;
    }
    return undefined;
}
/** `prefix**` then nothing, or a literal, `*` or `*suffix` last segment at any depth. */
function deepMatcher(prefix, tail) {
    const base = prefix.slice(0, -1);
    if (tail === undefined || tail === '*') {
        if (prefix === '')
            return (path) => path !== '';
        // `dir/**` matches dir itself; `dir/**/*` only what is inside it.
        if (tail === undefined)
            return (path) => path.startsWith(prefix) || path === base;
        return (path) => path.length > prefix.length && path.startsWith(prefix);
    }
    if (tail === '**')
        return undefined;
    if (literalSegments([tail])) {
        const name = `/${tail}`;
        if (prefix === '')
            return (path) => path === tail || path.endsWith(name);
        const direct = prefix + tail;
        return (path) => path === direct || (path.startsWith(prefix) && path.endsWith(name) && path.length > direct.length);
    }
    if (tail.startsWith('*') && SUFFIX.test(tail.slice(1))) {
        const suffix = tail.slice(1);
        if (prefix === '')
            return (path) => path.endsWith(suffix);
        const shortest = prefix.length + suffix.length;
        return (path) => path.length >= shortest && path.startsWith(prefix) && path.endsWith(suffix);
    }
    return undefined;
}
/** OR of matchers, as one loop. */
function anyOf(matchers) {
    if (matchers.length === 1)
        return matchers[0];
    return (path) => {
        for (let index = 0; index < matchers.length; index++)
            if (matchers[index](path))
                return true;
        return false;
    };
}
const pathTest = (prefix, suffix) => ({ prefix, suffix, minLength: Math.max(1, prefix.length + suffix.length) });
/** Whether a plain path (isPlainPath) matches some glob of the set. */
function inGlobSet(set, path) {
    const tests = set.tests;
    for (let index = 0; index < tests.length; index++) {
        const test = tests[index];
        if (path.length >= test.minLength && path.startsWith(test.prefix) && path.endsWith(test.suffix))
            return true;
    }
    if (set.exact.size > 0 && set.exact.has(path))
        return true;
    const others = set.others;
    for (let index = 0; index < others.length; index++)
        if (others[index](path))
            return true;
    return false;
}
/**
 * The items whose paths (paths[i] is items[i]'s) are in the set, in their
 * order. When the paths are in ascending order (git lists them so; isAscending
 * checks) a prefix is a range found by binary search, so a `dir/**` glob never
 * looks at the paths outside dir/, and a lone one is a slice.
 */
function selectInGlobSet(set, paths, items, ascending) {
    if (!ascending || set.others.length > 0)
        return items.filter((_item, index) => inGlobSet(set, paths[index]));
    const ranges = set.tests.map((test) => testRange(test, paths));
    const only = ranges[0];
    if (ranges.length === 1 && set.exact.size === 0 && only)
        return selectInRange(only, paths, items);
    // Several tests: mark what each selects, then collect within the span of the marks.
    const marks = new Uint8Array(paths.length);
    let low = paths.length;
    let high = 0;
    for (const range of ranges) {
        markRange(marks, range, paths);
        low = Math.min(low, range.start);
        high = Math.max(high, range.end);
    }
    for (const path of set.exact) {
        const at = lowerBound(paths, path, 0);
        if (paths[at] !== path)
            continue;
        marks[at] = 1;
        low = Math.min(low, at);
        high = Math.max(high, at + 1);
    }
    const selected = [];
    for (let index = low; index < high; index++)
        if (marks[index] === 1)
            selected.push(items[index]);
    return selected;
}
function testRange(test, paths) {
    if (test.prefix === '')
        return { test, start: 0, end: paths.length };
    const start = lowerBound(paths, test.prefix, 0);
    return { test, start, end: prefixEnd(paths, test.prefix, start) };
}
/**
 * The items of the range that pass the test. Without a suffix every path of
 * the range passes: minLength is then the prefix's length (or 1, and plain
 * paths are never empty).
 */
function selectInRange({ test, start, end }, paths, items) {
    if (test.suffix === '')
        return items.slice(start, end);
    const selected = [];
    for (let index = start; index < end; index++) {
        const path = paths[index];
        if (path.length >= test.minLength && path.endsWith(test.suffix))
            selected.push(items[index]);
    }
    return selected;
}
/** Marks the paths of the range that pass the test (as selectInRange selects them). */
function markRange(marks, { test, start, end }, paths) {
    if (test.suffix === '') {
        marks.fill(1, start, end);
        return;
    }
    for (let index = start; index < end; index++) {
        const path = paths[index];
        if (path.length >= test.minLength && path.endsWith(test.suffix))
            marks[index] = 1;
    }
}
/** Whether the paths are in ascending (JavaScript string) order, each once. */
function isAscending(paths) {
    for (let index = 1; index < paths.length; index++)
        if (!(paths[index - 1] < paths[index]))
            return false;
    return true;
}
/** The first index at or after `from` whose path does not pass `before` (paths passing it come first, as in a sorted list). */
function firstIndexNot(paths, from, before) {
    let low = from;
    let high = paths.length;
    while (low < high) {
        const middle = (low + high) >>> 1;
        if (before(paths[middle]))
            low = middle + 1;
        else
            high = middle;
    }
    return low;
}
/** The first index at or after `from` whose path is not below `value`. */
const lowerBound = (paths, value, from) => firstIndexNot(paths, from, (path) => path < value);
/** From the first path at or above prefix: the end of the run of paths that start with it (in sorted order they are one run). */
const prefixEnd = (paths, prefix, start) => firstIndexNot(paths, start, (path) => path.startsWith(prefix));
/** The GlobSet of a list of globs; exact for plain paths only (isPlainPath). */
function globSet(globs, picomatch) {
    const set = { tests: [], exact: new Set(), others: [] };
    for (const glob of globs)
        if (!addChoices(set, glob) && !addShape(set, glob))
            set.others.push(fastMatcher(glob) ?? picomatchMatcher(glob, picomatch));
    return set;
}
/** `{a,b}` whose every alternative is a shape addShape takes (and the glob's own text, which picomatch matches too). */
function addChoices(set, glob) {
    const braces = BRACES.exec(glob);
    if (!braces || fastMatcher(glob) === undefined)
        return false;
    const [, head, choices, tail] = braces;
    const scratch = { tests: [], exact: new Set([glob]), others: [] };
    if (!choices.split(',').every((choice) => addShape(scratch, `${head}${choice}${tail}`)))
        return false;
    set.tests.push(...scratch.tests);
    for (const path of scratch.exact)
        set.exact.add(path);
    return true;
}
/** The shapes of deepMatcher and a literal, as set entries (the same answers); false for any other glob. */
function addShape(set, glob) {
    const shape = shapeOf(glob);
    if (!shape)
        return false;
    const { prefix, deep, tail } = shape;
    if (!deep) {
        if (tail === undefined || !literalSegments([tail]))
            return false;
        set.exact.add(prefix + tail);
        return true;
    }
    if (tail === undefined) {
        // `**` matches every path; `dir/**` dir itself too.
        set.tests.push(pathTest(prefix, ''));
        if (prefix !== '')
            set.exact.add(prefix.slice(0, -1));
        return true;
    }
    const suffix = literalSegments([tail]) ? `/${tail}` : tail.startsWith('*') && SUFFIX.test(tail.slice(1)) ? tail.slice(1) : undefined;
    if (suffix === undefined)
        return false;
    if (suffix.startsWith('/'))
        set.exact.add(prefix + tail);
    set.tests.push(pathTest(prefix, suffix));
    return true;
}
/** A list of globs ORed, as one test. */
function compileGlobs(globs, picomatch, plainPaths = true) {
    // Paths with line breaks: the string tests are not exact for them, picomatch decides every glob.
    if (!plainPaths)
        return anyOf(globs.map((glob) => picomatchMatcher(glob, picomatch)));
    const set = globSet(globs, picomatch);
    return (path) => inGlobSet(set, path);
}
function picomatchMatcher(glob, picomatch) {
    if (!picomatch)
        throw new Error(`picomatch is needed for ${JSON.stringify(glob)} but was not loaded`);
    return picomatch(glob, PICOMATCH_OPTIONS);
}
/** Whether a glob needs picomatch (so it must be loaded before compiling). */
function needsPicomatch(glob) {
    return fastMatcher(glob) === undefined;
}
/** picomatch itself, loaded on first need (a separate chunk of the bundle). */
async function loadPicomatch() {
    const module = await __webpack_require__.e(/* import() */ 444).then(__webpack_require__.t.bind(__webpack_require__, 6444, 23));
    return module.default;
}

;// CONCATENATED MODULE: ./src/filters.ts
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



const isNegation = (glob) => glob.length > 1 && glob.startsWith('!');
const invalid = (message) => new src/* ConfigurationError */.j1(`input "${constants/* Input */.pd.Filters}": ${message}`);
function parseFilters(document, options) {
    // dorny reads any YAML object (a list too: its filters are named 0, 1, ...).
    if (document === null || typeof document !== 'object') {
        throw new src/* ConfigurationError */.j1(`input "${constants/* Input */.pd.Filters}" must be a YAML mapping of filter names to lists of globs, e.g. "backend: ['services/api/**']"`);
    }
    const warnings = [];
    const filters = Object.entries(document).map(([name, item]) => ({ name, rules: parseItem(name, item) }));
    for (const filter of filters)
        warnings.push(...filterWarnings(filter, options));
    const globs = filters.flatMap((filter) => filter.rules.flatMap((rule) => rule.globs));
    if (options.negation === 'gitignore')
        for (const filter of filters)
            checkGitignoreOrder(filter);
    return { filters, warnings, needsPicomatch: globs.some((glob) => needsPicomatch(options.negation === 'gitignore' && isNegation(glob) ? glob.slice(1) : glob)) };
}
function parseItem(filter, item) {
    if (Array.isArray(item))
        return item.flatMap((entry) => parseItem(filter, entry));
    if (typeof item === 'string')
        return [{ globs: [checkGlob(filter, item)] }];
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
function flattenGlobs(filter, changeTypes, patterns) {
    if (Array.isArray(patterns))
        return patterns.flatMap((pattern) => flattenGlobs(filter, changeTypes, pattern));
    if (typeof patterns !== 'string')
        throw invalid(`filter "${filter}": change type "${changeTypes}" lists ${JSON.stringify(patterns)}, which is not a glob`);
    return [checkGlob(filter, patterns)];
}
function checkGlob(filter, glob) {
    if (glob === '')
        throw invalid(`filter "${filter}" has an empty glob`);
    return glob;
}
function filterWarnings(filter, options) {
    const warnings = [];
    const known = constants/* CHANGE_STATUSES */.ey;
    for (const status of new Set(filter.rules.flatMap((rule) => rule.statuses ?? []))) {
        if (!known.includes(status)) {
            const guess = status.startsWith('change') || status.startsWith('update') || status.startsWith('edit') ? ` (did you mean "modified"?)` : '';
            warnings.push(`filter "${filter.name}": change type "${status}" is not one of ${known.join(', ')}, so its rule never matches (as in dorny/paths-filter)${guess}; ` +
                `join change types with "|", e.g. "added|modified: 'src/**'"`);
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
        const negated = rules.filter((rule) => rule.globs.length === 1 && isNegation(rule.globs[0])).map((rule) => rule.globs[0]);
        // One lone `!glob` is "everything outside glob", as meant; ORed with anything else it is a trap.
        if (negated.length > 0 && (negated.length < rules.length || negated.length > 1)) {
            warnings.push(`filter "${filter.name}": ${negated.map((glob) => `"${glob}"`).join(', ')} ${negated.length > 1 ? 'are rules' : 'is a rule'} of ${negated.length > 1 ? 'their' : 'its'} own, ORed with the filter's other rules, ` +
                `so the filter matches every file ${negated.map((glob) => `outside "${glob.slice(1)}"`).join(' or ')} (as dorny/paths-filter does), not the other globs minus those files. ` +
                `To exclude them from the other globs, set "negation: gitignore" (or predicate-quantifier "every")`);
        }
    }
    return warnings;
}
/** With `negation: gitignore` a `!glob` removes what came before it: it cannot come first. */
function checkGitignoreOrder(filter) {
    const first = filter.rules[0];
    const firstGlob = first?.statuses === undefined ? first?.globs[0] : undefined;
    const inner = filter.rules.find((rule) => rule.statuses !== undefined && isNegation(rule.globs[0]));
    if ((firstGlob !== undefined && isNegation(firstGlob)) || inner) {
        throw invalid(`filter "${filter.name}" starts ${inner ? `a change-type list ` : ''}with the negation "${(inner ? inner.globs[0] : firstGlob)}", which with "negation: gitignore" has nothing to remove; ` +
            `list what to include first (e.g. "'**'" for everything)`);
    }
}
/**
 * Matchers for the parsed filters. picomatch must be given when parseFilters
 * said it is needed, or when some path is not plain (isPlainPath: then it decides every glob).
 */
function compileFilters(parsed, options, picomatch, plainPaths = true) {
    const compile = (globs) => compileGlobs(globs, picomatch, plainPaths);
    return parsed.filters.map((filter) => {
        if (options.negation === 'gitignore')
            return { name: filter.name, matches: gitignoreFilter(filter, compile) };
        // Globs alone under "some": the path decides (the common case, and the fast one).
        if (plainPaths && options.quantifier === 'some' && filter.rules.every((rule) => rule.statuses === undefined)) {
            const paths = globSet(filter.rules.flatMap((rule) => rule.globs), picomatch);
            return { name: filter.name, matches: (file) => inGlobSet(paths, file.filename), paths };
        }
        return { name: filter.name, matches: pathsFilterFilter(filter, options.quantifier, compile) };
    });
}
/** dorny's meaning: every rule on its own, ORed (some) or ANDed (every). */
function pathsFilterFilter(filter, quantifier, compile) {
    const rules = [];
    // Under "some" every glob without a change type is ORed: one matcher for all of them.
    const plain = quantifier === 'some' ? filter.rules.filter((rule) => rule.statuses === undefined).flatMap((rule) => rule.globs) : [];
    if (plain.length > 0)
        rules.push({ statuses: undefined, matches: compile(plain) });
    for (const rule of filter.rules) {
        if (quantifier === 'some' && rule.statuses === undefined)
            continue;
        rules.push({ statuses: rule.statuses, matches: compile(rule.globs) });
    }
    const applies = (rule, file) => (rule.statuses === undefined || rule.statuses.includes(file.status)) && rule.matches(file.filename);
    if (quantifier === 'every')
        return (file) => rules.every((rule) => applies(rule, file));
    if (rules.length === 1 && rules[0]?.statuses === undefined) {
        const only = rules[0].matches;
        return (file) => only(file.filename);
    }
    return (file) => rules.some((rule) => applies(rule, file));
}
/**
 * gitignore's meaning (opt-in): the rules in order, the last one that speaks
 * decides: a glob or change-type rule that matches includes the file, a `!glob`
 * that matches removes it. Runs of the same kind are one matcher.
 */
function gitignoreFilter(filter, compile) {
    const steps = [];
    for (const rule of filter.rules) {
        for (const glob of rule.globs) {
            const include = !isNegation(glob);
            const text = include ? glob : glob.slice(1);
            // Negations inside a change-type rule remove only files of those change types.
            const last = steps[steps.length - 1];
            if (last && last.include === include && last.statuses === rule.statuses)
                last.globs.push(text);
            else
                steps.push({ include, statuses: rule.statuses, globs: [text] });
        }
    }
    const entries = steps.map((step) => ({ include: step.include, statuses: step.statuses, matches: compile(step.globs) })).reverse();
    return (file) => {
        for (const entry of entries) {
            if ((entry.statuses === undefined || entry.statuses.includes(file.status)) && entry.matches(file.filename))
                return entry.include;
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
function matchFilters(filters, changes) {
    const paths = changes.paths;
    const ascending = changes.ascending;
    return filters.map(({ name, matches, paths: set }) => ({
        name,
        paths: set ? selectInGlobSet(set, paths, paths, ascending) : changes.asFiles().filter(matches).map((file) => file.filename),
    }));
}

;// CONCATENATED MODULE: ./src/format.ts
/** Backslash-escapes every character outside a small set of definitely safe ones. */
function backslashEscape(value) {
    return value.replace(/([^a-zA-Z0-9,._+:@%/-])/g, '\\$1');
}
/** A shell argument with as little quoting as possible. */
function shellEscape(value) {
    if (value === '')
        return value;
    if (/^[a-zA-Z0-9,._+:@%/-]+$/m.test(value))
        return value;
    if (value.includes("'")) {
        if (/^[a-zA-Z0-9,._+:@%/'\s-]+$/m.test(value))
            return `"${value}"`;
        return value.split("'").map(shellEscape).join("\\'");
    }
    return `'${value}'`;
}
function csvEscape(value) {
    if (value === '')
        return value;
    if (/^[a-zA-Z0-9._+:@%/-]+$/m.test(value))
        return value;
    return `"${value.replace(/"/g, '""')}"`;
}
function formatFileList(files, format) {
    switch (format) {
        case 'json':
            return JSON.stringify(files);
        case 'csv':
            return files.map(csvEscape).join(',');
        case 'shell':
            return files.map(shellEscape).join(' ');
        case 'escape':
            return files.map(backslashEscape).join(' ');
    }
}

;// CONCATENATED MODULE: ./src/changes.ts
/**
 * The changed files detection found. A list keeps their paths in one array
 * and gives a file's status on demand, rather than holding one object per
 * file: a large diff (18,000 files) is parsed and matched on a cold process,
 * where building and collecting that many objects cost more than the rest of
 * the parse. Objects are built only for what needs a status per file
 * (change-type rules, `every`, the gitignore reading, `log-files`).
 */

class ChangeList {
    paths;
    statusAt;
    files;
    statuses;
    plain;
    sorted;
    /**
     * `statusAt(i)`: the status of `paths[i]`. `known`: what the source already
     * knows of the paths (see plainPaths and ascending), so it is not checked again.
     */
    constructor(paths, statusAt, known = {}) {
        this.paths = paths;
        this.statusAt = statusAt;
        this.plain = known.plainPaths;
        this.sorted = known.ascending;
    }
    static of(files) {
        const list = new ChangeList(files.map((file) => file.filename), (index) => files[index].status);
        list.files = files;
        return list;
    }
    static EMPTY = ChangeList.of([]);
    get length() {
        return this.paths.length;
    }
    /** Whether every path is one the string tests are exact for (glob.ts isPlainPath). */
    get plainPaths() {
        this.plain ??= this.paths.every(isPlainPath);
        return this.plain;
    }
    /** Whether the paths are in ascending (JavaScript string) order, each once (glob.ts isAscending). */
    get ascending() {
        this.sorted ??= isAscending(this.paths);
        return this.sorted;
    }
    /** One object per file, built on first use. */
    asFiles() {
        this.files ??= this.paths.map((filename, index) => ({ filename, status: this.statusAt(index) }));
        return this.files;
    }
    /** The status of a path of the list. */
    statusOf(path) {
        this.statuses ??= new Map(this.paths.map((filename, index) => [filename, this.statusAt(index)]));
        return this.statuses.get(path);
    }
    /** The list followed by `other` (a working tree: tracked changes, then untracked files). */
    concat(other) {
        const split = this.length;
        return new ChangeList([...this.paths, ...other.paths], (index) => (index < split ? this.statusAt(index) : other.statusAt(index - split)));
    }
}

// EXTERNAL MODULE: ./src/git-process.ts + 1 modules
var git_process = __webpack_require__(7439);
;// CONCATENATED MODULE: ./src/git.ts




class GitError extends Error {
    args;
    exitCode;
    stderr;
    name = 'GitError';
    constructor(args, exitCode, stderr) {
        super(`git ${args.join(' ')} failed (exit ${exitCode}): ${stderr.trim().split('\n').slice(-3).join(' ')}`);
        this.args = args;
        this.exitCode = exitCode;
        this.stderr = stderr;
    }
}
const STATUS_BY_LETTER = {
    A: 'added',
    C: 'copied',
    D: 'deleted',
    M: 'modified',
    R: 'renamed',
    T: 'modified',
    U: 'unmerged',
    X: 'modified',
};
const statusOf = (field) => STATUS_BY_LETTER[field.charAt(0)] ?? 'modified';
/** A rename or copy record's status field (a path named like one only sends the parse the long way). */
const RENAME_OR_COPY = /(?:^|\0)[RC][0-9]*\0/;
/**
 * Parses complete `git diff --name-status -z` output: a status, then the path
 * (two paths, old and new, for a rename or copy), each ended by NUL. With
 * renames off every record is a pair: one native split, then the paths are
 * every other field and a status is looked up only when asked for.
 */
function parseNameStatus(output) {
    const end = output.lastIndexOf('\0');
    if (end === -1)
        return ChangeList.EMPTY;
    const text = output.slice(0, end);
    const fields = text.split('\0');
    // Statuses never hold a line break: the text has one exactly when a path does.
    const plain = !hasLineBreak(text);
    if (fields.length % 2 === 1 || fields.includes('') || RENAME_OR_COPY.test(text))
        return parseRecords(fields, plain);
    const paths = new Array(fields.length / 2);
    // isAscending in the same loop: one pass over 18,000 paths instead of two on a cold process.
    let ascending = true;
    for (let index = 0; index < paths.length; index++) {
        const path = fields[2 * index + 1];
        if (ascending && index > 0 && !(paths[index - 1] < path))
            ascending = false;
        paths[index] = path;
    }
    return new ChangeList(paths, (index) => statusOf(fields[2 * index]), { plainPaths: plain, ascending });
}
/** Record by record, for output with renames or copies (their new name is kept). */
function parseRecords(fields, plain) {
    const paths = [];
    const statuses = [];
    for (let index = 0; index < fields.length;) {
        const status = fields[index];
        if (status === '')
            break;
        const renamed = (status.startsWith('R') || status.startsWith('C')) && index + 2 < fields.length;
        const path = fields[renamed ? index + 2 : index + 1];
        if (path === undefined)
            break;
        paths.push(path);
        statuses.push(statusOf(status));
        index += renamed ? 3 : 2;
    }
    return new ChangeList(paths, (index) => statuses[index], { plainPaths: plain });
}
/** NUL-separated output (`-z`) as its fields, without the empty one after the last NUL. */
const nulSeparated = (output) => output.split('\0').filter(Boolean);
const UNREACHABLE_REMOTE = /could not read from remote|unable to access|does not appear to be a git repository|connection refused|could not resolve host|authentication failed|timed out/i;
class Git {
    directory;
    log;
    prefetched;
    /** Resolved commits: a ref that named a commit once still does within one run. */
    commits = new Map();
    constructor(directory, log = () => { }, prefetched) {
        this.directory = directory;
        this.log = log;
        this.prefetched = prefetched;
    }
    /** Runs git (or adopts the same command already started by the prefetch); rejects with GitError on failure. */
    async run(args) {
        const prefetched = this.prefetched?.take(this.directory, args);
        let output = await (prefetched ?? (0,git_process/* startGit */.BE)(this.directory, args));
        // The prefetch ran before any fetch of this run: a commit it lacked (`bad object`) may be here now.
        if (prefetched && output.exitCode !== 0)
            output = await (0,git_process/* startGit */.BE)(this.directory, args);
        if (output.exitCode !== 0)
            throw new GitError(args, output.exitCode, output.stderr);
        return output.stdout;
    }
    /** Like run, but undefined instead of an error (for probes). */
    async tryRun(args) {
        try {
            return await this.run(args);
        }
        catch (error) {
            if (error instanceof GitError)
                return undefined;
            throw error;
        }
    }
    async isRepository() {
        return (await this.tryRun(git_process/* gitCommands */.$f.isRepository()))?.trim() === 'true';
    }
    /** The commit SHA a ref or SHA names locally, or undefined. */
    async resolveCommit(ref) {
        const known = this.commits.get(ref);
        if (known)
            return known;
        const commit = (await this.tryRun(git_process/* gitCommands */.$f.resolveCommit(ref)))?.trim() || undefined;
        // FETCH_HEAD moves with every fetch: never cache it.
        if (commit && ref !== 'FETCH_HEAD')
            this.commits.set(ref, commit);
        return commit;
    }
    async isShallow() {
        return (await this.run(['rev-parse', '--is-shallow-repository'])).trim() === 'true';
    }
    async hasRemote(remote) {
        return (await this.tryRun(['remote', 'get-url', remote])) !== undefined;
    }
    /** Fetches refs or SHAs from the remote; false when the remote does not have them. */
    async fetch(remote, refspecs, options = {}) {
        const args = ['fetch', '--no-tags', '--quiet', '--no-recurse-submodules'];
        if (options.unshallow)
            args.push('--unshallow');
        else if (options.deepen)
            args.push(`--deepen=${options.deepen}`);
        else if (options.depth)
            args.push(`--depth=${options.depth}`);
        args.push(remote, ...refspecs);
        this.log(`git ${args.join(' ')}`);
        try {
            await this.run(args);
            return true;
        }
        catch (error) {
            if (!(error instanceof GitError))
                throw error;
            // A ref the remote lacks is an answer; a remote we cannot reach is a failure to report as such.
            if (UNREACHABLE_REMOTE.test(error.stderr)) {
                const reason = error.stderr.trim().split('\n').find((line) => UNREACHABLE_REMOTE.test(line)) ?? error.stderr.trim();
                throw new src/* ActionFailure */.dR(`cannot fetch from ${remote} to find the commits to compare: ${reason.replace(/^fatal: /, '')}; check the network and the checkout's credentials, or check out enough history (actions/checkout fetch-depth: 0)`);
            }
            return false;
        }
    }
    async mergeBase(a, b) {
        return (await this.tryRun(git_process/* gitCommands */.$f.mergeBase(a, b)))?.trim() || undefined;
    }
    async isAncestor(ancestor, descendant) {
        return (await this.tryRun(['merge-base', '--is-ancestor', ancestor, descendant])) !== undefined;
    }
    /** `git diff base...head`: the changes since their merge base, or undefined when there is none here (a shallow clone). */
    async diffSinceMergeBase(base, head) {
        const output = await this.tryRun(git_process/* gitCommands */.$f.diffSinceMergeBase(base, head));
        return output === undefined ? undefined : parseNameStatus(output);
    }
    /** `git diff base head`, or undefined when git cannot (a commit missing here). */
    async tryDiff(base, head) {
        const output = await this.tryRun(git_process/* gitCommands */.$f.diff(base, head));
        return output === undefined ? undefined : parseNameStatus(output);
    }
    async diff(base, head) {
        return parseNameStatus(await this.run(git_process/* gitCommands */.$f.diff(base, head)));
    }
    /** Uncommitted changes: the working tree and index against HEAD, plus untracked files as added. */
    async diffWorkingTree() {
        const [tracked, untracked] = await Promise.all([
            this.run(['diff', '--no-renames', '--name-status', '-z', 'HEAD', '--']),
            this.run(['ls-files', '-z', '--others', '--exclude-standard']),
        ]);
        return parseNameStatus(tracked).concat(new ChangeList(nulSeparated(untracked), () => 'added'));
    }
    /** Every file in a commit, as added: for a first push, or when no base can be known. */
    async listFiles(commit) {
        return new ChangeList(nulSeparated(await this.run(['ls-tree', '-r', '-z', '--name-only', commit])), () => 'added');
    }
}

// EXTERNAL MODULE: ./src/range-inputs.ts
var range_inputs = __webpack_require__(3394);
;// CONCATENATED MODULE: ./src/inputs.ts




function getInputs() {
    // base, ref, environment and default-branch: the same reading the prefetch used (range-inputs.ts).
    const range = (0,range_inputs/* readRangeInputs */.v)(process.env);
    const token = (0,src/* getOptionalString */.Eq)(constants/* Input */.pd.Token);
    (0,src/* maskSecret */.$l)(token);
    const workingDirectory = (0,src/* resolveInputPath */.qL)(constants/* Input */.pd.WorkingDirectory, (0,src/* getRequiredString */.FZ)(constants/* Input */.pd.WorkingDirectory), { mustBe: 'directory' });
    const filters = getStructuredInside(constants/* Input */.pd.Filters, workingDirectory);
    if (!filters)
        throw new src/* ConfigurationError */.j1(`input "${constants/* Input */.pd.Filters}" is required: inline YAML or the path of a YAML file`);
    const predicateQuantifier = (0,src/* getChoice */.m)(constants/* Input */.pd.PredicateQuantifier, constants/* PREDICATE_QUANTIFIERS */.mo);
    const negation = (0,src/* getChoice */.m)(constants/* Input */.pd.Negation, constants/* NEGATION_MODES */.jx);
    if (negation === 'gitignore' && predicateQuantifier === 'every') {
        throw new src/* ConfigurationError */.j1(`input "${constants/* Input */.pd.Negation}": "gitignore" applies to predicate-quantifier "some"; with "every" a "!glob" rule already excludes what it matches`);
    }
    return {
        filters,
        predicateQuantifier,
        negation,
        listFiles: (0,src/* getChoice */.m)(constants/* Input */.pd.ListFiles, constants/* LIST_FILES_FORMATS */.s_),
        base: range.base,
        ref: range.ref,
        defaultBranch: range.defaultBranch,
        environment: range.environment,
        deploymentTask: (0,src/* getOptionalString */.Eq)(constants/* Input */.pd.DeploymentTask),
        scope: getStructuredInside(constants/* Input */.pd.Scope, workingDirectory),
        force: (0,src/* getList */.vS)(constants/* Input */.pd.Force),
        token,
        workingDirectory,
        logFiles: (0,src/* getBoolean */.pW)(constants/* Input */.pd.LogFiles),
    };
}
/** Inline YAML, or a file that must lie inside the workspace (relative to working-directory). */
function getStructuredInside(name, workingDirectory) {
    const value = core/* getInput */.V4(name, { trimWhitespace: true });
    if (value !== '' && (0,src/* looksLikePath */.j8)(value))
        (0,src/* resolveInputPath */.qL)(name, value, { base: workingDirectory });
    return (0,src/* getStructured */.mA)(name, workingDirectory);
}

// EXTERNAL MODULE: ./src/event.ts
var src_event = __webpack_require__(9335);
;// CONCATENATED MODULE: ./src/range.ts
/**
 * Decides what to compare, per event, and lists the changed files. In order:
 * - `base: HEAD`: uncommitted changes; any other `base`: that branch, tag or
 *   commit (merge base with the head);
 * - `environment`: on every event, the commit of the last successful
 *   deployment to it, diffed tree to tree with the head, so what a failed or
 *   cancelled deploy left out is deployed by the next run, and what the
 *   environment has that the head dropped counts too. A deployed commit that
 *   is gone (history rewritten) counts every file as changed, with a warning;
 * - with no deployment (or no environment), the event's own base:
 *   pull_request: the PR's base (merge base with the head), from git, or from
 *   the REST API when there is no checkout; push: `before` (after a
 *   force-push, the merge base of before and head; on a new branch, the merge
 *   base with the default branch); other events: nothing, every file counts.
 * A shallow clone is deepened until the merge base is found.
 */




const DEEPEN_STEPS = [50, 100, 200, 400, 800];
const deploymentReason = (environment, deployment) => `the last successful deployment to ${environment} (#${deployment.id ?? '?'})`;
const range_short = (sha) => (sha ?? '').slice(0, 7);
class RangeResolver {
    git;
    context;
    request;
    github;
    log;
    warnings = [];
    constructor(git, context, request, github, log) {
        this.git = git;
        this.context = context;
        this.request = request;
        this.github = github;
        this.log = log;
    }
    async detect() {
        const { eventName, payload } = this.context;
        const { base, environment } = this.request;
        const isPullRequest = src_event/* PULL_REQUEST_EVENTS */.m_.has(eventName);
        const headRef = (0,src_event/* headOf */.Uo)(this.context, this.request);
        const direct = (0,src_event/* directRange */.Z4)(this.context, this.request, this.request.remote);
        if (direct) {
            // The common cases (a push, a pull request, a SHA base, a new branch): one diff from the merge base, when the clone has both.
            const describe = (mergeBase, head) => this.directReason(direct, mergeBase, head);
            const fast = direct.ancestor ? await this.tryTreeDiff(direct, describe) : await this.tryDiffFromMergeBase(direct.base, direct.head, describe, direct.baseSource);
            if (fast)
                return fast;
        }
        // The deployment's commit is asked of the API while git answers the rest.
        const deployment = environment && !base ? this.lastDeployment(environment) : undefined;
        if (environment && deployment && src_event/* SHA_PATTERN */.yw.test(headRef)) {
            const deployed = await this.tryDeploymentTreeDiff(environment, await deployment, headRef);
            if (deployed)
                return deployed;
        }
        // Every other path needs these answers: ask git for them at once (resolved commits are cached).
        const [hasRepository] = await Promise.all([
            this.git.isRepository(),
            this.git.resolveCommit(headRef),
            // (before is needed only without a deployment: then it is resolved where used)
            (0,src_event/* isPreviousCommit */.fx)(payload.before) && !deployment ? this.git.resolveCommit(payload.before) : undefined,
        ]);
        if (base === constants/* BASE_WORKING_TREE */.v3)
            return this.fromWorkingTree(hasRepository);
        if (isPullRequest && !base && !hasRepository)
            return this.fromPullRequestApi();
        this.requireRepository(hasRepository, `detecting changes of a ${eventName} event`);
        const head = await this.resolveRef(headRef, constants/* Input */.pd.Ref);
        if (base)
            return this.diffFromMergeBase(await this.resolveRef(base, constants/* Input */.pd.Base), head, `input base "${base}"`, 'input');
        if (environment && deployment) {
            const deployed = await this.fromDeployment(environment, await deployment, head);
            if (deployed)
                return deployed;
        }
        return this.fromEvent(head);
    }
    /** The lookup, started early; a failure surfaces where it is awaited, never as an unhandled rejection. */
    lastDeployment(environment) {
        if (!this.github)
            throw new src/* ConfigurationError */.j1(`input "${constants/* Input */.pd.Token}" is required to read the deployments of environment "${environment}"`);
        const lookup = this.github.lastSuccessfulDeployment(environment);
        lookup.catch(() => undefined);
        return lookup;
    }
    /** The event's own base, when there is no deployment to compare with. */
    async fromEvent(head) {
        const { eventName, payload } = this.context;
        if (src_event/* PULL_REQUEST_EVENTS */.m_.has(eventName)) {
            const pull = payload.pull_request;
            if (!pull?.base?.sha)
                throw new src/* ConfigurationError */.j1(`the ${eventName} event payload has no pull_request.base.sha`);
            const base = await this.requireCommit(pull.base.sha, 'pull_request.base.sha');
            return this.diffFromMergeBase(base, head, `pull request #${pull.number ?? '?'} against ${pull.base.ref ?? 'its base'}`, 'pull-request');
        }
        if (eventName === 'push')
            return this.fromPush(head);
        const why = this.request.environment ? `no successful deployment to "${this.request.environment}" and ` : '';
        this.warnings.push(`${why}a ${eventName} event has no base to compare with: set "${constants/* Input */.pd.Base}" or "${constants/* Input */.pd.Environment}"; every file counts as changed`);
        return this.allFiles(head, `${eventName} without a base`);
    }
    /**
     * The common case of a deployment base: the API names a commit this clone
     * has, and the head is a full SHA too, so their tree diff is the answer and
     * git need not be asked anything else (the prefetch started this very diff).
     * Undefined otherwise: fromDeployment then finds the commit, or says it is gone.
     */
    async tryDeploymentTreeDiff(environment, deployment, head) {
        if (!deployment || !src_event/* SHA_PATTERN */.yw.test(deployment.sha))
            return undefined;
        const files = await this.git.tryDiff(deployment.sha, head);
        if (!files)
            return undefined;
        return this.result({ files, source: 'git', base: deployment.sha.toLowerCase(), baseSource: 'deployment', head: head.toLowerCase(), reason: deploymentReason(environment, deployment) });
    }
    /**
     * The last successful deployment as the base: a tree-to-tree diff (not from
     * the merge base), since the environment holds exactly that commit's files.
     * Undefined when there is no deployment: the caller falls back to the event.
     */
    async fromDeployment(environment, deployment, head) {
        if (!deployment) {
            this.log(`no successful deployment to ${environment} yet: comparing with the ${this.context.eventName} event's own base`);
            return undefined;
        }
        const what = deploymentReason(environment, deployment);
        // Usually the clone has the commit: diff at once, and only on failure look for it.
        const [local, files] = src_event/* SHA_PATTERN */.yw.test(deployment.sha) ? await Promise.all([this.git.resolveCommit(deployment.sha), this.git.diff(deployment.sha, head).catch(() => undefined)]) : [];
        if (local && files)
            return this.result({ files, source: 'git', base: local, baseSource: 'deployment', head, reason: what });
        const deployed = await this.ensureCommit(deployment.sha);
        if (!deployed) {
            this.warnings.push(`${what} is commit ${deployment.sha}, which neither this clone nor its remote has any more (history rewritten by a force-push?): every file counts as changed`);
            return this.allFiles(head, `${what} is gone`);
        }
        return this.result({ files: await this.git.diff(deployed, head), source: 'git', base: deployed, baseSource: 'deployment', head, reason: what });
    }
    async fromPush(head) {
        const before = this.context.payload.before;
        const defaultBranch = this.request.defaultBranch ?? this.context.payload.repository?.default_branch;
        if (!(0,src_event/* isPreviousCommit */.fx)(before)) {
            const compareWith = (0,src_event/* newBranchBase */.CW)(this.context, this.request);
            if (compareWith) {
                const base = await this.defaultBranchCommit(compareWith);
                return this.diffFromMergeBase(base, head, this.newBranchReason(compareWith), 'merge-base');
            }
            return this.allFiles(head, 'first push of the default branch: every file is added');
        }
        const beforeCommit = await this.ensureCommit(before);
        if (!beforeCommit) {
            if (!defaultBranch)
                throw new src/* ConfigurationError */.j1(`the pushed "before" commit ${before} cannot be fetched and the default branch is unknown: set "${constants/* Input */.pd.DefaultBranch}"`);
            this.warnings.push(`the "before" commit ${before.slice(0, 12)} is gone from the remote (force-push?): comparing with the merge base with ${defaultBranch}`);
            const base = await this.defaultBranchCommit(defaultBranch);
            return this.diffFromMergeBase(base, head, `force-push: merge base with ${defaultBranch}`, 'merge-base');
        }
        return this.diffFromMergeBase(beforeCommit, head, '', 'before', (mergeBase) => this.pushReason(mergeBase, head));
    }
    directReason(direct, mergeBase, head) {
        switch (direct.baseSource) {
            case 'input':
                return `input base "${direct.base}"`;
            case 'before':
                return this.pushReason(mergeBase, head);
            case 'merge-base':
                return this.newBranchReason((0,src_event/* newBranchBase */.CW)(this.context, this.request) ?? '');
            default: {
                const pull = this.context.payload.pull_request;
                return `pull request #${pull?.number ?? '?'} against ${pull?.base?.ref ?? 'its base'}`;
            }
        }
    }
    newBranchReason(defaultBranch) {
        return `new branch ${(0,src_event/* branchOf */.W0)(this.context)}: merge base with ${defaultBranch}`;
    }
    pushReason(mergeBase, head) {
        const before = this.context.payload.before;
        return mergeBase === before ? `push ${range_short(before)}..${range_short(head)}` : `force-push: merge base of ${range_short(before)} and ${range_short(head)}`;
    }
    async fromWorkingTree(hasRepository) {
        this.requireRepository(hasRepository, 'base: HEAD compares uncommitted changes');
        const [files, head] = await Promise.all([this.git.diffWorkingTree(), this.git.resolveCommit('HEAD')]);
        return this.result({ files, source: 'working-tree', baseSource: 'input', head, reason: 'uncommitted changes against HEAD' });
    }
    async fromPullRequestApi() {
        const pull = this.context.payload.pull_request;
        if (!pull?.base?.sha)
            throw new src/* ConfigurationError */.j1(`the ${this.context.eventName} event payload has no pull_request.base.sha`);
        if (!this.github)
            throw new src/* ConfigurationError */.j1(`there is no git checkout to compare, so input "${constants/* Input */.pd.Token}" is required to list the pull request's files through the API`);
        if (pull.number === undefined)
            throw new src/* ConfigurationError */.j1('the pull_request payload has no number');
        if (this.request.environment)
            this.log(`no git checkout: listing the pull request's files through the API, not comparing with the deployment to ${this.request.environment}`);
        const tooMany = pull.changed_files !== undefined && pull.changed_files > constants/* PULL_REQUEST_FILES_API_LIMIT */.dN;
        const files = tooMany ? undefined : await this.github.pullRequestFiles(pull.number);
        const common = { source: 'api', base: pull.base.sha, baseSource: 'pull-request', head: pull.head?.sha };
        if (!files) {
            this.warnings.push(`pull request #${pull.number} changes more than ${constants/* PULL_REQUEST_FILES_API_LIMIT */.dN} files, the most the API lists, and there is no checkout to diff: every filter counts as changed`);
            return this.result({ ...common, files: ChangeList.EMPTY, everythingChanged: true, reason: `pull request #${pull.number} (API, too many files)` });
        }
        return this.result({ ...common, files: ChangeList.of(files), reason: `pull request #${pull.number} (API)` });
    }
    async allFiles(head, reason) {
        return this.result({ files: await this.git.listFiles(head), source: 'all-files', baseSource: 'none', head, reason });
    }
    async diffFromMergeBase(base, head, reason, baseSource, describe) {
        const fast = await this.tryDiffFromMergeBase(base, head, (mergeBase) => (describe ? describe(mergeBase) : reason), baseSource);
        if (fast)
            return fast;
        const mergeBase = await this.findMergeBase(base, head);
        if (!mergeBase) {
            this.warnings.push(`${base.slice(0, 12)} and ${head.slice(0, 12)} share no history: comparing their trees directly`);
            return this.result({ files: await this.git.diff(base, head), source: 'git', base, baseSource, head, reason: describe ? describe(base) : reason });
        }
        return this.result({ files: await this.git.diff(mergeBase, head), source: 'git', base: mergeBase, baseSource, head, reason: describe ? describe(mergeBase) : reason });
    }
    /**
     * The merge base and the diff from it, asked of git at once; undefined when
     * either is not answerable here yet (a commit missing, a shallow clone).
     */
    async tryDiffFromMergeBase(base, headRef, describe, baseSource = 'before') {
        // A full SHA that git could diff is a commit: no need to ask git to resolve it.
        const [mergeBase, head, files] = await Promise.all([
            this.git.mergeBase(base, headRef),
            src_event/* SHA_PATTERN */.yw.test(headRef) ? headRef.toLowerCase() : this.git.resolveCommit(headRef),
            this.git.diffSinceMergeBase(base, headRef),
        ]);
        if (mergeBase && head && files)
            return this.result({ files, source: 'git', base: mergeBase, baseSource, head, reason: describe(mergeBase, head) });
        return undefined;
    }
    /** A base known to be an ancestor of the head (its merge base): one tree-to-tree diff, when the clone has both. */
    async tryTreeDiff(direct, describe) {
        const files = await this.git.tryDiff(direct.base, direct.head);
        if (!files)
            return undefined;
        const [base, head] = [direct.base.toLowerCase(), direct.head.toLowerCase()];
        return this.result({ files, source: 'git', base, baseSource: direct.baseSource, head, reason: describe(base, head) });
    }
    /** merge-base, deepening a shallow clone step by step, then unshallowing, until it is found. */
    async findMergeBase(base, head) {
        for (const step of [...DEEPEN_STEPS, 0]) {
            const found = await this.git.mergeBase(base, head);
            if (found)
                return found;
            if (!(await this.git.isShallow()) || !(await this.git.hasRemote(this.request.remote)))
                return undefined;
            if (step === 0) {
                this.log('merge base still not found: fetching the whole history');
                await this.git.fetch(this.request.remote, [], { unshallow: true });
                return this.git.mergeBase(base, head);
            }
            this.log(`shallow clone: deepening by ${step} commits to find the merge base`);
            if (!(await this.git.fetch(this.request.remote, [base, head], { deepen: step })))
                await this.git.fetch(this.request.remote, [], { deepen: step });
        }
        return undefined;
    }
    /** The commit, fetched from the remote when the clone does not have it; undefined when nobody has it. */
    async ensureCommit(ref) {
        const local = await this.git.resolveCommit(ref);
        if (local)
            return local;
        if (!(await this.git.hasRemote(this.request.remote)))
            return undefined;
        const fetched = await this.git.fetch(this.request.remote, [ref], (await this.git.isShallow()) ? { depth: 1 } : {});
        return fetched ? ((await this.git.resolveCommit(ref)) ?? (await this.git.resolveCommit('FETCH_HEAD'))) : undefined;
    }
    async requireCommit(ref, what) {
        const commit = await this.ensureCommit(ref);
        if (!commit)
            throw new src/* ConfigurationError */.j1(`${what}: commit "${ref}" does not exist in the repository or its remote`);
        return commit;
    }
    async defaultBranchCommit(branch) {
        const remoteRef = `refs/remotes/${this.request.remote}/${branch}`;
        const tracked = await this.git.resolveCommit(remoteRef);
        if (tracked)
            return tracked;
        if (await this.git.hasRemote(this.request.remote)) {
            await this.git.fetch(this.request.remote, [`+refs/heads/${branch}:${remoteRef}`], (await this.git.isShallow()) ? { depth: 1 } : {});
            const fetched = await this.git.resolveCommit(remoteRef);
            if (fetched)
                return fetched;
        }
        const local = await this.git.resolveCommit(branch);
        if (!local)
            throw new src/* ConfigurationError */.j1(`the default branch "${branch}" was not found locally or on ${this.request.remote}: set "${constants/* Input */.pd.DefaultBranch}" or "${constants/* Input */.pd.Base}"`);
        return local;
    }
    /**
     * A branch, tag or SHA (`base`, `ref`, the event's head): local, the
     * remote-tracking branch, or fetched from the remote as a branch, a tag or a commit.
     */
    async resolveRef(ref, input) {
        const remote = this.request.remote;
        const isSha = src_event/* SHA_PATTERN */.yw.test(ref);
        for (const candidate of isSha ? [ref] : [ref, `refs/remotes/${remote}/${ref}`, `refs/tags/${ref}`]) {
            const commit = await this.git.resolveCommit(candidate);
            if (commit)
                return commit;
        }
        if (await this.git.hasRemote(remote)) {
            const depth = (await this.git.isShallow()) ? { depth: 1 } : {};
            const refspecs = isSha ? [] : [`+refs/heads/${ref}:refs/remotes/${remote}/${ref}`, `+refs/tags/${ref}:refs/tags/${ref}`];
            for (const refspec of refspecs) {
                if (await this.git.fetch(remote, [refspec], depth)) {
                    const commit = await this.git.resolveCommit(refspec.slice(refspec.indexOf(':') + 1));
                    if (commit)
                        return commit;
                }
            }
            if (await this.git.fetch(remote, [ref], depth)) {
                const commit = (await this.git.resolveCommit(ref)) ?? (await this.git.resolveCommit('FETCH_HEAD'));
                if (commit)
                    return commit;
            }
        }
        const what = input === constants/* Input */.pd.Ref && !this.request.ref ? `the event's head "${ref}"` : `input "${input}": "${ref}"`;
        throw new src/* ConfigurationError */.j1(`${what} is not a branch, tag or commit of this repository or its remote`);
    }
    requireRepository(hasRepository, why) {
        if (!hasRepository) {
            throw new src/* ConfigurationError */.j1(`input "${constants/* Input */.pd.WorkingDirectory}": no git repository there (${why}); check out the repository first (actions/checkout)`);
        }
    }
    result(detection) {
        return { everythingChanged: false, ...detection, warnings: this.warnings };
    }
}

;// CONCATENATED MODULE: ./src/scope.ts
/**
 * Deployment scope: which deploy targets a change selects. `scope` maps each
 * target to the filters that select it (`backend: [backend, shared]`); without
 * a scope every filter is its own target. `force` (`all`, or a list of targets)
 * overrides detection, as a manual "full" or "backend-only" deploy does.
 */


function parseScope(document, filterNames) {
    if (document === null || typeof document !== 'object' || Array.isArray(document)) {
        throw new src/* ConfigurationError */.j1(`input "${constants/* Input */.pd.Scope}" must be a YAML mapping of targets to filter names, e.g. "backend: [backend, shared]"`);
    }
    const scope = new Map();
    for (const [target, value] of Object.entries(document)) {
        const filters = typeof value === 'string' ? [value] : value;
        if (!Array.isArray(filters) || filters.length === 0 || !filters.every((name) => typeof name === 'string')) {
            throw new src/* ConfigurationError */.j1(`input "${constants/* Input */.pd.Scope}": target "${target}" must list one or more filter names`);
        }
        const unknown = filters.filter((name) => !filterNames.includes(name));
        if (unknown.length > 0) {
            throw new src/* ConfigurationError */.j1(`input "${constants/* Input */.pd.Scope}": target "${target}" names unknown filter(s) ${unknown.join(', ')} (filters: ${filterNames.join(', ')})`);
        }
        scope.set(target, filters);
    }
    return scope;
}
/** Each filter is a target of its own when no scope is given. */
function identityScope(filterNames) {
    return new Map(filterNames.map((name) => [name, [name]]));
}
/** Validates `force` against the scope's targets; `all` expands to every target. */
function resolveForce(force, scope) {
    if (force.length === 0)
        return undefined;
    const targets = [...scope.keys()];
    if (force.length === 1 && force[0] === constants/* FORCE_ALL */.E3)
        return targets;
    const unknown = force.filter((target) => !scope.has(target));
    if (unknown.length > 0) {
        throw new src/* ConfigurationError */.j1(`input "${constants/* Input */.pd.Force}" must be "${constants/* FORCE_ALL */.E3}" or a list of targets (${targets.join(', ')}), got unknown ${unknown.join(', ')}`);
    }
    return targets.filter((target) => force.includes(target));
}
/** Targets whose filters matched, in scope order. */
function selectTargets(scope, changedFilters) {
    return [...scope.entries()].filter(([, filters]) => filters.some((name) => changedFilters.has(name))).map(([target]) => target);
}

;// CONCATENATED MODULE: ./src/main.ts











/** Outputs this action adds to dorny/paths-filter's (`changes` and the per-filter ones are dorny's). */
const EXTRA_OUTPUTS = Object.values(constants/* Output */.k7).filter((name) => name !== constants/* Output */.k7.Changes);
/** The GitHub API lookups, loaded on first use: most runs diff with git alone and never load an HTTP client. */
function lazyGitHubLookups(inputs) {
    const repository = process.env.GITHUB_REPOSITORY;
    const token = inputs.token;
    if (!token || !repository)
        return undefined;
    let loading;
    const load = () => (loading ??= __webpack_require__.e(/* import() */ 738).then(__webpack_require__.bind(__webpack_require__, 2738)).then((api) => new api.ApiLookups({ token, repository, log: (line) => core/* info */.pq(line), deploymentTask: inputs.deploymentTask })));
    return {
        pullRequestFiles: async (pullNumber) => (await load()).pullRequestFiles(pullNumber),
        lastSuccessfulDeployment: async (environment) => (await load()).lastSuccessfulDeployment(environment),
    };
}
/** Milliseconds since the process started. Not performance.now(): its first use loads perf_hooks, ~3 ms of a cold run. */
const sinceStart = () => Math.round(process.uptime() * 1000);
/** Finds the changes (inputs → files per filter → outputs, log and summary). */
async function run(prefetched) {
    const started = Date.now();
    const inputs = getInputs();
    const options = { quantifier: inputs.predicateQuantifier, negation: inputs.negation };
    const parsed = parseFilters(inputs.filters.value, options);
    for (const warning of parsed.warnings)
        core/* warning */.$e(warning);
    const filterNames = parsed.filters.map((filter) => filter.name);
    const shadowed = shadowedOutputs(filterNames);
    const scope = inputs.scope ? parseScope(inputs.scope.value, filterNames) : identityScope(filterNames);
    const forced = resolveForce(inputs.force, scope);
    const detecting = Date.now();
    const detection = await (0,src/* phase */.Oi)('Detecting changes', () => detect(inputs, prefetched));
    core/* debug */.Yz(`setup ${detecting - started} ms, detection (git or the API) ${Date.now() - detecting} ms, since process start ${sinceStart()} ms`);
    for (const warning of detection.warnings)
        core/* warning */.$e(warning);
    const matching = Date.now();
    // picomatch only for globs (or paths) the string tests cannot answer exactly.
    const plainPaths = detection.files.plainPaths;
    const picomatch = parsed.needsPicomatch || !plainPaths ? await loadPicomatch() : undefined;
    const filters = compileFilters(parsed, options, picomatch, plainPaths);
    const results = matchFilters(filters, detection.files);
    core/* debug */.Yz(`matching ${detection.files.length} files against ${filters.length} filters: ${Date.now() - matching} ms`);
    const changed = new Set(results.filter((result) => detection.everythingChanged || result.paths.length > 0).map((result) => result.name));
    const targets = forced ?? selectTargets(scope, changed);
    writeOutputs(inputs, detection, results, changed, targets, shadowed);
    logResults(inputs, detection.files, results, changed, targets, forced !== undefined);
    core/* info */.pq(`Done in ${(0,src/* formatDuration */.a3)(Date.now() - started)}.`);
    core/* debug */.Yz(`since process start ${sinceStart()} ms`);
    await summarize(detection, results, changed, targets, forced !== undefined);
}
async function detect(inputs, prefetched) {
    const git = new Git(inputs.workingDirectory, (line) => core/* info */.pq(line), prefetched);
    const resolver = new RangeResolver(git, (0,src_event/* readRunContext */.$p)(process.env), { base: inputs.base, ref: inputs.ref, defaultBranch: inputs.defaultBranch, environment: inputs.environment, remote: constants/* REMOTE */.Bn }, lazyGitHubLookups(inputs), (line) => core/* info */.pq(line));
    const detection = await resolver.detect();
    core/* info */.pq(`Compared ${describeRange(detection)} (${detection.reason}; base: ${detection.baseSource}; source: ${detection.source}): ${detection.everythingChanged ? 'every file counts as changed' : `${detection.files.length} changed files`}`);
    return detection;
}
/** `base..head` in short SHAs, or the head alone when nothing was compared against. */
function describeRange(detection) {
    const head = detection.head?.slice(0, 12) ?? 'n/a';
    return detection.base ? `${detection.base.slice(0, 12)}..${head}` : head;
}
/**
 * Our outputs that a filter's outputs (`name`, `name_count`, `name_files`) take
 * over, with a warning for each. As in dorny/paths-filter, a filter named
 * `changes` also takes over the `changes` list.
 */
function shadowedOutputs(filterNames) {
    const taken = new Map();
    for (const name of filterNames)
        for (const output of Object.values((0,constants/* filterOutputs */.PK)(name)))
            taken.set(output, name);
    const shadowed = new Set();
    for (const output of [constants/* Output */.k7.Changes, ...EXTRA_OUTPUTS]) {
        const filter = taken.get(output);
        if (filter === undefined)
            continue;
        shadowed.add(output);
        const renamed = output === constants/* Output */.k7.Changes ? 'the list of changed filters is not set (as in dorny/paths-filter)' : `this action's "${output}" output is not set`;
        core/* warning */.$e(`filter "${filter}" writes the output "${output}", so ${renamed}; rename the filter (e.g. "${filter}-files") to get both`);
    }
    return shadowed;
}
function writeOutputs(inputs, detection, results, changed, targets, shadowed) {
    const setOutput = (name, value) => {
        if (!shadowed.has(name))
            core/* setOutput */.uH(name, value);
    };
    for (const result of results) {
        const names = (0,constants/* filterOutputs */.PK)(result.name);
        core/* setOutput */.uH(names.matched, String(changed.has(result.name)));
        core/* setOutput */.uH(names.count, detection.everythingChanged ? '' : String(result.paths.length));
        if (inputs.listFiles !== 'none')
            core/* setOutput */.uH(names.files, formatFileList(result.paths, inputs.listFiles));
    }
    setOutput(constants/* Output */.k7.Changes, JSON.stringify(results.filter((result) => changed.has(result.name)).map((result) => result.name)));
    setOutput(constants/* Output */.k7.AnyChanged, String(changed.size > 0));
    setOutput(constants/* Output */.k7.AllChanged, String(results.length > 0 && changed.size === results.length));
    setOutput(constants/* Output */.k7.Targets, JSON.stringify(targets));
    setOutput(constants/* Output */.k7.Base, detection.base ?? '');
    setOutput(constants/* Output */.k7.BaseSource, detection.baseSource);
    setOutput(constants/* Output */.k7.Head, detection.head ?? '');
    setOutput(constants/* Output */.k7.Source, detection.source);
    setOutput(constants/* Output */.k7.FileCount, detection.everythingChanged ? '' : String(detection.files.length));
}
function logResults(inputs, files, results, changed, targets, forced) {
    for (const result of results) {
        const line = `${result.name}: ${changed.has(result.name) ? 'changed' : 'unchanged'} (${result.paths.length} files)`;
        if (inputs.logFiles && result.paths.length > 0) {
            core/* startGroup */.Oh(line);
            for (const path of result.paths)
                core/* info */.pq(`${path} [${files.statusOf(path)}]`);
            core/* endGroup */.N4();
        }
        else {
            core/* info */.pq(line);
        }
    }
    core/* info */.pq(`Targets${forced ? ' (forced)' : ''}: ${targets.length > 0 ? targets.join(', ') : 'none'}`);
}
async function summarize(detection, results, changed, targets, forced) {
    core/* summary */.z.addHeading('Changes detected', 3);
    (0,src/* addTable */.GC)(['Range', 'Why', 'Base from', 'Source', 'Changed files'], [[(0,src/* code */.aY)(describeRange(detection)), detection.reason, detection.baseSource, detection.source, detection.everythingChanged ? 'all (not listed)' : detection.files.length]]);
    (0,src/* addTable */.GC)(['Filter', 'Changed', 'Files'], results.map((result) => [(0,src/* code */.aY)(result.name), changed.has(result.name) ? 'yes' : 'no', detection.everythingChanged ? '-' : result.paths.length]));
    core/* summary */.z.addRaw(`<p><strong>Targets${forced ? ' (forced)' : ''}:</strong> ${targets.length > 0 ? targets.map((target) => (0,src/* code */.aY)(target).html).join(' ') : 'none'}</p>`, true);
    await (0,src/* writeSummary */.Sy)();
}

;// CONCATENATED MODULE: ./src/start.ts
/** The action itself, loaded by index.ts once git has started and the compile cache is on. */



async function start(prefetched) {
    await (0,src/* runAction */.Cs)({ name: constants/* ACTION_NAME */.px, main: () => run(prefetched) });
}


/***/ }),

/***/ 7006:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  dR: () => (/* reexport */ errors/* ActionFailure */.dR),
  j1: () => (/* reexport */ errors/* ConfigurationError */.j1),
  GC: () => (/* reexport */ addTable),
  aY: () => (/* reexport */ code),
  a3: () => (/* reexport */ wait/* formatDuration */.a3),
  pW: () => (/* reexport */ getBoolean),
  m: () => (/* reexport */ getChoice),
  vS: () => (/* reexport */ getList),
  Eq: () => (/* reexport */ getOptionalString),
  FZ: () => (/* reexport */ getRequiredString),
  mA: () => (/* reexport */ getStructured),
  j8: () => (/* reexport */ looksLikePath),
  $l: () => (/* reexport */ secrets/* maskSecret */.$l),
  Oi: () => (/* reexport */ phase),
  qL: () => (/* reexport */ resolveInputPath),
  Cs: () => (/* reexport */ runAction),
  N1: () => (/* reexport */ userAgent),
  Sy: () => (/* reexport */ writeSummary)
});

// UNUSED EXPORTS: DURATION_FORM, ENVIRONMENT_MASK_MIN_LENGTH, WaitTimeoutError, backoffDelay, basicAuthorization, coreLogger, describeError, escapeHtml, getDuration, getInteger, getKeyValues, getOptionalDuration, getOptionalInteger, isExpectedFailure, isInside, maskEnvironmentValue, maskGivenHeaders, maskHeaderValue, maskUrl, parseBoolean, parseChoice, parseDuration, parseInteger, parseKeyValues, parseList, parseRetryAfter, parseYamlText, readEventPayload, redactSecrets, redactSecretsDeep, redactUrl, reportFailure, retry, safeLogText, secretForms, setSafeOutput, sleep, stateStore, waitUntil, withPrefix, workspaceDirectory

// EXTERNAL MODULE: ../../packages/kit/src/errors.ts
var errors = __webpack_require__(3678);
// EXTERNAL MODULE: ../../node_modules/.pnpm/csv-parse@6.2.1/node_modules/csv-parse/lib/sync.js + 8 modules
var sync = __webpack_require__(3639);
// EXTERNAL MODULE: ../../node_modules/.pnpm/js-yaml@4.3.2/node_modules/js-yaml/dist/js-yaml.mjs
var js_yaml = __webpack_require__(6716);
;// CONCATENATED MODULE: ../../packages/kit/src/parse.ts
/**
 * Pure parsers for action input values. Each takes the input's name (for the
 * error) and its raw text, and throws a ConfigurationError that names the input
 * and the accepted form. Nothing here reads the environment.
 */



function invalid(name, expected, got) {
    const shown = got.length > 80 ? `${got.slice(0, 77)}...` : got;
    return new errors/* ConfigurationError */.j1(`input "${name}" must be ${expected}, got "${shown}"`);
}
const TRUE_VALUES = new Set(['true', 'True', 'TRUE']);
const FALSE_VALUES = new Set(['false', 'False', 'FALSE']);
/** YAML 1.2 core schema booleans, as GitHub's own `getBooleanInput` accepts. */
function parseBoolean(name, raw) {
    if (TRUE_VALUES.has(raw))
        return true;
    if (FALSE_VALUES.has(raw))
        return false;
    throw invalid(name, '"true" or "false"', raw);
}
function parse_parseInteger(name, raw, range = {}) {
    const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = range;
    const expected = range.min !== undefined && range.max !== undefined
        ? `an integer from ${min} to ${max}`
        : range.min !== undefined
            ? `an integer of at least ${min}`
            : range.max !== undefined
                ? `an integer of at most ${max}`
                : 'an integer';
    if (!/^[+-]?\d+$/.test(raw))
        throw invalid(name, expected, raw);
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value < min || value > max)
        throw invalid(name, expected, raw);
    return value;
}
const DURATION_UNITS_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
const DURATION_PATTERN = /^(?:(\d+(?:\.\d+)?)(ms|s|m|h))+$/;
const DURATION_PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
const DURATION_FORM = 'a duration such as 500ms, 90s, 10m, 1h or 1h30m';
function parse_parseDuration(name, raw, options = {}) {
    const text = raw.trim();
    let total = 0;
    if (text !== '0') {
        if (!DURATION_PATTERN.test(text))
            throw invalid(name, DURATION_FORM, raw);
        for (const [, amount, unit] of text.matchAll(DURATION_PART)) {
            total += Number(amount) * DURATION_UNITS_MS[unit];
        }
    }
    const ms = Math.round(total);
    if (options.positive && ms <= 0)
        throw invalid(name, `a duration above zero, such as 90s, 10m or 1h`, raw);
    return ms;
}
/** A value from a fixed set; the returned type narrows to that set. */
function parseChoice(name, raw, choices) {
    if (choices.includes(raw))
        return raw;
    throw invalid(name, `one of ${choices.map((choice) => `"${choice}"`).join(', ')}`, raw);
}
/**
 * A list given one item per line, or comma-separated on a line; double quotes
 * keep a comma inside an item (`"a,b", c`). A quote inside an unquoted item is
 * literal (`echo "hi"`). Blank items are dropped.
 */
function parseList(name, raw) {
    const items = [];
    for (const line of raw.split(/\r?\n/)) {
        if (line.trim() === '')
            continue;
        let records;
        try {
            records = (0,sync/* parse */.q)(line, { relax_column_count: true, relax_quotes: true, skip_empty_lines: true, trim: true });
        }
        catch (error) {
            throw new errors/* ConfigurationError */.j1(`input "${name}" must be a list (one item per line or comma-separated, quote items that contain commas): ${error.message}`);
        }
        for (const record of records)
            for (const item of record)
                if (item !== '')
                    items.push(item);
    }
    return items;
}
/**
 * `key=value` lines (the first `=` splits; the value may contain more).
 * Comment lines starting with `#` and blank lines are ignored; a repeated key is an error.
 */
function parse_parseKeyValues(name, raw, options = {}) {
    const entries = new Map();
    raw.split(/\r?\n/).forEach((line, index) => {
        const text = line.trim();
        if (text === '' || text.startsWith('#'))
            return;
        const equals = text.indexOf('=');
        const where = `line ${index + 1}`;
        if (equals <= 0) {
            const shown = options.sensitive ? 'the line is not shown, as its value may be a secret' : `got "${text}"`;
            throw new ConfigurationError(`input "${name}" ${where} must be key=value${options.sensitive ? '; ' : ', '}${shown}`);
        }
        const key = text.slice(0, equals).trim();
        const value = text.slice(equals + 1).trim();
        if (options.keyPattern && !options.keyPattern.test(key)) {
            // A malformed key ("NAME: value=…") can hold part of a value: not shown when values are secret.
            const what = options.sensitive ? 'the key' : `key "${key}"`;
            throw new ConfigurationError(`input "${name}" ${where}: ${what} must be ${options.keyForm ?? `of the form ${options.keyPattern}`}`);
        }
        if (entries.has(key))
            throw new ConfigurationError(`input "${name}" ${where}: key "${key}" is given twice`);
        entries.set(key, value);
    });
    return entries;
}
/** More nodes than any real configuration has: a document past it is an alias bomb or a mistake. */
const MAX_YAML_NODES = 100_000;
/**
 * Parses YAML (and so JSON) text; a syntax error names the input and the line.
 * js-yaml rather than the larger `yaml` package: it loads in a fraction of the
 * time (every action pays that at start) and is what dorny/paths-filter reads
 * filter files with, merge keys and anchors included.
 */
function parseYamlText(name, text, source = 'inline value') {
    let value;
    try {
        // An empty document is null, as in YAML's own terms (js-yaml says undefined).
        value = (0,js_yaml/* load */.Hh)(text, { filename: source }) ?? null;
    }
    catch (error) {
        if (error instanceof js_yaml/* YAMLException */.tB) {
            const where = error.mark ? ` at line ${error.mark.line + 1}, column ${error.mark.column + 1}` : '';
            throw new errors/* ConfigurationError */.j1(`input "${name}" is not valid YAML/JSON (${source}${where}): ${error.reason}`);
        }
        throw error;
    }
    // Aliases are shared, not copied, when loaded; code that walks the value would expand them.
    if (countNodes(value, MAX_YAML_NODES) > MAX_YAML_NODES) {
        throw new errors/* ConfigurationError */.j1(`input "${name}" is not usable YAML (${source}): it expands to more than ${MAX_YAML_NODES} values (aliases nested too deep?)`);
    }
    return value;
}
function countNodes(value, limit) {
    let count = 0;
    const stack = [value];
    while (stack.length > 0 && count <= limit) {
        const node = stack.pop();
        count++;
        if (Array.isArray(node))
            stack.push(...node);
        else if (node !== null && typeof node === 'object')
            stack.push(...Object.values(node));
    }
    return count;
}
/**
 * Decides whether an input holds inline YAML/JSON or names a file: one line
 * without YAML structure (no `:`, no leading `{`, `[` or `-`) is a path.
 */
function looksLikePath(raw) {
    const text = raw.trim();
    return !text.includes('\n') && !/^[{[-]/.test(text) && !/:\s|:$/.test(text);
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ../../node_modules/.pnpm/@actions+core@3.0.1_patch_hash=b02558f524b6e67598184b81ecfda6b9eb056a9f37547c24b8906b0f18ee05e2/node_modules/@actions/core/lib/core.js + 5 modules
var lib_core = __webpack_require__(4852);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
;// CONCATENATED MODULE: ../../packages/kit/src/paths.ts
/**
 * Path inputs stay inside the directory the user works in (the workspace, or a
 * documented base): a relative path that climbs out of it, or a symlink on the
 * way that points out of it, is an input error naming the input. Absolute paths
 * are allowed only where an action says why (e.g. `${{ runner.temp }}`).
 */



function workspaceDirectory(env = process.env) {
    return env.GITHUB_WORKSPACE || process.cwd();
}
/** True when `target` is `directory` or inside it (both absolute, normalised). */
function isInside(directory, target) {
    const relative = external_node_path_default().relative(directory, target);
    return relative === '' || (!relative.startsWith('..') && !external_node_path_default().isAbsolute(relative));
}
/** The real path of the longest existing prefix of `target`, plus the part that does not exist yet. */
function realpathOfExisting(target) {
    let existing = target;
    const rest = [];
    for (;;) {
        try {
            return external_node_path_default().join((0,external_node_fs_.realpathSync)(existing), ...rest);
        }
        catch {
            const parent = external_node_path_default().dirname(existing);
            if (parent === existing)
                return target;
            rest.unshift(external_node_path_default().basename(existing));
            existing = parent;
        }
    }
}
/**
 * Resolves a path input against the base and checks it stays there, symlinks
 * included. Returns the absolute (not symlink-resolved) path.
 */
function resolveInputPath(name, value, options = {}) {
    const base = external_node_path_default().resolve(options.base ?? workspaceDirectory());
    const resolved = external_node_path_default().resolve(base, value);
    const absoluteAllowed = options.allowAbsolute === true && external_node_path_default().isAbsolute(value);
    if (!absoluteAllowed) {
        if (!isInside(base, resolved)) {
            throw new errors/* ConfigurationError */.j1(`input "${name}" must be a path inside the workspace (${base}), got "${value}", which is outside it`);
        }
        const realBase = realpathOfExisting(base);
        if (!isInside(realBase, realpathOfExisting(resolved))) {
            throw new errors/* ConfigurationError */.j1(`input "${name}" must stay inside the workspace (${base}): "${value}" goes through a symlink that points outside it`);
        }
    }
    if (options.mustBe) {
        const stats = (0,external_node_fs_.statSync)(resolved, { throwIfNoEntry: false });
        if (!stats)
            throw new errors/* ConfigurationError */.j1(`input "${name}": no ${options.mustBe === 'any' ? 'file or directory' : options.mustBe} "${value}" in ${base}`);
        if (options.mustBe === 'file' && !stats.isFile())
            throw new errors/* ConfigurationError */.j1(`input "${name}" must be a file, and "${value}" is not one`);
        if (options.mustBe === 'directory' && !stats.isDirectory())
            throw new errors/* ConfigurationError */.j1(`input "${name}" must be a directory, and "${value}" is not one`);
    }
    return resolved;
}

;// CONCATENATED MODULE: ../../packages/kit/src/inputs.ts
/**
 * Input readers: each reads one `INPUT_*` value through @actions/core and
 * hands it to a pure parser in parse.ts. Defaults belong in action.yml; the
 * runner applies them, so an empty value here means "not given".
 */





function raw(name) {
    return lib_core/* getInput */.V4(name, { trimWhitespace: true });
}
function getRequiredString(name) {
    const value = raw(name);
    if (value === '')
        throw new errors/* ConfigurationError */.j1(`input "${name}" is required and was not given`);
    return value;
}
function getOptionalString(name) {
    const value = raw(name);
    return value === '' ? undefined : value;
}
function getBoolean(name) {
    return parseBoolean(name, getRequiredString(name));
}
function getInteger(name, range) {
    return parseInteger(name, getRequiredString(name), range);
}
function getOptionalInteger(name, range) {
    const value = getOptionalString(name);
    return value === undefined ? undefined : parseInteger(name, value, range);
}
/** Milliseconds. */
function getDuration(name, options) {
    return parseDuration(name, getRequiredString(name), options);
}
function getOptionalDuration(name, options) {
    const value = getOptionalString(name);
    return value === undefined ? undefined : parseDuration(name, value, options);
}
function getChoice(name, choices) {
    return parseChoice(name, getRequiredString(name), choices);
}
function getList(name) {
    return parseList(name, raw(name));
}
function getKeyValues(name, options) {
    return parseKeyValues(name, raw(name), options);
}
/**
 * A value given inline as YAML/JSON, or as a path to a file that holds it,
 * relative to (and inside) the workspace or `baseDirectory`. Returns undefined
 * when the input is empty.
 */
function getStructured(name, baseDirectory = workspaceDirectory()) {
    const value = raw(name);
    if (value === '')
        return undefined;
    if (looksLikePath(value)) {
        const file = resolveInputPath(name, value, { base: baseDirectory });
        // A directory would otherwise fail later in readFileSync as an unexplained EISDIR.
        if (!(0,external_node_fs_.statSync)(file, { throwIfNoEntry: false })?.isFile()) {
            throw new errors/* ConfigurationError */.j1(`input "${name}" must be inline YAML/JSON or the path of a file holding it; no file "${value}" in ${baseDirectory}`);
        }
        return { value: parseYamlText(name, (0,external_node_fs_.readFileSync)(file, 'utf8'), `file ${value}`), file };
    }
    return { value: parseYamlText(name, value) };
}

// EXTERNAL MODULE: ../../packages/kit/src/secrets.ts
var secrets = __webpack_require__(4524);
;// CONCATENATED MODULE: ../../packages/kit/src/log.ts
/**
 * Text from outside (a server's answer, an object key, a file name, an error a
 * service sent) printed in the log. The runner reads a line that starts with
 * `::` (after spaces) as a workflow command and `##[` anywhere as a legacy one,
 * so such text could add a mask, open a group or forge an error line, and a
 * line break inside it could fake a line of its own. `safeLogText` makes it one
 * inert line: secrets redacted, control characters and line breaks shown
 * escaped, command markers broken with a zero-width space.
 */


const ZERO_WIDTH_SPACE = '\u200b';
// C0 controls, DEL, C1 controls (NEL among them) and the Unicode line and paragraph separators.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const NAMED_ESCAPES = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
function escapeControl(character) {
    return NAMED_ESCAPES[character] ?? `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
}
function safeLogText(text) {
    return (0,secrets/* redactSecrets */.fp)(text)
        .replace(CONTROL, escapeControl)
        .replace(/##\[/g, `#${ZERO_WIDTH_SPACE}#[`)
        .replace(/^(\s*)::/, `$1:${ZERO_WIDTH_SPACE}:`);
}
/** The one User-Agent every request of the suite carries: AWS SDK clients, the GitHub API and Slack. */
function userAgent(actionName) {
    return `deploy-suite/${actionName}`;
}
/** Each line starts with `prefix` (the item it is about, when several run at once). */
function withPrefix(log, prefix) {
    if (!prefix)
        return log;
    return {
        info: (line) => log.info(prefix + line),
        warning: (line) => log.warning(prefix + line),
        debug: (line) => log.debug(prefix + line),
    };
}
/**
 * The runner's log. Every line goes through safeLogText: logic modules quote
 * text from outside (object keys, service events, a server's messages), and
 * none of it may become a workflow command or a line of its own.
 */
function coreLogger() {
    return {
        info: (line) => core.info(safeLogText(line)),
        warning: (line) => core.warning(safeLogText(line)),
        debug: (line) => core.debug(safeLogText(line)),
    };
}

;// CONCATENATED MODULE: ../../packages/kit/src/run.ts
/**
 * The one lifecycle every action shares: run main (or post), and turn any
 * failure into exactly one `::error::` line prefixed with the action's name.
 * A user mistake or an explained failure reads as one line; an unexpected
 * error adds its stack only when the runner's debug logging is on.
 */



const POST_MARKER = 'deploy-suite-is-post';
let unhandledRejectionReported = false;
async function runAction(lifecycle) {
    const isPost = lib_core/* getState */.Gu(POST_MARKER) === 'true';
    // A promise nobody awaited must still fail the step with the one prefixed line (one listener per process).
    if (!unhandledRejectionReported) {
        unhandledRejectionReported = true;
        process.on('unhandledRejection', (reason) => reportFailure(lifecycle.name, reason));
    }
    try {
        if (isPost) {
            await lifecycle.post?.();
        }
        else {
            if (lifecycle.post)
                lib_core/* saveState */.LZ(POST_MARKER, 'true');
            await lifecycle.main();
        }
    }
    catch (error) {
        reportFailure(lifecycle.name, error);
    }
}
function reportFailure(actionName, error) {
    // An error may quote a server's answer, which may echo a credential or hold a legacy ##[ command.
    const message = safeLogText((0,errors/* describeError */.Uc)(error));
    if ((0,errors/* isExpectedFailure */.$B)(error)) {
        lib_core/* setFailed */.C1(`${actionName}: ${message}`);
    }
    else {
        const hint = lib_core/* isDebug */._o() ? '' : ' (re-run with debug logging enabled for the stack trace)';
        lib_core/* setFailed */.C1(`${actionName}: unexpected error: ${message}${hint}`);
        if (lib_core/* isDebug */._o() && error instanceof Error && error.stack)
            lib_core/* debug */.Yz(error.stack);
    }
    process.exitCode = 1;
}
/**
 * Typed state passed from main to post: values are JSON in GITHUB_STATE.
 * `const state = stateStore<{ startedAt: number }>()`.
 */
function stateStore() {
    return {
        save(key, value) {
            core.saveState(key, JSON.stringify(value));
        },
        load(key) {
            const text = core.getState(key);
            return text === '' ? undefined : JSON.parse(text);
        },
    };
}
/** Runs one phase of the action inside its own collapsible log group. */
function phase(title, task) {
    return lib_core/* group */.Os(title, task);
}

;// CONCATENATED MODULE: ../../packages/kit/src/summary.ts
/**
 * Step-summary helpers. `core.summary` writes table cells as raw HTML, so any
 * text that came from a user, a commit or a service is escaped here first.
 */


const HTML_ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
function escapeHtml(text) {
    return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character]);
}
/** A table whose plain cells are escaped; `{ html }` cells are trusted markup built by the action. */
function addTable(headers, rows) {
    // core.summary writes an empty cell as an unclosed <td>: give it a space instead.
    const toCell = (cell) => (typeof cell === 'object' ? cell.html : escapeHtml(String(cell))) || '&nbsp;';
    return lib_core/* summary */.z.addTable([
        headers.map((header) => ({ data: escapeHtml(header), header: true })),
        ...rows.map((row) => row.map(toCell)),
    ]);
}
/** Inline code, escaped. */
function code(text) {
    return { html: `<code>${escapeHtml(text)}</code>` };
}
/**
 * Writes the summary with every registered secret redacted (a server's answer
 * shown in a table may echo one), downgrading a failure to a warning: a summary
 * is never worth failing a deploy.
 */
async function writeSummary() {
    try {
        const text = lib_core/* summary */.z.stringify();
        const redacted = (0,secrets/* redactSecrets */.fp)(text);
        if (redacted !== text)
            lib_core/* summary */.z.emptyBuffer().addRaw(redacted);
        await lib_core/* summary */.z.write();
    }
    catch (error) {
        lib_core/* warning */.$e(`could not write the step summary: ${error.message}`);
    }
}

// EXTERNAL MODULE: ../../packages/kit/src/wait.ts
var wait = __webpack_require__(1440);
// EXTERNAL MODULE: ../../packages/kit/src/event.ts
var src_event = __webpack_require__(1409);
;// CONCATENATED MODULE: ../../packages/kit/src/index.ts












/***/ }),

/***/ 4524:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $l: () => (/* binding */ maskSecret),
/* harmony export */   fp: () => (/* binding */ redactSecrets)
/* harmony export */ });
/* unused harmony exports secretForms, ENVIRONMENT_MASK_MIN_LENGTH, maskEnvironmentValue, maskHeaderValue, maskGivenHeaders, basicAuthorization, redactSecretsDeep, setSafeOutput, maskUrl, redactUrl */
/* harmony import */ var node_buffer__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4573);
/* harmony import */ var node_buffer__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_buffer__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4852);
/**
 * Secrets must be registered with the runner before anything could print them:
 * the runner then replaces them with *** in every later log line. The runner
 * matches exact text, so each secret is registered in every form it may be
 * printed in (JSON-, HTML- and URL-encoded), and kept here too: outputs are not
 * masked by the runner, so what an action writes to outputs, reports and
 * summaries goes through `redactSecrets`.
 */


/** Every form registered so far (each also sent to the runner once). */
const registered = new Set();
/** The same, longest first, rebuilt when a form is added: a longer form must be replaced before a shorter one inside it. */
let byLength = [];
function register(form) {
    if (form.trim() === '' || registered.has(form))
        return;
    registered.add(form);
    byLength = [...registered].sort((a, b) => b.length - a.length);
    _actions_core__WEBPACK_IMPORTED_MODULE_1__/* .setSecret */ .Pq(form);
}
const JSON_HTML_UNSAFE = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026' };
/**
 * The forms a value takes when a program prints it: raw, inside a JSON string
 * (as JSON.stringify writes it, as Go writes it with < > & escaped too, as PHP
 * writes it with / escaped), HTML-escaped (quotes left alone, or as named,
 * decimal and hex entities: Go, Python, PHP), percent-encoded (and with + for spaces, as forms
 * are). Each distinct form once.
 */
function secretForms(value) {
    const json = JSON.stringify(value).slice(1, -1);
    const html = value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const percent = encodeURIComponent(value);
    return [
        ...new Set([
            value,
            json,
            json.replace(/[<>&]/g, (character) => JSON_HTML_UNSAFE[character]),
            json.replace(/\//g, '\\/'),
            // Text content escapes only & < >; some escapers leave ' alone in attributes too.
            html,
            html.replace(/"/g, '&quot;'),
            html.replace(/"/g, '&quot;').replace(/'/g, '&#39;'),
            html.replace(/"/g, '&#34;').replace(/'/g, '&#39;'),
            html.replace(/"/g, '&quot;').replace(/'/g, '&#x27;'),
            html.replace(/"/g, '&quot;').replace(/'/g, '&#039;'),
            html.replace(/"/g, '&quot;').replace(/'/g, '&apos;'),
            percent,
            percent.replace(/%20/g, '+'),
        ]),
    ];
}
/** Registers a secret in every form it may be printed in, and each of its lines, since the runner masks line by line. */
function maskSecret(value) {
    if (value === undefined || value.trim() === '')
        return;
    for (const form of secretForms(value))
        register(form);
    const lines = value.split(/\r?\n/).map((line) => line.trim());
    if (lines.length > 1)
        for (const line of lines)
            if (line.length >= 4)
                register(line);
}
/** Environment values this long or longer are registered as secrets; shorter ones (`on`, `debug`) would blank common words. */
const ENVIRONMENT_MASK_MIN_LENGTH = 8;
/** Masks an environment variable's value that may be a credential: any value of ENVIRONMENT_MASK_MIN_LENGTH characters or more. */
function maskEnvironmentValue(value) {
    if (value !== undefined && value.trim().length >= ENVIRONMENT_MASK_MIN_LENGTH)
        maskSecret(value);
}
/**
 * Registers a credential sent as an HTTP header value: the whole value and,
 * for `<scheme> <credentials>`, the credentials alone; a Basic value also as
 * its decoded `user:password` and the password.
 */
function maskHeaderValue(value) {
    if (value === undefined || value.trim() === '')
        return;
    maskSecret(value);
    const match = /^\s*([A-Za-z][\w.+-]*)\s+(\S.*?)\s*$/.exec(value);
    if (!match)
        return;
    const [, scheme, credentials] = match;
    maskSecret(credentials);
    if (scheme.toLowerCase() === 'basic' && /^[A-Za-z0-9+/]+={0,2}$/.test(credentials)) {
        const decoded = Buffer.from(credentials, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        if (colon >= 0) {
            maskSecret(decoded);
            maskSecret(decoded.slice(colon + 1));
        }
    }
}
/**
 * Standard headers that describe the content or the client and never carry a
 * credential: their values are left readable (masking `application/json` would
 * blank it everywhere in the log). Every other header is the user's choice and
 * may be a credential whatever its name (`X-Tenant`, a routing secret).
 */
const DESCRIPTIVE_HEADERS = new Set([
    'accept',
    'accept-charset',
    'accept-encoding',
    'accept-language',
    'cache-control',
    'connection',
    'content-encoding',
    'content-language',
    'content-length',
    'content-type',
    'pragma',
    'user-agent',
]);
/**
 * Shorter header values are no credential, and a mask on `1` or `yes` would
 * blank that text everywhere in the job's log.
 */
const MIN_GIVEN_HEADER_SECRET = 4;
/**
 * Registers the values of headers a user gave (a smoke check's `headers`)
 * before any request: every value but those of DESCRIPTIVE_HEADERS and the
 * very short ones, each as `maskHeaderValue` does (schemes, Basic decoded).
 * Returns the values masked.
 */
function maskGivenHeaders(headers) {
    const masked = Object.entries(headers)
        .filter(([name, value]) => !DESCRIPTIVE_HEADERS.has(name.toLowerCase()) && value.trim().length >= MIN_GIVEN_HEADER_SECRET)
        .map(([, value]) => value);
    for (const value of masked)
        maskHeaderValue(value);
    return masked;
}
/** The `Authorization` value for Basic credentials, registered as a secret (with the password) before it is returned. */
function basicAuthorization(username, password) {
    const credentials = Buffer.from(`${username}:${password}`).toString('base64');
    maskSecret(password);
    maskSecret(credentials);
    return `Basic ${credentials}`;
}
/**
 * Text with every registered secret, in every form, replaced by ***: for what
 * the runner does not mask (outputs, files, reports) and for text a server sent
 * back, which may echo a credential in a form of its own choosing.
 */
function redactSecrets(text) {
    let result = text;
    for (const form of byLength)
        if (result.includes(form))
            result = result.split(form).join('***');
    return result;
}
/** Strings inside objects and arrays redacted one by one, so the JSON stays well-formed. */
function redactSecretsDeep(value) {
    if (byLength.length === 0)
        return value;
    return JSON.parse(JSON.stringify(value), (_key, item) => (typeof item === 'string' ? redactSecrets(item) : item));
}
/** Sets a step output with every registered secret redacted: the runner masks the log, never outputs. */
function setSafeOutput(name, value) {
    core.setOutput(name, redactSecrets(value));
}
const SENSITIVE_QUERY_KEYS = /^(?:token|access_token|auth|key|api_key|apikey|sig|signature|password|secret|x-amz-signature|x-amz-credential|x-amz-security-token)$/i;
/**
 * The query's pairs as written. URLSearchParams only gives decoded values, but
 * a printed URL shows the encoded form (a presigned URL's `X-Amz-Credential`
 * holds `%2F`), so both forms must be masked.
 */
function queryPairs(search) {
    return search
        .replace(/^\?/, '')
        .split('&')
        .filter((raw) => raw !== '')
        .map((raw) => {
        const equals = raw.indexOf('=');
        const rawKey = equals < 0 ? raw : raw.slice(0, equals);
        return { raw, rawKey, key: decodeFormComponent(rawKey), rawValue: equals < 0 ? '' : raw.slice(equals + 1) };
    });
}
/**
 * Registers the parts of a URL that are credentials: its password and
 * sensitive query values, each raw and percent-decoded, and, when
 * `wholeUrlIsSecret` (e.g. a Slack webhook whose path is the secret), the URL
 * and its path.
 */
function maskUrl(url, options = {}) {
    if (!url)
        return;
    const parsed = parseUrl(url);
    if (!parsed) {
        maskSecret(url);
        return;
    }
    // A Set: the raw and decoded forms are often the same, and one ::add-mask:: each is enough.
    const secrets = new Set();
    if (parsed.password) {
        secrets.add(parsed.password).add(safeDecode(parsed.password));
        // What a client derives from the user info (curl, undici, smoke-test): `Authorization: Basic base64(user:password)`.
        secrets.add(Buffer.from(`${safeDecode(parsed.username)}:${safeDecode(parsed.password)}`).toString('base64'));
    }
    for (const pair of queryPairs(parsed.search)) {
        if (SENSITIVE_QUERY_KEYS.test(pair.key))
            secrets.add(pair.rawValue).add(decodeFormComponent(pair.rawValue));
    }
    if (options.wholeUrlIsSecret) {
        secrets.add(url).add(parsed.href);
        if (parsed.pathname.length > 1)
            secrets.add(parsed.pathname);
    }
    for (const secret of secrets)
        maskSecret(secret);
}
/** A URL safe to print: the password and sensitive query values replaced by ***; the rest as written. */
function redactUrl(url) {
    const parsed = parseUrl(url);
    if (!parsed)
        return '***';
    if (parsed.password)
        parsed.password = '***';
    const isSecretPair = (pair) => pair.rawValue !== '' && SENSITIVE_QUERY_KEYS.test(pair.key);
    const pairs = queryPairs(parsed.search);
    // Only the secret values change: the other pairs stay byte for byte as written.
    if (pairs.some(isSecretPair))
        parsed.search = pairs.map((pair) => (isSecretPair(pair) ? `${pair.rawKey}=***` : pair.raw)).join('&');
    return parsed.toString().replace(/%2A%2A%2A/g, '***');
}
/**
 * A URL with a host, else undefined. `user:pass@db` without a scheme parses as
 * scheme `user:` with an opaque path, so its password would pass as plain text.
 */
function parseUrl(text) {
    try {
        const parsed = new URL(text);
        return parsed.host === '' && text.includes('@') ? undefined : parsed;
    }
    catch {
        return undefined;
    }
}
function safeDecode(text) {
    try {
        return decodeURIComponent(text);
    }
    catch {
        return text;
    }
}
/** Decodes a query component as URLSearchParams does (`+` is a space). */
function decodeFormComponent(text) {
    return safeDecode(text.replace(/\+/g, ' '));
}


/***/ }),

/***/ 1440:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   L5: () => (/* binding */ retry),
/* harmony export */   a3: () => (/* binding */ formatDuration),
/* harmony export */   mu: () => (/* binding */ parseRetryAfter)
/* harmony export */ });
/* unused harmony exports backoffDelay, sleep, WaitTimeoutError, waitUntil */
/**
 * Polling and retrying with a deadline, exponential backoff with jitter, and
 * progress reported at a steady rate rather than once per poll. No @actions/core
 * here: the caller passes a `progress` sink (core.info in actions).
 */
/** The delay before retry number `attempt` (1-based). */
function backoffDelay(attempt, options) {
    const { initialDelayMs, maxDelayMs, factor = 2, jitter = 0.5, random = Math.random } = options;
    const base = Math.min(maxDelayMs, initialDelayMs * factor ** Math.max(0, attempt - 1));
    const spread = base * Math.min(1, Math.max(0, jitter));
    return Math.round(base - spread + random() * spread);
}
function sleep(ms, signal) {
    return new Promise((resolve, reject) => {
        if (signal?.aborted)
            return reject(signal.reason);
        const timer = setTimeout(() => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
        }, ms);
        const onAbort = () => {
            clearTimeout(timer);
            reject(signal?.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
    });
}
class WaitTimeoutError extends Error {
    description;
    elapsedMs;
    lastStatus;
    name = 'WaitTimeoutError';
    constructor(description, elapsedMs, lastStatus) {
        super(`timed out after ${formatDuration(elapsedMs)} waiting for ${description}${lastStatus ? `; last status: ${lastStatus}` : ''}`);
        this.description = description;
        this.elapsedMs = elapsedMs;
        this.lastStatus = lastStatus;
    }
}
/**
 * Calls `poll` until it reports done or the deadline passes. A poll that throws
 * ends the wait (the caller decides what is retryable inside `poll`).
 */
async function waitUntil(poll, options) {
    const now = options.now ?? Date.now;
    const pause = options.sleep ?? sleep;
    const progressIntervalMs = options.progressIntervalMs ?? 30_000;
    const backoff = {
        initialDelayMs: options.initialDelayMs ?? 2_000,
        maxDelayMs: options.maxDelayMs ?? 15_000,
        factor: options.factor ?? 1.5,
        jitter: options.jitter ?? 0.2,
        ...(options.random ? { random: options.random } : {}),
    };
    const started = now();
    const deadline = started + options.timeoutMs;
    // Progress lines sit on a fixed grid (every interval from the start), so poll delays do not
    // accumulate into drift and a long poll does not cause a burst.
    let nextProgressAt = started + progressIntervalMs;
    let lastStatus;
    for (let attempt = 1;; attempt++) {
        const result = await poll(attempt);
        if (result.done)
            return result.value;
        lastStatus = result.status;
        const current = now();
        if (current >= nextProgressAt) {
            options.progress?.(`Still waiting for ${options.description} (${formatDuration(current - started)} elapsed): ${result.status}`);
            nextProgressAt = started + progressIntervalMs * (Math.floor((current - started) / progressIntervalMs) + 1);
        }
        const remaining = deadline - current;
        if (remaining <= 0)
            throw new WaitTimeoutError(options.description, current - started, lastStatus);
        await pause(Math.min(remaining, backoffDelay(attempt, backoff)));
    }
}
/** Runs `task` until it succeeds, its error is not retryable, or the attempts run out. */
async function retry(task, options) {
    const pause = options.sleep ?? sleep;
    const backoff = {
        initialDelayMs: options.initialDelayMs ?? 500,
        maxDelayMs: options.maxDelayMs ?? 10_000,
        factor: options.factor ?? 2,
        jitter: options.jitter ?? 0.5,
        ...(options.random ? { random: options.random } : {}),
    };
    for (let attempt = 1;; attempt++) {
        try {
            return await task(attempt);
        }
        catch (error) {
            const verdict = options.retryable(error);
            if (attempt >= options.attempts || verdict === false)
                throw error;
            const delayMs = typeof verdict === 'object' ? verdict.afterMs : backoffDelay(attempt, backoff);
            options.onRetry?.(error, attempt, delayMs);
            await pause(delayMs);
        }
    }
}
/** `1h 2m`, `3m 05s`, `12.3s`, `450ms`. */
function formatDuration(ms) {
    if (Math.round(ms) < 1_000)
        return `${Math.round(ms)}ms`;
    // 59.96 s would print as "60.0s": round to tenths before choosing the unit.
    if (Math.round(ms / 100) < 600)
        return `${(ms / 1_000).toFixed(1)}s`;
    const totalSeconds = Math.round(ms / 1_000);
    const hours = Math.floor(totalSeconds / 3_600);
    const minutes = Math.floor((totalSeconds % 3_600) / 60);
    const seconds = totalSeconds % 60;
    return hours > 0 ? `${hours}h ${minutes}m` : `${minutes}m ${String(seconds).padStart(2, '0')}s`;
}
/**
 * An HTTP Retry-After header in milliseconds: delta-seconds (`120`, also `0.5`)
 * or an HTTP date (relative to `now`); undefined when absent or unreadable.
 */
function parseRetryAfter(value, now = Date.now()) {
    const text = (Array.isArray(value) ? value[0] : value)?.trim();
    if (!text)
        return undefined;
    if (/^\d+(?:\.\d+)?$/.test(text))
        return Math.round(Number(text) * 1_000);
    // An HTTP date names its weekday and month; Date.parse would also read "-3" as a year.
    const date = /[a-z]/i.test(text) ? Date.parse(text) : Number.NaN;
    return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}


/***/ })

};
