/**
 * Deploy records: one small JSON file per deployed target, written by the job
 * that deployed it (matrix legs cannot return outputs one by one), combined
 * afterwards into what to report, what to roll back, and the payload of the
 * GitHub deployment that a later rollback reads.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ActionFailure } from '@deploy-suite/kit';
import type { Kind } from './constants.js';

export interface DeployRecord {
  kind: Kind;
  name: string;
  /** The job step's outcome: success, failure, cancelled or skipped. */
  outcome: string;
  /** What the deploying action reported (previous/current task definition or version, rolled-back, ...). */
  details: Record<string, string>;
}

const FILE_PREFIX = 'record-';

export function recordFileName(kind: Kind, name: string): string {
  return `${FILE_PREFIX}${kind}-${name}.json`;
}

export function saveRecord(directory: string, record: DeployRecord): string {
  mkdirSync(directory, { recursive: true });
  const file = path.join(directory, recordFileName(record.kind, record.name));
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  return file;
}

export function readRecords(directory: string): DeployRecord[] {
  let names: string[];
  try {
    names = readdirSync(directory).filter((name) => name.startsWith(FILE_PREFIX) && name.endsWith('.json'));
  } catch {
    return [];
  }
  return names.sort().map((name) => {
    try {
      return JSON.parse(readFileSync(path.join(directory, name), 'utf8')) as DeployRecord;
    } catch (error) {
      throw new ActionFailure(`the record ${name} is not valid JSON: ${(error as Error).message}`);
    }
  });
}

/** lambda-publish's `results` output (function name -> result) as one record per function. */
export function functionRecords(entries: Record<string, string>[], results: Record<string, Record<string, unknown>>, stepOutcome: string): DeployRecord[] {
  return entries.map((entry) => {
    const functionName = entry['function-name'] ?? '';
    const result = results[functionName];
    const text = (value: unknown): string => (value === undefined || value === null ? '' : String(value));
    return {
      kind: 'function',
      name: functionName,
      // A function the step never reached has no result: it failed with the step, or was not started.
      outcome: result ? (text(result.outcome) === 'failed' || result.error ? 'failure' : 'success') : stepOutcome === 'success' ? 'success' : 'failure',
      details: {
        'function-name': functionName,
        alias: entry.alias ?? 'live',
        previous: text(result?.['previous-version']),
        current: text(result?.version),
        'rolled-back': text(result?.['rolled-back'] ?? false),
        changed: text(result?.changed ?? false),
      },
    };
  });
}

/** build-push's `images` outputs (one JSON object per line: the promoted and the pushed) as one record per image. */
export function imageRecords(outputs: Record<string, { uri?: unknown; built?: unknown }>[]): DeployRecord[] {
  const merged = Object.assign({}, ...outputs) as Record<string, { uri?: unknown; built?: unknown }>;
  return Object.entries(merged).map(([name, image]) => ({
    kind: 'image',
    name,
    outcome: 'success',
    details: { current: String(image.uri ?? ''), built: String(image.built === true) },
  }));
}

export interface ServiceRollback {
  name: string;
  cluster: string;
  service: string;
  'task-definition': string;
}
export interface FunctionRollback {
  'function-name': string;
  alias: string;
  version: string;
}

export interface Collected {
  records: DeployRecord[];
  /** `kind.name=status` lines for slack-notify's results. */
  results: string;
  failed: boolean;
  scaledDown: boolean;
  /** Services to put back on the task definition they ran before this run. */
  rollbackServices: ServiceRollback[];
  /** Aliases to put back on the version they pointed to before this run. */
  rollbackFunctions: FunctionRollback[];
  /** One line on the database for the message: what was applied (never rolled back). */
  database: string;
}

/** Written by the rollback jobs over a target's deploy record, so the message says where the target ended. */
export const ROLLBACK_OUTCOME = 'rollback-outcome';

function status(record: DeployRecord): string {
  const rollback = record.details[ROLLBACK_OUTCOME];
  if (rollback !== undefined) return rollback === 'success' ? 'rolled-back' : 'rollback-failed';
  if (record.kind === 'image' && record.outcome === 'success') return record.details.built === 'true' ? 'built' : 'promoted';
  if (record.details['rolled-back'] === 'true') return 'rolled-back';
  if (record.kind === 'service' && record.details['desired-count'] === '0' && record.outcome === 'success') return 'scaled-down';
  return record.outcome;
}

