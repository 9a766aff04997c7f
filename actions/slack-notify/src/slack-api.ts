/**
 * Talks to Slack: the Web API (chat.postMessage, chat.update) and incoming
 * webhooks. Retries 5xx and network errors with backoff, waits out 429s for
 * as long as Retry-After says, and never goes past the caller's deadline: a
 * notification must not hold a deployment up. Errors name Slack's error code
 * and what to do about it, and never carry the webhook URL or the token.
 */
import { backoffDelay, formatDuration, parseRetryAfter, retry, userAgent, type BackoffOptions } from '@deploy-suite/kit';
import { httpClient, networkReason, type HttpResponse, type HttpSend } from '@deploy-suite/kit/http';
import { ACTION_NAME } from './constants.js';

/** The kit's client (node:http, the runner's proxy honoured): plain HTTP, not the official Slack clients, see bench/slack-notify.bench.mjs. */
export const sendHttp: HttpSend = httpClient(userAgent(ACTION_NAME));

export class SlackError extends Error {
  override readonly name = 'SlackError';
  constructor(
    message: string,
    /** Slack's error code (`channel_not_found`), or `http_503`, `network`. */
    readonly code: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export interface SendOptions {
  /** Epoch ms after which no attempt starts and no wait is begun. */
  deadline: number;
  log: (line: string) => void;
  http?: HttpSend;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Backoff between retries of 5xx and network errors. */
  backoff?: BackoffOptions;
}

export const MAX_ATTEMPTS = 5;
const REQUEST_TIMEOUT_MS = 10_000;
const DEFAULT_BACKOFF: BackoffOptions = { initialDelayMs: 1_000, maxDelayMs: 8_000, factor: 2, jitter: 0.5 };
const RETRYABLE_CODES = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'ratelimited', 'rate_limited']);

const HINTS: Record<string, string> = {
  invalid_auth: 'Slack does not accept the token: check the secret given as "token"',
  not_authed: 'no token reached Slack: check the secret given as "token"',
  account_inactive: 'the token belongs to a deleted user or an uninstalled app: issue a new bot token',
  token_revoked: 'the token was revoked: issue a new bot token',
  token_expired: 'the token expired: issue a new bot token',
  channel_not_found: 'the channel does not exist or the app cannot see it: use the channel ID (C…), and invite the app to a private channel',
  not_in_channel: 'the app is not in the channel: invite it (/invite @app), or give it the chat:write.public scope',
  is_archived: 'the channel is archived',
  channel_is_archived: 'the channel is archived',
  missing_scope: 'the token lacks a scope this call needs (chat:write)',
  message_not_found: 'no message with that ts in that channel',
  cant_update_message: 'only messages the same app posted can be updated',
  edit_window_closed: 'the message is too old to be edited',
  invalid_blocks: 'Slack rejected the blocks: check the payload against Block Kit',
  invalid_blocks_format: 'Slack rejected the blocks: "blocks" must be an array of Block Kit blocks',
  invalid_attachments: 'Slack rejected the attachments',
  msg_too_long: 'the message text is too long',
  no_text: 'the message has nothing to show: give "text" or "blocks" in the payload',
  invalid_payload: 'the payload is not a valid Slack message',
  no_service: 'the webhook was disabled or deleted: create a new one',
  no_active_hooks: 'the webhook was disabled: create a new one',
  action_prohibited: 'a workspace admin restricted posting to this channel',
  posting_to_general_channel_denied: 'only admins may post to this channel',
  restricted_action: 'a workspace preference forbids this app from posting here',
  invalid_arguments: 'Slack rejected the arguments of the call',
};

export function describeSlackError(code: string, needed?: string): string {
  const hint = HINTS[code];
  const scope = code === 'missing_scope' && needed ? ` (needed: ${needed})` : '';
  return hint ? `${code}: ${hint}${scope}` : code;
}

async function withRetries<T>(what: string, attempt: (timeoutMs: number) => Promise<T>, options: SendOptions): Promise<T> {
  const now = options.now ?? Date.now;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  let attemptNumber = 0;
  let lastError: SlackError | undefined;
  return retry(
    async (number) => {
      attemptNumber = number;
      const left = options.deadline - now();
      // A wait that overran the deadline (a busy runner) ends here with what failed last, not with the clock.
      if (left <= 0) throw lastError ?? new SlackError(`${what}: no time left before the timeout`, 'timeout', false);
      return attempt(Math.min(REQUEST_TIMEOUT_MS, left));
    },
    {
      attempts: MAX_ATTEMPTS,
      retryable: (error) => {
        if (!(error instanceof SlackError) || !error.retryable) return false;
        const delayMs = error.retryAfterMs ?? backoffDelay(attemptNumber, backoff);
        const left = options.deadline - now();
        if (delayMs >= left) {
          error.message += `; not retrying: the next attempt would be in ${formatDuration(delayMs)}, and only ${formatDuration(Math.max(0, left))} of the timeout is left`;
          return false;
        }
        lastError = error;
        return { afterMs: delayMs };
      },
      onRetry: (error, number, delayMs) => options.log(`${(error as Error).message}; attempt ${number + 1} of ${MAX_ATTEMPTS} in ${formatDuration(delayMs)}`),
      ...(options.sleep ? { sleep: options.sleep } : {}),
    },
  );
}

/**
 * A request that got no HTTP answer. Only an error code or a fixed phrase goes
 * into the message: a client's own message may hold the URL's path, which for a
 * webhook is the secret.
 */
