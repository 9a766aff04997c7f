/**
 * The road not taken, kept to measure it: src/slack-api.ts rewritten on the
 * official clients (@slack/web-api's WebClient and @slack/webhook's
 * IncomingWebhook, which bring their own retries and rate-limit handling).
 * bench/slack-notify.bench.mjs bundles the action with this file in place of
 * src/slack-api.ts and compares bundle size and time to exit. It exports what
 * the action's other modules import from src/slack-api.ts (the root tsconfig
 * type-checks this file; the bench's build fails on a missing export).
 */
import { ErrorCode, LogLevel, WebClient } from '@slack/web-api';
import { IncomingWebhook } from '@slack/webhook';

export class SlackError extends Error {
  override readonly name = 'SlackError';
  constructor(
    message: string,
    readonly code: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export interface SendOptions {
  deadline: number;
  log: (line: string) => void;
}

export interface WebApiResponse {
  ok: boolean;
  channel?: string;
  ts?: string;
  message?: { ts?: string; thread_ts?: string };
  error?: string;
}

const RETRIES = { retries: 4, factor: 2, minTimeout: 1_000, maxTimeout: 8_000 };

function toSlackError(what: string, error: unknown): SlackError {
  const coded = error as { code?: string; data?: { error?: string }; statusCode?: number };
  if (coded.code === ErrorCode.PlatformError) return new SlackError(`${what} failed: ${coded.data?.error ?? 'unknown_error'}`, coded.data?.error ?? 'unknown_error', false);
  if (coded.code === ErrorCode.HTTPError) return new SlackError(`${what}: HTTP ${coded.statusCode ?? '?'}`, `http_${coded.statusCode ?? 0}`, false);
  return new SlackError(`${what}: Slack could not be reached`, 'network', false);
}

export async function callWebApi(
  apiUrl: string,
  token: string,
  method: string,
  args: Record<string, unknown>,
  options: SendOptions,
  // The lost-answer recovery is the action's own: the library retries blind.
  _recover?: () => Promise<WebApiResponse | undefined>,
): Promise<WebApiResponse> {
  const client = new WebClient(token, {
    slackApiUrl: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`,
    timeout: Math.max(1, options.deadline - Date.now()),
    retryConfig: RETRIES,
    logLevel: LogLevel.ERROR,
  });
  try {
    return (await client.apiCall(method, args)) as WebApiResponse;
  } catch (error) {
    throw toSlackError(`Slack ${method}`, error);
  }
}

export async function postWebhook(webhookUrl: string, message: Record<string, unknown>, options: SendOptions): Promise<void> {
  const hook = new IncomingWebhook(webhookUrl, { timeout: Math.max(1, options.deadline - Date.now()), retryConfig: RETRIES });
  try {
    await hook.send(message);
  } catch (error) {
    throw toSlackError('Slack incoming webhook', error);
  }
}

export async function channelHistory(apiUrl: string, token: string, channel: string, oldest: number, options: SendOptions): Promise<Record<string, unknown>[]> {
  const client = new WebClient(token, { slackApiUrl: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`, timeout: Math.max(1, options.deadline - Date.now()), logLevel: LogLevel.ERROR });
  try {
    const answer = await client.conversations.history({ channel, oldest: oldest.toFixed(6), limit: 50 });
    return (answer.messages ?? []) as Record<string, unknown>[];
  } catch (error) {
    throw toSlackError('Slack conversations.history', error);
  }
}
