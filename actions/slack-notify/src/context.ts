/**
 * What the runner tells about the run: repository, commit, branch, actor, the
 * workflow run's links. Read from the runner's variables and the event
 * payload; nothing here calls an API.
 */
export interface RunContext {
  serverUrl: string;
  repository: string;
  /** The commit that was deployed (a pull request's head, not its merge commit). */
  sha: string;
  /** Branch or tag name. */
  refName: string;
  actor: string;
  runId: string;
  runNumber: string;
  runAttempt: number;
  workflow: string;
  job: string;
  eventName: string;
  commitMessage?: string;
  pullRequest?: { number: number; url: string; title: string };
}

/** The fields of the event payload the message reads (kit readEventPayload). */
export interface EventPayload {
  head_commit?: { message?: string } | null;
  pull_request?: { number?: number; html_url?: string; title?: string; head?: { sha?: string } };
}

export function readRunContext(env: NodeJS.ProcessEnv, event: EventPayload): RunContext {
  const ref = env.GITHUB_REF ?? '';
  const pull = event.pull_request;
  const refName = env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME || ref.replace(/^refs\/(?:heads|tags)\//, '');
  const attempt = Number(env.GITHUB_RUN_ATTEMPT ?? '1');
  return {
    serverUrl: (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, ''),
    repository: env.GITHUB_REPOSITORY ?? '',
    sha: pull?.head?.sha || env.GITHUB_SHA || '',
    refName,
    actor: env.GITHUB_TRIGGERING_ACTOR || env.GITHUB_ACTOR || '',
    runId: env.GITHUB_RUN_ID ?? '',
    runNumber: env.GITHUB_RUN_NUMBER ?? '',
    runAttempt: Number.isInteger(attempt) && attempt > 0 ? attempt : 1,
    workflow: env.GITHUB_WORKFLOW ?? '',
    job: env.GITHUB_JOB ?? '',
    eventName: env.GITHUB_EVENT_NAME ?? '',
    ...(event.head_commit?.message ? { commitMessage: event.head_commit.message } : {}),
    ...(pull?.number && pull.html_url ? { pullRequest: { number: pull.number, url: pull.html_url, title: pull.title ?? '' } } : {}),
  };
}

export function repositoryUrl(context: RunContext): string {
  return `${context.serverUrl}/${context.repository}`;
}

export function commitUrl(context: RunContext): string {
  return `${repositoryUrl(context)}/commit/${context.sha}`;
}

/** The run's page, at this attempt when it is a re-run. */
export function runUrl(context: RunContext): string {
  const base = `${repositoryUrl(context)}/actions/runs/${context.runId}`;
  return context.runAttempt > 1 ? `${base}/attempts/${context.runAttempt}` : base;
}
