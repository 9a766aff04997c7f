import { runAction, type RunOptions, type StepResult } from '../../src/index.js';
import { DEPLOYS_CHANNEL, type FakeSlack } from '../../src/services/slack.js';

export const ACTION = 'slack-notify';

type Inputs = NonNullable<RunOptions['inputs']>;

/**
 * Runs the committed bundle against the fake. The GitHub API points at the
 * fake too, and the run-start lookup is off unless a test gives `github-token`
 * (action.yml's default is an expression only the runner evaluates).
 */
export function notify(fake: FakeSlack, inputs: Inputs, options: Omit<RunOptions, 'inputs'> = {}): Promise<StepResult> {
  return runAction(ACTION, { ...options, inputs: { 'github-token': '', ...inputs }, env: { GITHUB_API_URL: fake.url, ...options.env } });
}

/** Inputs for the Web API destination of the fake. */
export function webApi(fake: FakeSlack, apiUrl = fake.apiUrl): Inputs {
  return { token: fake.token, channel: DEPLOYS_CHANNEL, 'api-url': apiUrl };
}

/** Every text of a message, for "does it say X" checks. */
export function textOf(body: unknown): string {
  return JSON.stringify(body);
}

/** An unexpected error prints a stack only with debug logging; a user mistake never does. */
export function hasStack(log: string): boolean {
  return /\n\s+at .+:\d+:\d+/.test(log);
}