export function networkError(what: string, error: unknown): SlackError {
  return new SlackError(`${what}: Slack could not be reached (${networkReason(error)})`, 'network', true);
}


function httpError(what: string, response: HttpResponse, now: number, code: string): SlackError {
  const retryAfterMs = response.status === 429 ? (parseRetryAfter(response.headers['retry-after'], now) ?? 1_000) : undefined;
  if (response.status === 429) return new SlackError(`${what}: rate limited by Slack (HTTP 429, Retry-After ${formatDuration(retryAfterMs ?? 0)})`, 'ratelimited', true, retryAfterMs);
  const retryable = response.status >= 500 || response.status === 408;
  return new SlackError(`${what}: HTTP ${response.status}${code ? ` ${describeSlackError(code)}` : ''}`, code || `http_${response.status}`, retryable);
}

export interface WebApiResponse {
  ok: boolean;
  channel?: string;
  ts?: string;
  message?: { ts?: string; thread_ts?: string };
  error?: string;
  needed?: string;
  warning?: string;
  response_metadata?: { warnings?: string[]; messages?: string[] };
}

/** A failure after which Slack may still have done what was asked: the answer, not the request, may be what was lost. */
export function mayHaveTakenEffect(error: SlackError): boolean {
  return error.code === 'network' || /^http_5\d\d$/.test(error.code) || error.code === 'internal_error' || error.code === 'fatal_error';
}

/**
 * One Web API method, JSON-encoded, the token in the Authorization header.
 * `recover`, before a retry that follows a failure that may have taken effect,
 * looks for the result (a message already posted) and ends the call with it.
 */
export async function callWebApi(
  apiUrl: string,
  token: string,
  method: string,
  args: Record<string, unknown>,
  options: SendOptions,
  recover?: () => Promise<WebApiResponse | undefined>,
): Promise<WebApiResponse> {
  const send = options.http ?? sendHttp;
  const now = options.now ?? Date.now;
  const url = `${apiUrl.replace(/\/+$/, '')}/${method}`;
  const what = `Slack ${method}`;
  let ambiguous = false;
  const response = await withRetries(
    what,
    async (timeoutMs) => {
      if (ambiguous && recover) {
        const found = await recover();
        if (found) return found;
      }
      try {
        return await attemptOnce(timeoutMs);
      } catch (error) {
        ambiguous = error instanceof SlackError && mayHaveTakenEffect(error);
        throw error;
      }
    },
    options,
  );
  const warnings = [response.warning, ...(response.response_metadata?.warnings ?? [])].filter(Boolean);
  if (warnings.length > 0) options.log(`Slack warns: ${[...new Set(warnings)].join(', ')}`);
  return response;

  async function attemptOnce(timeoutMs: number): Promise<WebApiResponse> {
    let answer: HttpResponse;
    try {
      answer = await send({
        method: 'POST',
        url,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=utf-8', accept: 'application/json' },
        body: JSON.stringify(args),
        timeoutMs,
      });
    } catch (error) {
      throw networkError(what, error);
    }
    const parsed = parseJson(answer.body);
    if (answer.status !== 200) throw httpError(what, answer, now(), typeof parsed?.error === 'string' ? parsed.error : '');
    if (!parsed) throw new SlackError(`${what}: Slack answered HTTP 200 with a body that is not JSON (is "api-url" the Web API's base URL?)`, 'invalid_response', false);
    if (!parsed.ok) {
      const code = parsed.error ?? 'unknown_error';
      throw new SlackError(`${what} failed: ${describeSlackError(code, parsed.needed)}`, code, RETRYABLE_CODES.has(code));
    }
    return parsed;
  }
}

/** Top-level messages of a channel since `oldest` (Unix seconds), newest first; a read method, so a query string. */
export async function channelHistory(apiUrl: string, token: string, channel: string, oldest: number, options: SendOptions): Promise<Record<string, unknown>[]> {
  const send = options.http ?? sendHttp;
  const query = new URLSearchParams({ channel, oldest: oldest.toFixed(6), limit: '50' });
  const answer = await send({ method: 'GET', url: `${apiUrl.replace(/\/+$/, '')}/conversations.history?${query}`, headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, timeoutMs: 5_000 });
  const parsed = parseJson(answer.body) as (WebApiResponse & { messages?: Record<string, unknown>[] }) | undefined;
  if (answer.status !== 200 || !parsed?.ok) throw new SlackError(`Slack conversations.history failed: ${describeSlackError(parsed?.error ?? `http_${answer.status}`, parsed?.needed)}`, parsed?.error ?? `http_${answer.status}`, false);
  return parsed.messages ?? [];
}

function parseJson(text: string): WebApiResponse | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null ? (value as WebApiResponse) : undefined;
  } catch {
    return undefined;
  }
}

/** An incoming webhook answers `ok` with 200, or an error code as text with a 4xx/5xx. */
export async function postWebhook(webhookUrl: string, message: Record<string, unknown>, options: SendOptions): Promise<void> {
  const send = options.http ?? sendHttp;
  const now = options.now ?? Date.now;
  const what = 'Slack incoming webhook';
  await withRetries(
    what,
    async (timeoutMs) => {
      let answer: HttpResponse;
      try {
        answer = await send({ method: 'POST', url: webhookUrl, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(message), timeoutMs });
      } catch (error) {
        throw networkError(what, error);
      }
      if (answer.status === 200) return;
      const code = /^[a-z_]{2,60}$/.test(answer.body.trim()) ? answer.body.trim() : '';
      throw httpError(what, answer, now(), code);
    },
    options,
  );
}