/** A target that changed and is not already back where it was. */
function needsRollback(record: DeployRecord): boolean {
  if (record.details['rolled-back'] === 'true') return false;
  const { previous, current } = record.details;
  return Boolean(previous) && (record.outcome !== 'success' || previous !== current);
}

export function collect(records: DeployRecord[]): Collected {
  const services = records.filter((record) => record.kind === 'service');
  const functions = records.filter((record) => record.kind === 'function');
  return {
    records,
    results: records.map((record) => `${record.kind}.${record.name}=${status(record)}`).join('\n'),
    failed: records.some((record) => record.outcome === 'failure' || record.details['rolled-back'] === 'true'),
    scaledDown: services.length > 0 && services.every((record) => record.details['desired-count'] === '0'),
    rollbackServices: services.filter(needsRollback).map((record) => ({
      name: record.name,
      cluster: record.details.cluster ?? '',
      service: record.details.service ?? record.name,
      'task-definition': record.details.previous ?? '',
    })),
    database: describeDatabase(records.find((record) => record.kind === 'database')),
    rollbackFunctions: functions.filter(needsRollback).map((record) => ({
      'function-name': record.details['function-name'] ?? record.name,
      alias: record.details.alias ?? 'live',
      version: record.details.previous ?? '',
    })),
  };
}

function describeDatabase(record: DeployRecord | undefined): string {
  if (!record) return '';
  let applied: { name?: string; version?: string }[] = [];
  try {
    applied = JSON.parse(record.details.applied || '[]') as typeof applied;
  } catch {
    // not db-migrate's list (command mode): say nothing about names
  }
  const names = applied.map((migration) => migration.name ?? migration.version).join(', ');
  if (record.outcome !== 'success') return `migration ${record.outcome}${names ? `; applied before the failure: ${names}` : ''}`;
  return names ? `applied ${names} (kept on rollback)` : 'up to date';
}

/** The environment as a deployment leaves it: every service's task definition and every alias's version. */
export interface EnvironmentState {
  services: Record<string, { cluster: string; service: string; 'task-definition': string }>;
  functions: Record<string, { 'function-name': string; alias: string; version: string }>;
}

/** The state after this run: the last recorded state with what this run deployed on top. */
export function nextState(previous: EnvironmentState | undefined, records: DeployRecord[]): EnvironmentState {
  const state: EnvironmentState = { services: { ...previous?.services }, functions: { ...previous?.functions } };
  for (const record of records) {
    const current = record.outcome === 'success' && record.details['rolled-back'] !== 'true' ? record.details.current : record.details.previous;
    if (!current) continue;
    if (record.kind === 'service') {
      state.services[record.name] = { cluster: record.details.cluster ?? '', service: record.details.service ?? record.name, 'task-definition': current };
    } else if (record.kind === 'function') {
      state.functions[record.name] = { 'function-name': record.details['function-name'] ?? record.name, alias: record.details.alias ?? 'live', version: current };
    }
  }
  return state;
}

/**
 * What ran at a deployment: its recorded state, and for a target it did not touch, what the first later
 * deployment that changed it found running there (its `previous`). `later` is oldest first.
 */
export function stateAt(recorded: EnvironmentState, later: DeployRecord[][]): EnvironmentState {
  const state: EnvironmentState = { services: { ...recorded.services }, functions: { ...recorded.functions } };
  for (const records of later) {
    for (const record of records) {
      const previous = record.details.previous;
      if (!previous) continue;
      if (record.kind === 'service' && !(record.name in state.services)) {
        state.services[record.name] = { cluster: record.details.cluster ?? '', service: record.details.service ?? record.name, 'task-definition': previous };
      } else if (record.kind === 'function' && !(record.name in state.functions)) {
        state.functions[record.name] = { 'function-name': record.details['function-name'] ?? record.name, alias: record.details.alias ?? 'live', version: previous };
      }
    }
  }
  return state;
}

/** A rollback to an earlier deployment: every service and alias back on what it recorded. */
export function restoreTo(state: EnvironmentState): Pick<Collected, 'rollbackServices' | 'rollbackFunctions'> {
  return {
    rollbackServices: Object.entries(state.services).map(([name, service]) => ({ name, ...service })),
    rollbackFunctions: Object.values(state.functions),
  };
}
