/**
 * When the run started, from the GitHub API (`run_started_at` of the run's
 * current attempt): the duration of a final notification whose workflow did
 * not pass `started-at` along. One request, a short timeout, no retries: a
 * missing duration is not worth delaying the notification for.
 */
import { sendHttp, type HttpSend } from './http.js';
import { networkReason } from './network-reason.js';

export interface RunStartRequest {
  apiUrl: string;
  token: string;
  repository: string;
  runId: string;
  timeoutMs: number;
  http?: HttpSend;
}

export async function readRunStart(request: RunStartRequest): Promise<Date> {
  const send = request.http ?? sendHttp;
  const url = `${request.apiUrl.replace(/\/+$/, '')}/repos/${request.repository}/actions/runs/${encodeURIComponent(request.runId)}`;
  let response;
  try {
    response = await send({
      method: 'GET',
      url,
      headers: { authorization: `Bearer ${request.token}`, accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' },
      timeoutMs: request.timeoutMs,
    });
  } catch (error) {
    throw new Error(`the GitHub API could not be reached (${networkReason(error)})`);
  }
  if (response.status !== 200) {
    const hint = response.status === 403 || response.status === 404 ? ': the token needs the actions: read permission' : '';
    throw new Error(`the GitHub API answered HTTP ${response.status}${hint}`);
  }
  let started: unknown;
  try {
    started = (JSON.parse(response.body) as { run_started_at?: unknown }).run_started_at;
  } catch {
    started = undefined;
  }
  const ms = typeof started === 'string' ? Date.parse(started) : Number.NaN;
  if (Number.isNaN(ms)) throw new Error('the GitHub API gave no run_started_at for this run');
  return new Date(ms);
}
