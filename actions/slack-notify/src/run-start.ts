/**
 * When the run started, from the GitHub API (`run_started_at` of the run's
 * current attempt): the duration of a final notification whose workflow did
 * not pass `started-at` along. One request, a short timeout, no retries: a
 * missing duration is not worth delaying the notification for.
 */
import { userAgent } from '@deploy-suite/kit';
import type { HttpSend } from '@deploy-suite/kit/http';
import { ACTION_NAME } from './constants.js';

export interface RunStartRequest {
  apiUrl: string;
  token: string;
  repository: string;
  runId: string;
  timeoutMs: number;
  http?: HttpSend;
}

export async function readRunStart(request: RunStartRequest): Promise<Date> {
  // Only a final notification without started-at needs the API: loaded then.
  const { GitHubApi, GitHubApiError } = await import('@deploy-suite/kit/github');
  const api = new GitHubApi({
    token: request.token,
    baseUrl: request.apiUrl,
    userAgent: userAgent(ACTION_NAME),
    attempts: 1,
    timeoutMs: request.timeoutMs,
    ...(request.http ? { send: request.http } : {}),
  });
  let started: unknown;
  try {
    started = (await api.request<{ run_started_at?: unknown } | undefined>('GET', `/repos/${request.repository}/actions/runs/${encodeURIComponent(request.runId)}`))?.run_started_at;
  } catch (error) {
    if (!(error instanceof GitHubApiError)) throw error;
    if (error.noAnswer !== undefined) throw new Error(`the GitHub API could not be reached (${error.noAnswer})`);
    const hint = error.status === 403 || error.status === 404 ? ': the token needs the actions: read permission' : '';
    throw new Error(`the GitHub API answered HTTP ${error.status}${hint}`);
  }
  const ms = typeof started === 'string' ? Date.parse(started) : Number.NaN;
  if (Number.isNaN(ms)) throw new Error('the GitHub API gave no run_started_at for this run');
  return new Date(ms);
}
