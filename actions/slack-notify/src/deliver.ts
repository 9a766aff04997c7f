/**
 * Decides which call a notification is: a new post, an update of the message
 * the `started` step posted, or a reply in its thread, and makes it. An update
 * that Slack refuses because the message is gone or too old becomes a new
 * post, so the outcome of the deployment is never lost.
 */
import { randomUUID } from 'node:crypto';
import { callWebApi, channelHistory, postWebhook, SlackError, type SendOptions, type WebApiResponse } from './slack-api.js';

export type Destination = { kind: 'webhook'; url: string } | { kind: 'web-api'; apiUrl: string; token: string; channel: string };

export interface Target {
  /** The message to update, or whose thread to reply in. */
  ts?: string;
  thread: boolean;
}

export type DeliveryAction = 'posted' | 'updated' | 'replied';

export interface Delivery {
  action: DeliveryAction;
  ts?: string;
  channel?: string;
  /** The ts of the thread's parent: the message itself unless it is a reply. */
  threadTs?: string;
}

/** Errors of chat.update after which posting a new message is the right thing to do. */
const POST_INSTEAD_OF_UPDATE = new Set(['message_not_found', 'cant_update_message', 'edit_window_closed']);

export interface DeliverOptions extends SendOptions {
  warn: (line: string) => void;
}

export async function deliver(destination: Destination, message: Record<string, unknown>, target: Target, options: DeliverOptions): Promise<Delivery> {
  if (destination.kind === 'webhook') {
    await postWebhook(destination.url, message, options);
    return { action: 'posted' };
  }
  const { apiUrl, token, channel } = destination;
  const post = async (threadTs?: string): Promise<Delivery> => {
    // A top-level post with a marker: a retry after a lost answer finds the message instead of posting it twice.
    const marker = threadTs ? undefined : markerOf(message);
    const since = Date.now() / 1_000 - HISTORY_SLACK_SECONDS;
    const recover = marker ? () => findMarked(destination, marker, since, options) : undefined;
    const response = await callWebApi(apiUrl, token, 'chat.postMessage', { ...message, channel, ...(threadTs ? { thread_ts: threadTs } : {}) }, options, recover);
    return fromResponse(threadTs ? 'replied' : 'posted', response, threadTs);
  };
  if (!target.ts) return post();
  if (target.thread) return post(target.ts);
  try {
    const response = await callWebApi(apiUrl, token, 'chat.update', { ...message, channel, ts: target.ts }, options);
    return fromResponse('updated', response);
  } catch (error) {
    if (!(error instanceof SlackError) || !POST_INSTEAD_OF_UPDATE.has(error.code)) {
      if (error instanceof SlackError && error.code === 'channel_not_found') {
        error.message += ' (chat.update needs the channel ID: pass the "channel" output of the step that posted the message)';
      }
      throw error;
    }
    options.warn(`Could not update message ${target.ts} (${error.message}); posted a new message instead`);
    return post();
  }
}

function fromResponse(action: DeliveryAction, response: WebApiResponse, parentTs?: string): Delivery {
  const ts = response.ts ?? response.message?.ts;
  const threadTs = parentTs ?? response.message?.thread_ts ?? ts;
  return { action, ...(ts ? { ts } : {}), ...(response.channel ? { channel: response.channel } : {}), ...(threadTs ? { threadTs } : {}) };
}

/** How far before the first attempt the history is searched (clocks of the runner and Slack differ). */
const HISTORY_SLACK_SECONDS = 120;
const MARKER_PREFIX = 'deploy-suite-';

function firstBlock(message: Record<string, unknown>): Record<string, unknown> | undefined {
  const blocks = message.blocks;
  return Array.isArray(blocks) && typeof blocks[0] === 'object' && blocks[0] !== null ? (blocks[0] as Record<string, unknown>) : undefined;
}

/** The marker of a message: the `block_id` of its first block, when it has one. */
export function markerOf(message: Record<string, unknown>): string | undefined {
  const id = firstBlock(message)?.block_id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/**
 * The default message with a marker of its own (a payload of the user's is
 * sent as given: its first block's block_id, if any, serves as its marker).
 */
export function markMessage(message: Record<string, unknown>): Record<string, unknown> {
  const first = firstBlock(message);
  if (!first || markerOf(message)) return message;
  return { ...message, blocks: [{ ...first, block_id: `${MARKER_PREFIX}${randomUUID()}` }, ...(message.blocks as unknown[]).slice(1)] };
}

/** The message carrying `marker` among the channel's recent messages; undefined when absent or the history cannot be read. */
async function findMarked(destination: Extract<Destination, { kind: 'web-api' }>, marker: string, since: number, options: DeliverOptions): Promise<WebApiResponse | undefined> {
  try {
    const messages = await channelHistory(destination.apiUrl, destination.token, destination.channel, since, options);
    const found = messages.find((message) => Array.isArray(message.blocks) && message.blocks.some((block) => (block as { block_id?: unknown }).block_id === marker));
    if (!found) return undefined;
    options.log(`Slack received the message before its answer was lost (found it in the channel's history, ts ${String(found.ts)}): not posting it again`);
    return { ok: true, channel: destination.channel, ts: String(found.ts) };
  } catch (error) {
    // Without channels:history (or a channel ID) the retry goes ahead: a duplicate beats a lost deployment message.
    options.log(`Could not check the channel's history for the message (${(error as Error).message}); retrying the post`);
    return undefined;
  }
}
