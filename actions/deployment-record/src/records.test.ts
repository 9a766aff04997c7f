import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { collect, functionRecords, imageRecords, stateAt, nextState, readRecords, restoreTo, saveRecord, type DeployRecord } from './records.js';

const service = (name: string, outcome: string, details: Record<string, string>): DeployRecord => ({
  kind: 'service',
  name,
  outcome,
  details: { cluster: 'staging', service: name, ...details },
});
const fn = (name: string, outcome: string, details: Record<string, string>): DeployRecord => ({
  kind: 'function',
  name,
  outcome,
  details: { 'function-name': `staging-${name}`, alias: 'live', ...details },
});

describe('collect', () => {
  test('a run that went well rolls back what it changed when asked, nothing it left alone', () => {
    const result = collect([
      service('api', 'success', { previous: 'td/api:1', current: 'td/api:2', 'desired-count': '2' }),
      service('worker', 'success', { previous: 'td/worker:4', current: 'td/worker:4', 'desired-count': '1' }),
      fn('events', 'success', { previous: '3', current: '4' }),
    ]);
    expect(result.failed).toBe(false);
    expect(result.rollbackServices).toEqual([{ name: 'api', cluster: 'staging', service: 'api', 'task-definition': 'td/api:1' }]);
    expect(result.rollbackFunctions).toEqual([{ 'function-name': 'staging-events', alias: 'live', version: '3' }]);
    expect(result.results).toBe('service.api=success\nservice.worker=success\nfunction.events=success');
  });

  test('a service ecs-deploy already rolled back is reported as such and not rolled back again', () => {
    const result = collect([service('api', 'failure', { previous: 'td/api:1', current: 'td/api:2', 'rolled-back': 'true' }), service('worker', 'success', { previous: 'td/w:1', current: 'td/w:2' })]);
    expect(result.failed).toBe(true);
    expect(result.results).toContain('service.api=rolled-back');
    expect(result.rollbackServices.map((entry) => entry.name)).toEqual(['worker']);
  });

  test('reports where a rollback job left a target: rolled back, or a rollback that failed', () => {
    const back = service('api', 'success', { previous: 'td/api:1', current: 'td/api:2', 'rolled-back': 'true', 'rollback-outcome': 'success' });
    const stuck = service('worker', 'failure', { previous: 'td/w:1', current: 'td/w:2', 'rollback-outcome': 'failure' });
    expect(collect([back, stuck]).results.split('\n')).toEqual(['service.api=rolled-back', 'service.worker=rollback-failed']);
    // The key alone says it, as action.yml documents: a successful rollback needs no rolled-back=true beside it.
    const alone = service('api', 'success', { previous: 'td/api:1', current: 'td/api:2', 'rollback-outcome': 'success' });
    expect(collect([alone]).results).toBe('service.api=rolled-back');
  });

  test('staging scaled to zero is reported, not failed', () => {
    const result = collect([service('api', 'success', { previous: 'a', current: 'b', 'desired-count': '0' })]);
    expect([result.scaledDown, result.failed]).toEqual([true, false]);
    expect(result.results).toBe('service.api=scaled-down');
  });

  test('records round-trip through files', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'records-'));
    saveRecord(directory, fn('events', 'success', { previous: '1', current: '2' }));
    saveRecord(directory, service('api', 'failure', {}));
    expect(readRecords(directory).map((record) => `${record.kind}.${record.name}`)).toEqual(['function.events', 'service.api']);
    expect(readRecords(path.join(directory, 'missing'))).toEqual([]);
  });
});

test('the state accumulates across runs and a rollback restores all of it', () => {
  const first = nextState(undefined, [service('api', 'success', { previous: 'td/api:1', current: 'td/api:2' }), fn('events', 'success', { previous: '1', current: '2' })]);
  const second = nextState(first, [service('worker', 'success', { previous: 'td/w:1', current: 'td/w:2' })]);
  expect(Object.keys(second.services)).toEqual(['api', 'worker']);
  const restore = restoreTo(second);
  expect(restore.rollbackServices.map((entry) => entry['task-definition'])).toEqual(['td/api:2', 'td/w:2']);
  expect(restore.rollbackFunctions).toEqual([{ 'function-name': 'staging-events', alias: 'live', version: '2' }]);
});

describe('functionRecords', () => {
  const entries = [{ 'function-name': 'staging-events', alias: 'live' }, { 'function-name': 'staging-jobs', alias: 'live' }];
  test('one record per function from lambda-publish results', () => {
    const records = functionRecords(entries, { 'staging-events': { version: '5', 'previous-version': '4', changed: true, 'rolled-back': false, outcome: 'published' } }, 'failure');
    expect(records[0]).toMatchObject({ name: 'staging-events', outcome: 'success', details: { previous: '4', current: '5', 'rolled-back': 'false' } });
    // Not reached by a failing step: a failure with nothing to roll back.
    expect(records[1]).toMatchObject({ name: 'staging-jobs', outcome: 'failure', details: { previous: '', current: '' } });
    expect(collect(records).rollbackFunctions).toEqual([{ 'function-name': 'staging-events', alias: 'live', version: '4' }]);
  });
});

test('the database line says what stays applied', () => {
  const database = (outcome: string, applied: string): DeployRecord => ({ kind: 'database', name: 'database', outcome, details: { applied } });
  expect(collect([database('success', '[{"version":"3","name":"add_orders"}]')]).database).toBe('applied add_orders (kept on rollback)');
  expect(collect([database('failure', '')]).database).toBe('migration failure');
  expect(collect([]).database).toBe('');
});

test('images are reported as built or promoted', () => {
  const records = imageRecords([{ api: { uri: 'r/api@sha256:1', built: false } }, { worker: { uri: 'r/worker@sha256:2', built: true } }]);
  expect(collect(records).results).toBe('image.api=promoted\nimage.worker=built');
  expect(collect(records).rollbackServices).toEqual([]);
});

test('what ran at a deployment includes what it left untouched, from the first later deployment that changed it', () => {
  const first = nextState(undefined, [fn('events', 'success', { previous: '1', current: '2' })]);
  const second = [service('api', 'success', { previous: 'td/api:1', current: 'td/api:2' }), fn('events', 'success', { previous: '2', current: '3' })];
  const third = [service('api', 'success', { previous: 'td/api:2', current: 'td/api:3' })];
  const state = stateAt(first, [second, third]);
  expect(state.services.api?.['task-definition']).toBe('td/api:1');
  expect(state.functions.events?.version).toBe('2');
});
