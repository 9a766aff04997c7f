import * as core from '@actions/core';
import { addTable, code, escapeHtml, writeSummary, type Cell } from '@deploy-suite/kit';
import { Output, SMOKE_DEFAULTS } from './constants.js';
import { getInputs, type CheckInputs, type Inputs } from './inputs.js';
import { plan, scopeOf, smokeChecks, type Plan } from './plan.js';

export async function run(): Promise<void> {
  const inputs = await getInputs();
  if (inputs.mode === 'check') return reportChecked(inputs);
  // The plan before any output: a bad input it finds (an unknown target) leaves no output behind.
  const result = plan(inputs.config, { detected: inputs.targets ?? [], deploymentType: inputs.deploymentType, built: inputs.built, artifacts: inputs.artifacts });
  core.setOutput(Output.Filters, JSON.stringify(inputs.config.filters));
  core.setOutput(Output.Scope, JSON.stringify(scopeOf(inputs.config)));
  setPlanOutputs(inputs, result);
  logPlan(inputs, result);
  // The first call only reads the description for detect-changes; the plan is the second call's.
  if (inputs.targets !== undefined) await summarize(inputs, result);
}

/** Mode check: the inputs were good (getInputs threw otherwise); no output is set. */
function reportChecked(inputs: CheckInputs): void {
  const groups = Object.keys(inputs.awsRoles);
  core.info(`Environment ${inputs.environment}; aws-roles ${groups.length > 0 ? `names a role for ${groups.join(', ')}` : 'names no role (every job assumes aws-role-arn)'}`);
}

const json = (value: unknown): string => (value === undefined ? '' : JSON.stringify(value));

function setPlanOutputs(inputs: Inputs, result: Plan): void {
  core.setOutput(Output.Targets, json(result.targets));
  core.setOutput(Output.Images, json(result.images));
  core.setOutput(Output.Services, json(result.services));
  core.setOutput(Output.Functions, json(result.functions));
  core.setOutput(Output.Site, json(result.site));
  core.setOutput(Output.Database, json(result.database));
  const checks = smokeChecks(inputs.config, inputs.version, result.targets);
  core.setOutput(Output.Smoke, checks.length > 0 ? json({ ...SMOKE_DEFAULTS, ...inputs.config.smoke, checks }) : '');
  core.setOutput(Output.Built, json(inputs.built ?? {}));
  core.setOutput(Output.LambdaFunctions, json(result.lambdaFunctions));
  core.setOutput(Output.RunTask, json(result.runTask));
  core.setOutput(Output.SlackChannel, inputs.config.slack?.channel ?? '');
  core.setOutput(Output.Backend, String(result.backend));
  core.setOutput(Output.Frontend, String(result.frontend));
}

function logPlan(inputs: Inputs, result: Plan): void {
  core.info(`${inputs.configFile}: ${Object.keys(inputs.config.images).length} image(s), ${Object.keys(inputs.config.services).length} service(s), ${Object.keys(inputs.config.functions).length} function(s)${inputs.config.site ? ', a site' : ''}${inputs.config.database ? ', a database' : ''}`);
  if (inputs.targets === undefined) return;
  core.info(`Deployment type ${inputs.deploymentType}; changed: ${inputs.targets.join(', ') || 'nothing'}`);
  core.info(result.targets.length > 0 ? `Deploying: ${result.targets.join(', ')}` : 'Nothing to deploy');
}

async function summarize(inputs: Inputs, result: Plan): Promise<void> {
  core.summary.addHeading(`Deploy plan for ${escapeHtml(inputs.environment)} (${escapeHtml(inputs.deploymentType)})`, 3);
  if (result.targets.length === 0) {
    core.summary.addRaw('Nothing to deploy: no target of the description changed.', true);
  } else {
    const c = (text: string): string => `<code>${escapeHtml(text)}</code>`;
    const row = (target: string, what: string): Cell[] => [code(target), { html: what }];
    addTable(['Target', 'What happens'], [
      ...result.images.map((image) => row(`images.${image.name}`, `build or promote ${c(image.repository)}`)),
      ...result.services.map((service) => row(`services.${service.name}`, `roll out ${c(`${service.cluster}/${service.service}`)}`)),
      ...result.functions.map((fn) => row(`functions.${fn.name}`, `publish ${c(fn['function-name'])} → alias ${c(fn.alias ?? 'live')}`)),
      ...(result.database ? [row('database', result.database.migrations ? `migrate ${c(result.database.migrations)}` : 'run the migration command')] : []),
      ...(result.site ? [row('site', `sync ${c(result.site.directory)} to ${c(result.site.bucket)}`)] : []),
    ]);
  }
  await writeSummary();
}
