export const ACTION_NAME = 'detect-changes';

export const Input = {
  Filters: 'filters',
  PredicateQuantifier: 'predicate-quantifier',
  ListFiles: 'list-files',
  Base: 'base',
  Ref: 'ref',
  DefaultBranch: 'default-branch',
  Environment: 'environment',
  DeploymentTask: 'deployment-task',
  Scope: 'scope',
  Force: 'force',
  Token: 'token',
  WorkingDirectory: 'working-directory',
  LogFiles: 'log-files',
  Negation: 'negation',
} as const;

export const Output = {
  Changes: 'changes',
  AnyChanged: 'any_changed',
  AllChanged: 'all_changed',
  Targets: 'targets',
  Base: 'base',
  Head: 'head',
  Source: 'source',
  FileCount: 'files-count',
  BaseSource: 'base-source',
} as const;

/** Per-filter output names, as dorny/paths-filter names them. */
export const filterOutputs = (filter: string) => ({ matched: filter, count: `${filter}_count`, files: `${filter}_files` });

export const PREDICATE_QUANTIFIERS = ['some', 'every'] as const;
export const LIST_FILES_FORMATS = ['none', 'json', 'csv', 'shell', 'escape'] as const;
/** dorny/paths-filter's change types, and the API's "unchanged". */
export const CHANGE_STATUSES = ['added', 'copied', 'deleted', 'modified', 'renamed', 'unmerged', 'unchanged'] as const;
/** How a `!glob` reads: dorny/paths-filter's rule of its own, or gitignore's removal of what came before. */
export const NEGATION_MODES = ['paths-filter', 'gitignore'] as const;

export type PredicateQuantifier = (typeof PREDICATE_QUANTIFIERS)[number];
export type ListFilesFormat = (typeof LIST_FILES_FORMATS)[number];
export type ChangeStatus = (typeof CHANGE_STATUSES)[number];
export type NegationMode = (typeof NEGATION_MODES)[number];

/** `force: all` selects every target. */
export const FORCE_ALL = 'all';
/** `base: HEAD` compares the working tree (uncommitted changes) with the last commit. */
export const BASE_WORKING_TREE = 'HEAD';

/** The GitHub REST API lists at most this many files of a pull request. */
export const PULL_REQUEST_FILES_API_LIMIT = 3000;

/** The remote whose branches a checkout tracks (actions/checkout names it origin). */
export const REMOTE = 'origin';
