/**
 * Decides which call a notification is: a new post, an update of the message
 * the `started` step posted, or a reply in its thread, and makes it. An update
 * that Slack refuses because the message is gone or too old becomes a new
 * post, so the outcome of the deployment is never lost.
 */
import { callWebApi, postWebhook, SlackError, type SendOptions, type WebApiResponse } from './slack-api.js';

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
    const response = await callWebApi(apiUrl, token, 'chat.postMessage', { ...message, channel, ...(threadTs ? { thread_ts: threadTs } : {}) }, options);
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
