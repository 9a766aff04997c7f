import { SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { describe, expect, it } from 'vitest';
import { runAction } from '../../src/index.js';
import { CODE_V2, aliasOf, cloudwatch, createAlarm, createFunction, env, unique, workspaceWith, type FunctionFixture } from './fixture.js';

/** Polls the alias while the step runs and records every routing it shows; `onCanary` runs once when the canary weight appears. */
function watchAlias(fixture: FunctionFixture, onCanary?: () => Promise<void>): { seen: string[]; stop: () => Promise<void> } {
  const seen: string[] = [];
  let running = true;
  const loop = (async () => {
    let fired = false;
    // One last look after the step ended: the state it left.
    for (;;) {
      const last = !running;
      const alias = await aliasOf(fixture);
      const weights = alias.RoutingConfig?.AdditionalVersionWeights ?? {};
      const state = `${alias.FunctionVersion}${Object.entries(weights).map(([version, weight]) => ` +${version}@${weight}`).join('')}`;
      if (seen.at(-1) !== state) seen.push(state);
      if (!fired && Object.keys(weights).length > 0 && onCanary) {
        fired = true;
        await onCanary();
      }
      if (last) return;
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  })();
  return {
    seen,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

describe.concurrent('lambda-publish: canary', () => {
  it('sends the canary share to the new version for the interval, then all of it, while the alarms stay quiet', async () => {
    const fixture = await createFunction('canary-ok', { published: true });
    const alarm = unique('lp-errors-ok');
    await createAlarm(alarm);
    const { workspace, directory } = workspaceWith(CODE_V2);
    const watcher = watchAlias(fixture);
    const result = await runAction('lambda-publish', {
      inputs: { 'function-name': fixture.name, 'zip-directory': directory, canary: '20%', 'canary-interval': '3s', alarms: alarm },
      env: env(),
      workspace,
    });
    await watcher.stop();
    expect(result.errors).toEqual([]);
    expect(result.outputs).toMatchObject({ version: '2', 'previous-version': '1', 'rolled-back': 'false' });
    expect(watcher.seen).toEqual(['1', '1 +2@0.2', '2']);
    const alias = await aliasOf(fixture);
    expect(alias.FunctionVersion).toBe('2');
    expect(alias.RoutingConfig?.AdditionalVersionWeights ?? {}).toEqual({});
    expect(JSON.parse(result.outputs.results as string)[fixture.name].canary).toBe('20% for 3.0s: passed');
    expect(result.summary).toContain('passed');
  });

  it('stops the canary when an alarm fires during the interval, names the alarm and puts the alias back on the old version', async () => {
    const fixture = await createFunction('canary-alarm', { published: true });
    const alarm = unique('lp-errors');
    await createAlarm(alarm);
    const { workspace, directory } = workspaceWith(CODE_V2);
    const watcher = watchAlias(fixture, async () => {
      await cloudwatch().send(new SetAlarmStateCommand({ AlarmName: alarm, StateValue: 'ALARM', StateReason: 'Errors >= 1 for 1 datapoint' }));
    });
    const result = await runAction('lambda-publish', {
      inputs: { 'function-name': fixture.name, 'zip-directory': directory, canary: '10%', 'canary-interval': '20s', alarms: alarm },
      env: env(),
      workspace,
    });
    await watcher.stop();
    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toContain(`alarm ${alarm} (Errors >= 1 for 1 datapoint) is in state ALARM`);
    expect(result.errors[0]).toContain('rolled back: alias "live" serves version 1 again');
    expect(result.outputs).toMatchObject({ version: '2', 'previous-version': '1', 'rolled-back': 'true' });
    expect(watcher.seen).toEqual(['1', '1 +2@0.1', '1']);
    const alias = await aliasOf(fixture);
    expect(alias.FunctionVersion).toBe('1');
    expect(alias.RoutingConfig?.AdditionalVersionWeights ?? {}).toEqual({});
    // Stopped well before the interval's end.
    expect(result.durationMs).toBeLessThan(15_000);
    expect(result.summary).toContain('stopped by an alarm');
  });

  it('leaves the alias as the canary set it with rollback: never, and says so', async () => {
    const fixture = await createFunction('canary-never', { published: true });
    const alarm = unique('lp-errors-never');
    await createAlarm(alarm);
    await cloudwatch().send(new SetAlarmStateCommand({ AlarmName: alarm, StateValue: 'ALARM', StateReason: 'already failing' }));
    const { workspace, directory } = workspaceWith(CODE_V2);
    const result = await runAction('lambda-publish', {
      inputs: { 'function-name': fixture.name, 'zip-directory': directory, canary: '10%', 'canary-interval': '10s', alarms: alarm, rollback: 'never' },
      env: env(),
      workspace,
    });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain(`alarm ${alarm} (already failing) is in state ALARM`);
    expect(result.errors[0]).toContain('rollback is "never": alias "live" was left as this step set it');
    expect(result.outputs['rolled-back']).toBe('false');
    const alias = await aliasOf(fixture);
    expect(alias.FunctionVersion).toBe('1');
    expect(alias.RoutingConfig?.AdditionalVersionWeights).toEqual({ '2': 0.1 });
  });
});
