import * as core from '@actions/core';
import { addTable, code, formatDuration, phase, writeSummary } from '@deploy-suite/kit';
import { Output, REMOTE, filterOutputs } from './constants.js';
import { compileFilters, matchFilters, parseFilters, type Filter, type FilterResult } from './filters.js';
import { loadPicomatch } from './glob.js';
import { formatFileList } from './format.js';
import type { ChangeList } from './changes.js';
import { Git } from './git.js';
import type { PrefetchedCommands } from './git-process.js';
import { getInputs, type Inputs } from './inputs.js';
import { readRunContext } from './event.js';
import { RangeResolver, type Detection, type GitHubLookups } from './range.js';
import { identityScope, parseScope, resolveForce, selectTargets } from './scope.js';

/** Outputs this action adds to dorny/paths-filter's (`changes` and the per-filter ones are dorny's). */
const EXTRA_OUTPUTS: readonly string[] = Object.values(Output).filter((name) => name !== Output.Changes);

/** The GitHub API lookups, loaded on first use: most runs diff with git alone and never load an HTTP client. */
function lazyGitHubLookups(inputs: Inputs): GitHubLookups | undefined {
  const repository = process.env.GITHUB_REPOSITORY;
  const token = inputs.token;
  if (!token || !repository) return undefined;
  let loading: Promise<GitHubLookups> | undefined;
  const load = (): Promise<GitHubLookups> =>
    (loading ??= import('./github-api.js').then((api) => new api.ApiLookups({ token, repository, log: (line) => core.info(line), deploymentTask: inputs.deploymentTask })));
  return {
    pullRequestFiles: async (pullNumber) => (await load()).pullRequestFiles(pullNumber),
    lastSuccessfulDeployment: async (environment) => (await load()).lastSuccessfulDeployment(environment),
  };
}

/** Milliseconds since the process started. Not performance.now(): its first use loads perf_hooks, ~3 ms of a cold run. */
const sinceStart = (): number => Math.round(process.uptime() * 1000);

/** Finds the changes (inputs → files per filter → outputs, log and summary). */
export async function run(prefetched: PrefetchedCommands): Promise<void> {
  const started = Date.now();
  const inputs = getInputs();
  const options = { quantifier: inputs.predicateQuantifier, negation: inputs.negation };
  const parsed = parseFilters(inputs.filters.value, options);
  for (const warning of parsed.warnings) core.warning(warning);
  const filterNames = parsed.filters.map((filter) => filter.name);
  const shadowed = shadowedOutputs(filterNames);
  const scope = inputs.scope ? parseScope(inputs.scope.value, filterNames) : identityScope(filterNames);
  const forced = resolveForce(inputs.force, scope);

  const detecting = Date.now();
  const detection = await phase('Detecting changes', () => detect(inputs, prefetched));
  core.debug(`setup ${detecting - started} ms, detection (git or the API) ${Date.now() - detecting} ms, since process start ${sinceStart()} ms`);
  for (const warning of detection.warnings) core.warning(warning);
  const matching = Date.now();
  // picomatch only for globs (or paths) the string tests cannot answer exactly.
  const plainPaths = detection.files.plainPaths;
  const picomatch = parsed.needsPicomatch || !plainPaths ? await loadPicomatch() : undefined;
  const filters: Filter[] = compileFilters(parsed, options, picomatch, plainPaths);
  const results = matchFilters(filters, detection.files);
  core.debug(`matching ${detection.files.length} files against ${filters.length} filters: ${Date.now() - matching} ms`);
  const changed = new Set(results.filter((result) => detection.everythingChanged || result.paths.length > 0).map((result) => result.name));
  const targets = forced ?? selectTargets(scope, changed);

  writeOutputs(inputs, detection, results, changed, targets, shadowed);
  logResults(inputs, detection.files, results, changed, targets, forced !== undefined);
  core.info(`Done in ${formatDuration(Date.now() - started)}.`);
  core.debug(`since process start ${sinceStart()} ms`);
  await summarize(detection, results, changed, targets, forced !== undefined);
}

