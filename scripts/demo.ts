/**
 * `pnpm demo [--scenario NAME] [--keep]`: starts the local staging environment (moto, PostgreSQL, a registry,
 * fake GitHub and Slack, the staging app), then runs the sample repository's workflows/deploy-staging.yml
 * for a push to develop with the local runner, printing each job and step as it runs (and the log of a
 * failing step), then the Slack message(s), the step summaries and what is deployed. `--scenario` runs one
 * of the other scenarios of test/src/staging/scenarios.ts; `--keep` leaves everything up until Ctrl-C.
 */
import { parseArgs } from 'node:util';
import { formatDuration, progressPrinter } from '@deploy-suite/local-runner';
import { startLocalStaging, type LocalStaging } from '../test/src/staging/index.js';
import { recordedDeployments, slackTexts } from '../test/src/staging/pipeline.js';
import { asExpected, SCENARIOS, scenario as findScenario, type ScenarioRun } from '../test/src/staging/scenarios.js';

const write = (line = ''): void => void process.stdout.write(`${line}\n`);
const heading = (text: string): void => write(`\n\x1b[1m${text}\x1b[0m`);

function usage(): string {
  return ['usage: pnpm demo [--scenario NAME] [--keep] [--verbose]', '', 'scenarios:', ...SCENARIOS.map((entry) => `  ${entry.name.padEnd(16)} ${entry.description}`)].join('\n');
}

async function report(staging: LocalStaging, runs: ScenarioRun[]): Promise<void> {
  heading('Slack (#deploys)');
  const messages = slackTexts(staging);
  if (messages.length === 0) write('  (no message)');
  for (const message of messages) write(`  • ${message.replaceAll('\n', '\n    ')}`);
  for (const run of runs) {
    heading(`Step summaries of ${run.label} (run ${run.runId}, ${run.conclusion})`);
    if (run.summaries.length === 0) write('  (none)');
    for (const summary of run.summaries) {
      write(`  ── ${summary.job} › ${summary.step}`);
      for (const line of summary.markdown.trimEnd().split('\n')) write(`    ${line}`);
    }
  }
  heading('What staging runs now');
  const state = await staging.state();
  for (const [name, service] of Object.entries(state.services)) {
    write(`  ECS ${name.padEnd(8)} ${service.version?.slice(0, 12) ?? 'no image (CannotPullContainerError)'}  ${service.desiredCount} task(s)  ${service.taskDefinition.split('/').pop()}`);
  }
  write(`  Lambda events  alias ${state.function.alias} -> version ${state.function.version} (APP_VERSION ${String(state.function.appVersion).slice(0, 12)})`);
  write(`  site           ${state.site.length} file(s) in s3://${staging.vars.WEB_BUCKET}: ${state.site.slice(0, 6).join(', ')}${state.site.length > 6 ? ', ...' : ''}`);
  write(`  database       tables: ${state.tables.join(', ') || '(none)'}`);
  heading('Deployments recorded (GitHub API)');
  const deployments = recordedDeployments(staging);
  if (deployments.length === 0) write('  (none)');
  for (const deployment of deployments) write(`  #${deployment.id} ${deployment.sha.slice(0, 12)} ${deployment.state ?? ''}`);
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { scenario: { type: 'string', default: 'push' }, keep: { type: 'boolean', default: false }, verbose: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } } });
  if (values.help) {
    write(usage());
    return 0;
  }
  let chosen;
  try {
    chosen = findScenario(values.scenario);
  } catch (error) {
    write(`demo: ${(error as Error).message}\n\n${usage()}`);
    return 2;
  }
  const started = Date.now();
  write('Starting the local staging environment: moto (AWS), PostgreSQL, a container registry, fake GitHub API and Slack, the staging app, the sample repository...');
  const staging = await startLocalStaging();
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await staging.stop();
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));
  try {
    write(`Ready in ${formatDuration(Date.now() - started)}. Sample repository: ${staging.repo.directory} (develop at ${staging.repo.initialSha.slice(0, 12)})`);
    heading(`Scenario ${chosen.name}: ${chosen.description}`);
    const printer = progressPrinter(write, { verbose: values.verbose });
    const runs = await chosen.run(staging, (event) => printer.onProgress(event), (line) => heading(line));
    await report(staging, runs);
    heading(`Done in ${formatDuration(Date.now() - started)}: ${runs.map((run) => `${run.label} ${run.conclusion}`).join(', ')}`);
    if (values.keep) {
      heading('Still running (Ctrl-C stops everything):');
      write(`  staging app     ${staging.app.url}/healthz   ${staging.app.url}/worker/healthz   ${staging.app.url}/`);
      write(`  AWS (moto)      AWS_ENDPOINT_URL=${staging.aws.AWS_ENDPOINT_URL} AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=${staging.vars.AWS_REGION}`);
      write(`  PostgreSQL      ${staging.databaseUrl}`);
      write(`  registry        ${staging.registry.url}/v2/_catalog`);
      write(`  GitHub API      ${staging.github.url}/repos/${staging.repositoryName}/deployments (token needed)`);
      write(`  Slack           ${staging.slack.apiUrl}/conversations.history?channel=C0DEPLOYS1&token=${staging.slack.token}`);
      write(`  repository      ${staging.repo.directory}`);
      await new Promise(() => undefined);
    }
    // A failure story succeeds when the pipeline failed the way it should; anything else exits 1.
    if (asExpected(chosen, runs)) return 0;
    write(`The runs did not end as this scenario expects (${(chosen.expected ?? runs.map(() => 'success')).join(', ')}).`);
    return 1;
  } finally {
    if (!values.keep) await stop();
  }
}

process.exitCode = await main();
