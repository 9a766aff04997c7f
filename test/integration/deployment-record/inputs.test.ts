/**
 * deployment-record's bad input in save mode: one error naming the input and
 * what was expected, exit 1, no stack trace, and no record file written (a
 * record with an outcome the collect step cannot read would be counted as
 * neither a success nor a failure).
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { runAction } from '../../src/index.js';

const ACTION = 'deployment-record';
const OUTCOME_FORM = /input "outcome" must be one of "success", "failure", "cancelled", "skipped", got "failed"$/;

const cases: { name: string; inputs: Record<string, string>; error: RegExp }[] = [
  { name: 'an outcome that is not a step outcome', inputs: { mode: 'save', kind: 'service', name: 'api', outcome: 'failed' }, error: OUTCOME_FORM },
  {
    name: 'an outcome that is not a step outcome, with lambda-publish results',
    inputs: { mode: 'save', kind: 'function', functions: '[{"function-name": "orders"}]', results: '{}', outcome: 'failed' },
    error: OUTCOME_FORM,
  },
  { name: 'no outcome', inputs: { mode: 'save', kind: 'site', name: 'web' }, error: /input "outcome" is required and was not given$/ },
];

describe.concurrent('deployment-record bad inputs', () => {
  test.each(cases)('$name', async ({ inputs, error }) => {
    const workspace = mkdtempSync(path.join(tmpdir(), 'record-inputs-'));
    const result = await runAction(ACTION, { workspace, inputs: { ...inputs, directory: 'records' } });
    expect(result.exitCode, result.log).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/^deployment-record: /);
    expect(result.errors[0]).toMatch(error);
    expect(result.log).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(result.outputs).toEqual({});
    const records = path.join(workspace, 'records');
    expect(existsSync(records) ? readdirSync(records) : []).toEqual([]);
  });

  test('each step outcome is recorded as given', async () => {
    const workspace = mkdtempSync(path.join(tmpdir(), 'record-inputs-'));
    for (const outcome of ['success', 'failure', 'cancelled', 'skipped']) {
      const saved = await runAction(ACTION, { workspace, inputs: { mode: 'save', directory: 'records', kind: 'service', name: `api-${outcome}`, outcome } });
      expect(saved.errors).toEqual([]);
    }
    const collected = await runAction(ACTION, { workspace, inputs: { mode: 'collect', directory: 'records' } });
    expect((JSON.parse(collected.outputs.records as string) as { outcome: string }[]).map((record) => record.outcome).sort()).toEqual(['cancelled', 'failure', 'skipped', 'success']);
    expect(collected.outputs.failed).toBe('true');
  });
});
