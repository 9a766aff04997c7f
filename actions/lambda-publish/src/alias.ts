/**
 * Moving an alias: created when missing, shifted at once, or through a canary
 * (the old version keeps the alias with a share of the traffic routed to the
 * new one for an interval, while named CloudWatch alarms are watched), and
 * moved back on failure.
 */
import { CreateAliasCommand, UpdateAliasCommand, type AliasConfiguration } from '@aws-sdk/client-lambda';
import { call } from '@deploy-suite/aws';
import { ActionFailure, formatDuration, sleep } from '@deploy-suite/kit';
import type { DeployContext, FunctionReport } from './deploy.js';
import { mutate } from './lambda.js';
import type { Prepared } from './prepare.js';

export interface AliasContext extends DeployContext {
  prepared: Prepared;
  report: FunctionReport;
}

/** A canary stopped by an alarm: the step fails, and the rollback decides where the alias ends. */
export class CanaryStopped extends ActionFailure {}

async function updateAlias(context: AliasContext, version: string, weights: Record<string, number>): Promise<AliasConfiguration> {
  const { spec } = context.prepared;
  return mutate(
    'UpdateAlias',
    () => context.clients.lambda.send(new UpdateAliasCommand({ FunctionName: spec.functionName, Name: spec.alias, FunctionVersion: version, RoutingConfig: { AdditionalVersionWeights: weights } })),
    context.deadline(),
    context.log,
  );
}

/** Names of the alarms in state ALARM. */
async function firingAlarms(context: AliasContext, names: string[]): Promise<string[]> {
  const { DescribeAlarmsCommand } = await import('@aws-sdk/client-cloudwatch');
  const cloudwatch = await context.clients.cloudwatch();
  const response = await call('DescribeAlarms', () => cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: names, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] })));
  return [...(response.MetricAlarms ?? []), ...(response.CompositeAlarms ?? [])]
    .filter((alarm) => alarm.StateValue === 'ALARM')
    .map((alarm) => `${alarm.AlarmName}${alarm.StateReason ? ` (${alarm.StateReason})` : ''}`);
}

/** Watches the alarms until the interval is over; throws CanaryStopped when one fires. */
async function watchCanary(context: AliasContext, previous: string, target: string): Promise<void> {
  const canary = context.prepared.spec.canary;
  if (!canary) return;
  const { functionName, alias } = context.prepared.spec;
  const ends = Date.now() + canary.intervalMs;
  const pollMs = Math.min(15_000, Math.max(1_000, Math.round(canary.intervalMs / 5)));
  for (;;) {
    if (canary.alarms.length > 0) {
      const firing = await firingAlarms(context, canary.alarms);
      if (firing.length > 0) {
        throw new CanaryStopped(`${functionName}: the canary of version ${target} on alias "${alias}" was stopped: alarm ${firing.join(', ')} is in state ALARM (version ${previous} kept the rest of the traffic)`);
      }
    }
    const remaining = ends - Date.now();
    if (remaining <= 0) return;
    await sleep(Math.min(pollMs, remaining));
  }
}

/** Points the alias at `target`, through the canary when one is asked for and there is a version to shift from. */
export async function moveAlias(context: AliasContext, target: string): Promise<void> {
  const { prepared, report, log } = context;
  const { spec } = prepared;
  if (!spec.alias) return;
  const current = prepared.alias;
  if (!current) {
    const created = await mutate(
      'CreateAlias',
      () => context.clients.lambda.send(new CreateAliasCommand({ FunctionName: spec.functionName, Name: spec.alias, FunctionVersion: target })),
      context.deadline(),
      log,
    );
    report.aliasArn = created.AliasArn;
    report.aliasMoved = true;
    log.info(`${spec.functionName}: created alias "${spec.alias}" on version ${target}`);
    if (spec.canary) report.canary = 'not needed: the alias is new';
    return;
  }
  const routed = Object.keys(current.RoutingConfig?.AdditionalVersionWeights ?? {}).length > 0;
  if (current.FunctionVersion === target && !routed) {
    log.info(`${spec.functionName}: alias "${spec.alias}" already serves version ${target}`);
    return;
  }
  const previous = current.FunctionVersion as string;
  if (spec.canary && previous !== target) {
    report.aliasMoved = true;
    await updateAlias(context, previous, { [target]: spec.canary.weight });
    const share = `${Math.round(spec.canary.weight * 100_000) / 1_000}%`;
    log.info(`${spec.functionName}: canary: alias "${spec.alias}" sends ${share} to version ${target} for ${formatDuration(spec.canary.intervalMs)}${spec.canary.alarms.length > 0 ? `, watching ${spec.canary.alarms.join(', ')}` : ''}`);
    report.canary = `${share} for ${formatDuration(spec.canary.intervalMs)}: running`;
    try {
      await watchCanary(context, previous, target);
    } catch (error) {
      report.canary = `${share}: stopped by an alarm`;
      throw error;
    }
    report.canary = `${share} for ${formatDuration(spec.canary.intervalMs)}: passed`;
  }
  report.aliasMoved = true;
  const moved = await updateAlias(context, target, {});
  report.aliasArn = moved.AliasArn ?? report.aliasArn;
  log.info(`${spec.functionName}: alias "${spec.alias}" now serves version ${target} (was ${previous})`);
}

/** Puts the alias back on the version it served before the step, with no routing. */
export async function rollbackAlias(context: AliasContext): Promise<void> {
  const { prepared, report, log } = context;
  const previous = prepared.alias?.FunctionVersion;
  if (!report.aliasMoved || !prepared.spec.alias) return;
  if (!previous) {
    log.warning(`${prepared.spec.functionName}: alias "${prepared.spec.alias}" was created by this step and had no previous version to go back to; it stays on version ${report.version}`);
    return;
  }
  await updateAlias(context, previous, {});
  report.rolledBack = true;
  report.outcome = 'rolled-back';
  log.info(`${prepared.spec.functionName}: rolled back: alias "${prepared.spec.alias}" serves version ${previous} again`);
}
