import {
  ConfigurationError,
  getBoolean,
  getChoice,
  getDuration,
  getInteger,
  getOptionalString,
  getStructured,
  maskEnvironmentValue,
} from '@deploy-suite/kit';
import { FUNCTION_INPUT_NAMES, FunctionInput, ROLLBACK_CHOICES, StepInput, type RollbackMode } from './constants.js';
import { sourcePath } from './source-path.js';
import { mergeFunctionEntries, parseFunctionSpec, type FunctionSpec, type RawFunctionInputs } from './spec.js';

export interface Inputs {
  functions: FunctionSpec[];
  parallel: number;
  rollback: RollbackMode;
  wait: boolean;
  waitTimeoutMs: number;
  region: string | undefined;
}

function stepFunctionInputs(): RawFunctionInputs {
  const raw: RawFunctionInputs = {};
  for (const name of FUNCTION_INPUT_NAMES) {
    // Read with its newlines: environment is KEY=value lines.
    const value = getOptionalString(name);
    if (value !== undefined) raw[name] = value;
  }
  return raw;
}

/** Environment values may be secrets: registered before anything could print them. */
function maskEnvironment(specs: readonly FunctionSpec[]): void {
  for (const spec of specs) for (const value of spec.configuration.environment.values()) maskEnvironmentValue(value);
}

function readFunctions(step: RawFunctionInputs): FunctionSpec[] {
  const functions = getStructured(StepInput.Functions);
  if (functions === undefined) return [parseFunctionSpec(step)];
  if (step[FunctionInput.FunctionName] !== undefined) {
    throw new ConfigurationError(`give "${FunctionInput.FunctionName}" for one function or "${StepInput.Functions}" for several, not both`);
  }
  return mergeFunctionEntries(StepInput.Functions, functions.value, step, FUNCTION_INPUT_NAMES).map(({ label, raw }) => parseFunctionSpec(raw, label));
}

/** The values of KEY=value lines, masked before they are parsed (a parse error must not be where one shows). */
function maskEnvironmentText(text: string | undefined): void {
  for (const line of (text ?? '').split(/\r?\n/)) {
    const value = line.slice(line.indexOf('=') + 1).trim();
    if (line.includes('=')) maskEnvironmentValue(value);
  }
}

export function getInputs(): Inputs {
  const step = stepFunctionInputs();
  maskEnvironmentText(step[FunctionInput.Environment]);
  const functions = readFunctions(step);
  maskEnvironment(functions);
  // Path mistakes are input errors, found before any AWS request (whose failure would hide them).
  for (const spec of functions) sourcePath(spec);
  return {
    functions,
    parallel: getInteger(StepInput.Parallel, { min: 1, max: 32 }),
    rollback: getChoice(StepInput.Rollback, ROLLBACK_CHOICES),
    wait: getBoolean(StepInput.Wait),
    waitTimeoutMs: getDuration(StepInput.WaitTimeout, { positive: true }),
    region: getOptionalString(StepInput.Region),
  };
}
