/**
 * One local staging environment per test file, reset before every scenario,
 * and the questions the scenarios ask of its end state.
 */
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { startLocalStaging, type LocalStaging } from '../src/staging/index.js';
import { recordedDeployments, slackTexts } from '../src/staging/pipeline.js';
import { scenario, type ScenarioRun } from '../src/staging/scenarios.js';
import { listTags } from '../src/staging/images.js';

export function useStaging(): { current(): LocalStaging } {
  let staging: LocalStaging | undefined;
  let fresh = true;
  beforeAll(async () => {
    staging = await startLocalStaging();
  });
  afterAll(() => staging?.stop());
  beforeEach(async () => {
    // The first scenario gets the environment as started; later ones a reset copy.
    if (!fresh) await staging?.reset();
    fresh = false;
  });
  return {
    current: () => {
      if (!staging) throw new Error('the staging environment did not start');
      return staging;
    },
  };
}

/** Runs a scenario of test/src/staging/scenarios.ts; a run that threw fails the test with its message. */
export async function play(staging: LocalStaging, name: string): Promise<ScenarioRun[]> {
  return scenario(name).run(staging);
}

/** The log of the failed steps of a run, for an assertion message. */
export function failures(run: ScenarioRun): string {
  const failed = Object.entries(run.jobs).filter(([, job]) => job.result === 'failure').map(([id, job]) => `${id}: ${job.steps.filter((step) => step.outcome === 'failure').map((step) => step.name).join(', ')}`);
  return `${run.label} ended ${run.conclusion}${failed.length ? ` (failed: ${failed.join('; ')})` : ''}\n${run.log.split('\n').slice(-80).join('\n')}`;
}

export function expectConclusion(run: ScenarioRun, conclusion: ScenarioRun['conclusion']): void {
  expect(run.conclusion, failures(run)).toBe(conclusion);
}

/** Jobs of a run that did something (not skipped), as 'deploy/plan'-style ids. */
export function ranJobs(run: ScenarioRun): string[] {
  return Object.entries(run.jobs)
    .filter(([, job]) => job.result !== 'skipped')
    .map(([id]) => id);
}

export { recordedDeployments, slackTexts, listTags };
