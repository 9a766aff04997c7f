import * as core from '@actions/core';
import {
  ConfigurationError,
  getBoolean,
  getChoice,
  getList,
  getOptionalString,
  getRequiredString,
  getStructured,
  looksLikePath,
  maskSecret,
  resolveInputPath,
  type StructuredValue,
} from '@deploy-suite/kit';
import { readRangeInputs } from './range-inputs.js';
import { Input, LIST_FILES_FORMATS, NEGATION_MODES, PREDICATE_QUANTIFIERS, type ListFilesFormat, type NegationMode, type PredicateQuantifier } from './constants.js';

export interface Inputs {
  filters: StructuredValue;
  predicateQuantifier: PredicateQuantifier;
  negation: NegationMode;
  listFiles: ListFilesFormat;
  base: string | undefined;
  ref: string | undefined;
  defaultBranch: string | undefined;
  environment: string | undefined;
  /** Only deployments with this task count as the base (those the pipeline records); undefined: any. */
  deploymentTask: string | undefined;
  scope: StructuredValue | undefined;
  force: string[];
  token: string | undefined;
  workingDirectory: string;
  logFiles: boolean;
}

export function getInputs(): Inputs {
  // base, ref, environment and default-branch: the same reading the prefetch used (range-inputs.ts).
  const range = readRangeInputs(process.env);
  const token = getOptionalString(Input.Token);
  maskSecret(token);
  const workingDirectory = resolveInputPath(Input.WorkingDirectory, getRequiredString(Input.WorkingDirectory), { mustBe: 'directory' });
  const filters = getStructuredInside(Input.Filters, workingDirectory);
  if (!filters) throw new ConfigurationError(`input "${Input.Filters}" is required: inline YAML or the path of a YAML file`);
  const predicateQuantifier = getChoice(Input.PredicateQuantifier, PREDICATE_QUANTIFIERS);
  const negation = getChoice(Input.Negation, NEGATION_MODES);
  if (negation === 'gitignore' && predicateQuantifier === 'every') {
    throw new ConfigurationError(`input "${Input.Negation}": "gitignore" applies to predicate-quantifier "some"; with "every" a "!glob" rule already excludes what it matches`);
  }
  return {
    filters,
    predicateQuantifier,
    negation,
    listFiles: getChoice(Input.ListFiles, LIST_FILES_FORMATS),
    base: range.base,
    ref: range.ref,
    defaultBranch: range.defaultBranch,
    environment: range.environment,
    deploymentTask: getOptionalString(Input.DeploymentTask),
    scope: getStructuredInside(Input.Scope, workingDirectory),
    force: getList(Input.Force),
    token,
    workingDirectory,
    logFiles: getBoolean(Input.LogFiles),
  };
}

/** Inline YAML, or a file that must lie inside the workspace (relative to working-directory). */
function getStructuredInside(name: string, workingDirectory: string): StructuredValue | undefined {
  const value = core.getInput(name, { trimWhitespace: true });
  if (value !== '' && looksLikePath(value)) resolveInputPath(name, value, { base: workingDirectory });
  return getStructured(name, workingDirectory);
}
