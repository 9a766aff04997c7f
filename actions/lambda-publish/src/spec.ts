/**
 * What to do for one function, from raw input text: the step's inputs, or a
 * `functions` entry merged over them. Pure: every bad value is a
 * ConfigurationError naming the input (or the entry and key) before anything
 * is read from AWS.
 */
import { ConfigurationError, parseBoolean, parseDuration, parseInteger, parseKeyValues, parseList } from '@deploy-suite/kit';
import { ARCHITECTURES, FunctionInput, SOURCE_INPUTS, type Architecture, type FunctionInputName } from './constants.js';

export type RawFunctionInputs = Partial<Record<FunctionInputName, string>>;

export type CodeSource =
  | { kind: 'zip-directory'; path: string }
  | { kind: 'zip-file'; path: string }
  | { kind: 'image'; uri: string }
  | { kind: 's3'; bucket: string; key: string }
  | { kind: 'version'; version: string };

export interface Canary {
  /** The share of traffic sent to the new version first, above 0 and below 1. */
  weight: number;
  intervalMs: number;
  alarms: string[];
}

export interface FunctionSpec {
  functionName: string;
  /** How inputs of this function are named in errors: `canary` or `functions[orders].canary`. */
  inputName: (input: FunctionInputName) => string;
  source: CodeSource;
  /** Where a zip is uploaded first (bucket and key); undefined: a direct upload. */
  upload: { bucket: string; key: string | undefined } | undefined;
  configuration: ConfigurationChange;
  /** The published version's description. */
  description: string | undefined;
  publish: boolean;
  /** Undefined: no alias is read or moved. */
  alias: string | undefined;
  canary: Canary | undefined;
  skipUnchanged: boolean;
  keepVersions: number | undefined;
}

/** Only what was given: everything else stays as the function has it. */
export interface ConfigurationChange {
  environment: Map<string, string>;
  handler?: string;
  runtime?: string;
  memoryMb?: number;
  timeoutSeconds?: number;
  architecture?: Architecture;
}