async function detect(inputs: Inputs, prefetched: PrefetchedCommands): Promise<Detection> {
  const git = new Git(inputs.workingDirectory, (line) => core.info(line), prefetched);
  const resolver = new RangeResolver(
    git,
    readRunContext(process.env),
    { base: inputs.base, ref: inputs.ref, defaultBranch: inputs.defaultBranch, environment: inputs.environment, remote: REMOTE },
    lazyGitHubLookups(inputs),
    (line) => core.info(line),
  );
  const detection = await resolver.detect();
  core.info(`Compared ${describeRange(detection)} (${detection.reason}; base: ${detection.baseSource}; source: ${detection.source}): ${detection.everythingChanged ? 'every file counts as changed' : `${detection.files.length} changed files`}`);
  return detection;
}

/** `base..head` in short SHAs, or the head alone when nothing was compared against. */
function describeRange(detection: Detection): string {
  const head = detection.head?.slice(0, 12) ?? 'n/a';
  return detection.base ? `${detection.base.slice(0, 12)}..${head}` : head;
}

/**
 * Our outputs that a filter's outputs (`name`, `name_count`, `name_files`) take
 * over, with a warning for each. As in dorny/paths-filter, a filter named
 * `changes` also takes over the `changes` list.
 */
function shadowedOutputs(filterNames: readonly string[]): Set<string> {
  const taken = new Map<string, string>();
  for (const name of filterNames) for (const output of Object.values(filterOutputs(name))) taken.set(output, name);
  const shadowed = new Set<string>();
  for (const output of [Output.Changes, ...EXTRA_OUTPUTS]) {
    const filter = taken.get(output);
    if (filter === undefined) continue;
    shadowed.add(output);
    const renamed = output === Output.Changes ? 'the list of changed filters is not set (as in dorny/paths-filter)' : `this action's "${output}" output is not set`;
    core.warning(`filter "${filter}" writes the output "${output}", so ${renamed}; rename the filter (e.g. "${filter}-files") to get both`);
  }
  return shadowed;
}

function writeOutputs(inputs: Inputs, detection: Detection, results: FilterResult[], changed: Set<string>, targets: string[], shadowed: Set<string>): void {
  const setOutput = (name: string, value: string): void => {
    if (!shadowed.has(name)) core.setOutput(name, value);
  };
  for (const result of results) {
    const names = filterOutputs(result.name);
    core.setOutput(names.matched, String(changed.has(result.name)));
    core.setOutput(names.count, detection.everythingChanged ? '' : String(result.paths.length));
    if (inputs.listFiles !== 'none') core.setOutput(names.files, formatFileList(result.paths, inputs.listFiles));
  }
  setOutput(Output.Changes, JSON.stringify(results.filter((result) => changed.has(result.name)).map((result) => result.name)));
  setOutput(Output.AnyChanged, String(changed.size > 0));
  setOutput(Output.AllChanged, String(results.length > 0 && changed.size === results.length));
  setOutput(Output.Targets, JSON.stringify(targets));
  setOutput(Output.Base, detection.base ?? '');
  setOutput(Output.BaseSource, detection.baseSource);
  setOutput(Output.Head, detection.head ?? '');
  setOutput(Output.Source, detection.source);
  setOutput(Output.FileCount, detection.everythingChanged ? '' : String(detection.files.length));
}

function logResults(inputs: Inputs, files: ChangeList, results: FilterResult[], changed: Set<string>, targets: string[], forced: boolean): void {
  for (const result of results) {
    const line = `${result.name}: ${changed.has(result.name) ? 'changed' : 'unchanged'} (${result.paths.length} files)`;
    if (inputs.logFiles && result.paths.length > 0) {
      core.startGroup(line);
      for (const path of result.paths) core.info(`${path} [${files.statusOf(path)}]`);
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
    ['Range', 'Why', 'Base from', 'Source', 'Changed files'],
    [[code(describeRange(detection)), detection.reason, detection.baseSource, detection.source, detection.everythingChanged ? 'all (not listed)' : detection.files.length]],
  );
  addTable(
    ['Filter', 'Changed', 'Files'],
    results.map((result) => [code(result.name), changed.has(result.name) ? 'yes' : 'no', detection.everythingChanged ? '-' : result.paths.length]),
  );
  core.summary.addRaw(`<p><strong>Targets${forced ? ' (forced)' : ''}:</strong> ${targets.length > 0 ? targets.map((target) => code(target).html).join(' ') : 'none'}</p>`, true);
  await writeSummary();
}
