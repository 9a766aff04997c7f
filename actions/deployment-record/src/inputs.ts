import { ConfigurationError, getChoice, getOptionalString, getRequiredString, maskSecret, parseKeyValues, parseYamlText, resolveInputPath } from '@deploy-suite/kit';
import { Input, KINDS, MODES, OUTCOMES, type Kind, type Mode } from './constants.js';
import { functionRecords, imageRecords, type DeployRecord } from './records.js';

export interface Inputs {
  mode: Mode;
  /** Where record files are written and read; an absolute path (runner.temp) is allowed. */
  directory: string;
  /** save: one record, or one per function for kind function with lambda-publish's results. */
  saved: DeployRecord[];
  records: DeployRecord[] | undefined;
  environment: string | undefined;
  sha: string | undefined;
  deployment: string | undefined;
  token: string | undefined;
  repository: { owner: string; repo: string };
  apiUrl: string;
  runUrl: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export function getInputs(): Inputs {
  const token = getOptionalString(Input.Token);
  maskSecret(token);
  const mode = getChoice(Input.Mode, MODES);
  const env = process.env;
  const [owner = '', repo = ''] = (env.GITHUB_REPOSITORY ?? '').split('/');
  const inputs: Inputs = {
    mode,
    directory: resolveInputPath(Input.Directory, getRequiredString(Input.Directory), { allowAbsolute: true }),
    saved: mode === 'save' ? readSaved() : [],
    records: mode === 'publish' ? readRecords() : undefined,
    environment: getOptionalString(Input.Environment),
    sha: getOptionalString(Input.Sha),
    deployment: getOptionalString(Input.Deployment),
    token,
    repository: { owner, repo },
    apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
    runUrl: `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${env.GITHUB_REPOSITORY ?? ''}/actions/runs/${env.GITHUB_RUN_ID ?? ''}`,
  };
  if ((mode === 'publish' || mode === 'recall') && !inputs.environment) throw new ConfigurationError(`input "${Input.Environment}" is required with mode ${mode}`);
  if ((mode === 'publish' || mode === 'recall') && !token) throw new ConfigurationError(`input "${Input.Token}" is required with mode ${mode} (deployments: ${mode === 'publish' ? 'write' : 'read'})`);
  if (mode === 'publish' && !inputs.sha) throw new ConfigurationError(`input "${Input.Sha}" is required with mode publish: the commit deployed`);
  return inputs;
}

function readSaved(): DeployRecord[] {
  const images = getOptionalString(Input.Images);
  if (images !== undefined) {
    const outputs = images
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean)
      .map((line) => parseYamlText(Input.Images, line));
    if (!outputs.every((value) => value !== null && typeof value === 'object' && !Array.isArray(value))) {
      throw new ConfigurationError(`input "${Input.Images}" must be build-push's images output: JSON objects, one per line`);
    }
    return imageRecords(outputs as Record<string, { uri?: unknown; built?: unknown }>[]);
  }
  const results = getOptionalString(Input.Results);
  if (getChoice(Input.Kind, KINDS) !== 'function' || (results === undefined && getOptionalString(Input.Functions) === undefined)) return [readRecord()];
  const entries = parseYamlText(Input.Functions, getRequiredString(Input.Functions));
  if (!Array.isArray(entries)) throw new ConfigurationError(`input "${Input.Functions}" must be the JSON array given to lambda-publish's functions input`);
  const parsed = results === undefined ? {} : parseYamlText(Input.Results, results);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ConfigurationError(`input "${Input.Results}" must be lambda-publish's results output (a JSON object by function name)`);
  const details = readDetails();
  return functionRecords(entries as Record<string, string>[], parsed as Record<string, Record<string, unknown>>, getChoice(Input.Outcome, OUTCOMES)).map((record) => ({
    ...record,
    details: { ...record.details, ...details },
  }));
}

function readRecord(): DeployRecord {
  const name = getRequiredString(Input.Name);
  if (!NAME.test(name)) throw new ConfigurationError(`input "${Input.Name}" must be a target name (letters, digits, . _ -), got "${name}"`);
  return {
    kind: getChoice(Input.Kind, KINDS) as Kind,
    name,
    outcome: getChoice(Input.Outcome, OUTCOMES),
    details: readDetails(),
  };
}

function readDetails(): Record<string, string> {
  return Object.fromEntries(parseKeyValues(Input.Details, getOptionalString(Input.Details) ?? ''));
}

function readRecords(): DeployRecord[] {
  const raw = getRequiredString(Input.Records);
  const value = parseYamlText(Input.Records, raw);
  if (!Array.isArray(value)) throw new ConfigurationError(`input "${Input.Records}" must be the JSON array of the collect step's records output`);
  return value as DeployRecord[];
}