/** Lambda's own alias pattern: letters, digits, - and _, not all digits, 1 to 128 characters. */
const ALIAS_PATTERN = /^(?!\d+$)[A-Za-z0-9_-]{1,128}$/;
const ENV_KEY_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;
const RUNTIME_PATTERN = /^[a-z][a-z0-9.]*$/;
const RESERVED_ENV_KEYS = new Set(['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_LAMBDA_FUNCTION_NAME', 'AWS_EXECUTION_ENV', '_HANDLER', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR']);

/** `10%`, `2.5%`: a share above 0 and below 100 percent, as a fraction. */
export function parseWeight(name: string, raw: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*%$/.exec(raw.trim());
  const percent = match ? Number(match[1]) : Number.NaN;
  if (!(percent > 0 && percent < 100)) throw new ConfigurationError(`input "${name}" must be a percentage above 0% and below 100%, such as 10%, got "${raw}"`);
  // Lambda takes the weight as a fraction with at most 5 decimals.
  return Math.round(percent * 1_000) / 100_000;
}

/** Seconds, `30` or a duration such as `30s` or `5m`, from 1 s to Lambda's 900 s. */
export function parseFunctionTimeout(name: string, raw: string): number {
  const ms = /^\d+$/.test(raw) ? Number(raw) * 1_000 : parseDuration(name, raw);
  if (ms % 1_000 !== 0 || ms < 1_000 || ms > 900_000) throw new ConfigurationError(`input "${name}" must be whole seconds from 1 to 900 (such as 30 or 5m), got "${raw}"`);
  return ms / 1_000;
}

export function parseAlias(name: string, raw: string): string {
  if (!ALIAS_PATTERN.test(raw)) throw new ConfigurationError(`input "${name}" must be a Lambda alias name (1 to 128 letters, digits, - or _, not only digits), got "${raw}"`);
  return raw;
}

export function parseEnvironment(name: string, raw: string): Map<string, string> {
  const variables = parseKeyValues(name, raw, { keyPattern: ENV_KEY_PATTERN, keyForm: 'a variable name (a letter, then letters, digits or _)', sensitive: true });
  for (const key of variables.keys()) {
    if (RESERVED_ENV_KEYS.has(key)) throw new ConfigurationError(`input "${name}": ${key} is set by Lambda itself and cannot be given`);
  }
  return variables;
}

function parseArchitecture(name: string, raw: string): Architecture {
  const items = parseList(name, raw);
  const [first] = items;
  if (items.length !== 1 || !(ARCHITECTURES as readonly string[]).includes(first as string)) {
    throw new ConfigurationError(`input "${name}" must be one of ${ARCHITECTURES.map((item) => `"${item}"`).join(', ')} (Lambda takes one), got "${raw}"`);
  }
  return first as Architecture;
}

function codeSource(raw: RawFunctionInputs, inputName: FunctionSpec['inputName']): CodeSource {
  const given = SOURCE_INPUTS.filter((input) => raw[input] !== undefined);
  const expected = `exactly one code source: "${FunctionInput.ZipDirectory}", "${FunctionInput.ZipFile}", "${FunctionInput.ImageUri}", "${FunctionInput.S3Key}" (with "${FunctionInput.S3Bucket}") or "${FunctionInput.Version}" (point the alias at a published version)`;
  // A zip with s3-key names the upload key, not a second source.
  const sources = given.filter((input) => !(input === FunctionInput.S3Key && given.some((other) => other === FunctionInput.ZipDirectory || other === FunctionInput.ZipFile)));
  if (sources.length !== 1) {
    const what = sources.length === 0 ? 'none was given' : `got ${sources.map((input) => `"${inputName(input)}"`).join(' and ')}`;
    throw new ConfigurationError(`${raw[FunctionInput.FunctionName] ? `function "${raw[FunctionInput.FunctionName]}" needs` : 'give'} ${expected}; ${what}`);
  }
  const input = sources[0] as FunctionInputName;
  const value = raw[input] as string;
  switch (input) {
    case FunctionInput.ZipDirectory:
      return { kind: 'zip-directory', path: value };
    case FunctionInput.ZipFile:
      return { kind: 'zip-file', path: value };
    case FunctionInput.ImageUri:
      if (!/^[^\s@:]+(?::[^\s@/]+)?(?:\/[^\s@:]+)+(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/.test(value)) {
        throw new ConfigurationError(`input "${inputName(input)}" must be a container image URI such as 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.2 or …/app@sha256:<digest>, got "${value}"`);
      }
      return { kind: 'image', uri: value };
    case FunctionInput.S3Key:
      if (raw[FunctionInput.S3Bucket] === undefined) throw new ConfigurationError(`input "${inputName(FunctionInput.S3Key)}" needs "${inputName(FunctionInput.S3Bucket)}" (the bucket that holds the package)`);
      return { kind: 's3', bucket: raw[FunctionInput.S3Bucket] as string, key: value };
    default:
      if (!/^[1-9]\d*$/.test(value)) throw new ConfigurationError(`input "${inputName(input)}" must be a published version number such as 7, got "${value}"`);
      return { kind: 'version', version: value };
  }
}

function configuration(raw: RawFunctionInputs, inputName: FunctionSpec['inputName'], source: CodeSource): ConfigurationChange {
  const change: ConfigurationChange = { environment: parseEnvironment(inputName(FunctionInput.Environment), raw[FunctionInput.Environment] ?? '') };
  const handler = raw[FunctionInput.Handler];
  const runtime = raw[FunctionInput.Runtime];
  if (handler !== undefined) change.handler = handler;
  if (runtime !== undefined) {
    if (!RUNTIME_PATTERN.test(runtime)) throw new ConfigurationError(`input "${inputName(FunctionInput.Runtime)}" must be a Lambda runtime identifier such as nodejs22.x or python3.13, got "${runtime}"`);
    change.runtime = runtime;
  }
  if (raw[FunctionInput.Memory] !== undefined) change.memoryMb = parseInteger(inputName(FunctionInput.Memory), raw[FunctionInput.Memory] as string, { min: 128, max: 10_240 });
  if (raw[FunctionInput.Timeout] !== undefined) change.timeoutSeconds = parseFunctionTimeout(inputName(FunctionInput.Timeout), raw[FunctionInput.Timeout] as string);
  if (raw[FunctionInput.Architectures] !== undefined) change.architecture = parseArchitecture(inputName(FunctionInput.Architectures), raw[FunctionInput.Architectures] as string);
  if (source.kind === 'image') {
    // An image carries its own runtime and entry point (ImageConfig), and Lambda refuses both here.
    for (const input of [FunctionInput.Runtime, FunctionInput.Handler] as const) {
      if (raw[input] !== undefined) throw new ConfigurationError(`input "${inputName(input)}" cannot be given with "${inputName(FunctionInput.ImageUri)}": a container image function takes its runtime and handler from the image`);
    }
  }
  if (source.kind === 'version') {
    const given = [FunctionInput.Environment, FunctionInput.Handler, FunctionInput.Runtime, FunctionInput.Memory, FunctionInput.Timeout, FunctionInput.Architectures].filter((input) => raw[input] !== undefined);
    if (given.length > 0) {
      throw new ConfigurationError(`input "${inputName(given[0] as FunctionInputName)}" cannot be given with "${inputName(FunctionInput.Version)}": a published version cannot be changed, only pointed at`);
    }
  }
  return change;
}

function canary(raw: RawFunctionInputs, inputName: FunctionSpec['inputName'], alias: string | undefined, publish: boolean): Canary | undefined {
  const alarms = parseList(inputName(FunctionInput.Alarms), raw[FunctionInput.Alarms] ?? '');
  const weight = raw[FunctionInput.Canary];
  if (weight === undefined) {
    if (alarms.length > 0) throw new ConfigurationError(`input "${inputName(FunctionInput.Alarms)}" is watched during a canary: give "${inputName(FunctionInput.Canary)}" too (such as 10%)`);
    return undefined;
  }
  if (alias === undefined) throw new ConfigurationError(`input "${inputName(FunctionInput.Canary)}" shifts an alias: give "${inputName(FunctionInput.Alias)}"`);
  if (!publish) throw new ConfigurationError(`input "${inputName(FunctionInput.Canary)}" needs a published version: "${inputName(FunctionInput.Publish)}" is false`);
  const interval = raw[FunctionInput.CanaryInterval];
  if (interval === undefined) throw new ConfigurationError(`input "${inputName(FunctionInput.CanaryInterval)}" is required with "${inputName(FunctionInput.Canary)}"`);
  return {
    weight: parseWeight(inputName(FunctionInput.Canary), weight),
    intervalMs: parseDuration(inputName(FunctionInput.CanaryInterval), interval, { positive: true }),
    alarms,
  };
}

/** Builds one function's spec; `entryLabel` is set for a `functions` entry (`functions[orders]`). */
export function parseFunctionSpec(raw: RawFunctionInputs, entryLabel?: string): FunctionSpec {
  const inputName = (input: FunctionInputName): string => (entryLabel ? `${entryLabel}.${input}` : input);
  const functionName = raw[FunctionInput.FunctionName];
  if (functionName === undefined) {
    throw new ConfigurationError(entryLabel ? `${entryLabel} has no "${FunctionInput.FunctionName}"` : `input "${FunctionInput.FunctionName}" (or "functions") is required and was not given`);
  }
  if (!/^[A-Za-z0-9_:.$-]{1,170}$/.test(functionName)) {
    throw new ConfigurationError(`input "${inputName(FunctionInput.FunctionName)}" must be a Lambda function name or ARN, got "${functionName}"`);
  }
  const source = codeSource(raw, inputName);
  const publish = parseBoolean(inputName(FunctionInput.Publish), raw[FunctionInput.Publish] ?? 'true');
  const aliasRaw = raw[FunctionInput.Alias];
  const alias = aliasRaw === undefined ? undefined : parseAlias(inputName(FunctionInput.Alias), aliasRaw);
  if (source.kind === 'version' && alias === undefined) throw new ConfigurationError(`input "${inputName(FunctionInput.Version)}" points an alias at a version: give "${inputName(FunctionInput.Alias)}"`);
  const zipped = source.kind === 'zip-directory' || source.kind === 'zip-file';
  const bucket = raw[FunctionInput.S3Bucket];
  return {
    functionName,
    inputName,
    source,
    upload: zipped && bucket !== undefined ? { bucket, key: raw[FunctionInput.S3Key] } : undefined,
    configuration: configuration(raw, inputName, source),
    description: raw[FunctionInput.Description],
    publish: source.kind === 'version' ? true : publish,
    alias: publish || source.kind === 'version' ? alias : undefined,
    canary: canary(raw, inputName, alias, publish),
    skipUnchanged: parseBoolean(inputName(FunctionInput.SkipUnchanged), raw[FunctionInput.SkipUnchanged] ?? 'true'),
    keepVersions: raw[FunctionInput.KeepVersions] === undefined ? undefined : parseInteger(inputName(FunctionInput.KeepVersions), raw[FunctionInput.KeepVersions] as string, { min: 1 }),
  };
}

/** A scalar, list or map from a `functions` entry as the text a step input would hold. */
function entryText(label: string, key: string, value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string' || typeof item === 'number')) return value.join('\n');
  if (key === FunctionInput.Environment && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value as Record<string, unknown>)
      .map(([name, item]) => {
        if (item !== null && typeof item === 'object') throw new ConfigurationError(`${label}.${key}.${name} must be a text value`);
        return `${name}=${String(item ?? '')}`;
      })
      .join('\n');
  }
  throw new ConfigurationError(`${label}.${key} must be a text value${key === FunctionInput.Environment ? ', KEY=value lines or a map' : ' or a list'}`);
}

/**
 * The `functions` input: a list of entries with the same keys as the inputs
 * (each overrides the step's value; a code source in an entry replaces the
 * step's). Returns each entry's raw inputs merged over the step's.
 */
export function mergeFunctionEntries(name: string, value: unknown, step: RawFunctionInputs, known: readonly FunctionInputName[]): { label: string; raw: RawFunctionInputs }[] {
  if (!Array.isArray(value) || value.length === 0) throw new ConfigurationError(`input "${name}" must be a non-empty YAML list of functions, each a map with "${FunctionInput.FunctionName}" and the same keys as the inputs`);
  const seen = new Set<string>();
  return value.map((entry, index) => {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      throw new ConfigurationError(`input "${name}" entry ${index + 1} must be a map such as {function-name: orders, zip-directory: dist/orders}`);
    }
    const map = entry as Record<string, unknown>;
    const functionName = typeof map[FunctionInput.FunctionName] === 'string' ? (map[FunctionInput.FunctionName] as string) : undefined;
    const label = `${name}[${functionName ?? `entry ${index + 1}`}]`;
    const own: RawFunctionInputs = {};
    for (const [key, item] of Object.entries(map)) {
      if (!(known as readonly string[]).includes(key)) throw new ConfigurationError(`${label} has an unknown key "${key}"; the keys are: ${known.join(', ')}`);
      const text = entryText(label, key, item);
      if (text !== undefined) own[key as FunctionInputName] = text;
    }
    if (functionName !== undefined) {
      if (seen.has(functionName)) throw new ConfigurationError(`input "${name}" names function "${functionName}" twice`);
      seen.add(functionName);
    }
    const inherited = { ...step };
    if (SOURCE_INPUTS.some((input) => own[input] !== undefined)) for (const input of SOURCE_INPUTS) delete inherited[input];
    delete inherited[FunctionInput.FunctionName];
    return { label, raw: { ...inherited, ...own } };
  });
}
