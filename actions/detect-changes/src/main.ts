import * as core from '@actions/core';
import { ConfigurationError, addTable, code, formatDuration, phase, writeSummary } from '@deploy-suite/kit';
import { Input, Output, filterOutputs } from './constants.js';
import { matchFilters, parseFilters, type FilterResult } from './filters.js';
import { formatFileList } from './format.js';
import { Git } from './git.js';
import { prefetched } from './prefetch.js';
import { getInputs, type Inputs } from './inputs.js';
import { readEventPayload, type EventPayload } from './event.js';
import { RangeResolver, type Detection, type RunContext } from './range.js';
import { identityScope, parseScope, resolveForce, selectTargets } from './scope.js';

/** Outputs of this action that a filter cannot be named after. */
const RESERVED_OUTPUTS = new Set<string>(Object.values(Output));
const REMOTE = 'origin';

function readContext(): RunContext {
  const eventPath = process.env.GITHUB_EVENT_PATH;
  let payload: EventPayload;
  try {
    payload = readEventPayload(eventPath);
  } catch (error) {
    throw new ConfigurationError(`cannot read the event payload at GITHUB_EVENT_PATH (${eventPath}): ${(error as Error).message}`);
  }
  return {
    eventName: process.env.GITHUB_EVENT_NAME ?? 'push',
    payload,
    sha: process.env.GITHUB_SHA || 'HEAD',
    ref: process.env.GITHUB_REF ?? '',
  };
}

export async function run(): Promise<void> {
  const started = Date.now();
  const inputs = getInputs();
  const filters = parseFilters(inputs.filters.value, inputs.predicateQuantifier);
  for (const filter of filters) {
    if (RESERVED_OUTPUTS.has(filter.name)) {
      throw new ConfigurationError(`input "${Input.Filters}": filter name "${filter.name}" is taken by an output of this action (${[...RESERVED_OUTPUTS].join(', ')})`);
    }
  }
  const filterNames = filters.map((filter) => filter.name);
  const scope = inputs.scope ? parseScope(inputs.scope.value, filterNames) : identityScope(filterNames);
  const forced = resolveForce(inputs.force, scope);

  const detecting = Date.now();
  const detection = await phase('Detecting changes', () => detect(inputs));
  core.debug(`setup ${detecting - started} ms, detection (git or the API) ${Date.now() - detecting} ms, since process start ${Math.round(performance.now())} ms`);
  for (const warning of detection.warnings) core.warning(warning);
  const matching = Date.now();
  const results = matchFilters(filters, detection.files, inputs.predicateQuantifier);
  core.debug(`matching ${detection.files.length} files against ${filters.length} filters: ${Date.now() - matching} ms`);
  const changed = new Set(results.filter((result) => detection.everythingChanged || result.files.length > 0).map((result) => result.name));
  const targets = forced ?? selectTargets(scope, changed);

  writeOutputs(inputs, detection, results, changed, targets);
  logResults(inputs, results, changed, targets, forced !== undefined);
  core.info(`Done in ${formatDuration(Date.now() - started)}.`);
  core.debug(`since process start ${Math.round(performance.now())} ms`);
  await summarize(detection, results, changed, targets, forced !== undefined);
}

async function detect(inputs: Inputs): Promise<Detection> {
  const context = readContext();
  const git = new Git(inputs.workingDirectory, (line) => core.info(line), prefetched);
  const github = inputs.token && process.env.GITHUB_REPOSITORY ? (await import('./github-api.js')).gitHubLookups(inputs.token, process.env.GITHUB_REPOSITORY, (line) => core.info(line)) : undefined;
  const resolver = new RangeResolver(
    git,
    context,
    { base: inputs.base, ref: inputs.ref, defaultBranch: inputs.defaultBranch, environment: inputs.environment, remote: REMOTE },
    github,
    (line) => core.info(line),
  );
  const detection = await resolver.detect();
  core.info(`Compared ${describeRange(detection)} (${detection.reason}; source: ${detection.source}): ${detection.everythingChanged ? 'every file counts as changed' : `${detection.files.length} changed files`}`);
  return detection;
}

/** `base..head` in short SHAs, or the head alone when nothing was compared against. */
function describeRange(detection: Detection): string {
  const head = detection.head?.slice(0, 12) ?? 'n/a';
  return detection.base ? `${detection.base.slice(0, 12)}..${head}` : head;
}

function writeOutputs(inputs: Inputs, detection: Detection, results: FilterResult[], changed: Set<string>, targets: string[]): void {
  for (const result of results) {
    const names = filterOutputs(result.name);
    core.setOutput(names.matched, String(changed.has(result.name)));
    core.setOutput(names.count, detection.everythingChanged ? '' : String(result.files.length));
    if (inputs.listFiles !== 'none') core.setOutput(names.files, formatFileList(result.files.map((file) => file.filename), inputs.listFiles));
  }
  core.setOutput(Output.Changes, JSON.stringify(results.filter((result) => changed.has(result.name)).map((result) => result.name)));
  core.setOutput(Output.AnyChanged, String(changed.size > 0));
  core.setOutput(Output.AllChanged, String(changed.size === results.length));
  core.setOutput(Output.Targets, JSON.stringify(targets));
  core.setOutput(Output.Base, detection.base ?? '');
  core.setOutput(Output.Head, detection.head ?? '');
  core.setOutput(Output.Source, detection.source);
  core.setOutput(Output.FileCount, detection.everythingChanged ? '' : String(detection.files.length));
}

function logResults(inputs: Inputs, results: FilterResult[], changed: Set<string>, targets: string[], forced: boolean): void {
  for (const result of results) {
    const line = `${result.name}: ${changed.has(result.name) ? 'changed' : 'unchanged'} (${result.files.length} files)`;
    if (inputs.logFiles && result.files.length > 0) {
      core.startGroup(line);
      for (const file of result.files) core.info(`${file.filename} [${file.status}]`);
      core.endGroup();
    } else {
      core.info(line);
    }
  }
  core.info(`Targets${forced ? ' (forced)' : ''}: ${targets.length > 0 ? targets.join(', ') : 'none'}`);
}

async function summarize(detection: Detection, results: FilterResult[], changed: Set<string>, targets: string[], forced: boolean): Promise<void> {
  core.summary.addHeading('Changes detected', 3);
  addTable(
    ['Range', 'Why', 'Source', 'Changed files'],
    [[code(describeRange(detection)), detection.reason, detection.source, detection.everythingChanged ? 'all (not listed)' : detection.files.length]],
  );
  addTable(
    ['Filter', 'Changed', 'Files'],
    results.map((result) => [code(result.name), changed.has(result.name) ? 'yes' : 'no', detection.everythingChanged ? '-' : result.files.length]),
  );
  core.summary.addRaw(`<p><strong>Targets${forced ? ' (forced)' : ''}:</strong> ${targets.length > 0 ? targets.map((target) => code(target).html).join(' ') : 'none'}</p>`, true);
  await writeSummary();
}
