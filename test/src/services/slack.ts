/**
 * A real HTTP server on 127.0.0.1 that plays Slack: the Web API's
 * chat.postMessage, chat.update (token and channel checked, messages kept
 * so an update or a thread reply can be seen) and conversations.history, an
 * incoming webhook, and the GitHub API's workflow-run endpoint for the run's
 * start time (slack-notify's own tests; the pipeline uses the fake GitHub). It
 * checks every message against Slack's published Block Kit limits and rejects
 * what real Slack would reject (`invalid_blocks`), so a message that is too big
 * fails the test. Shared by slack-notify's tests and the local staging environment.
 */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { startHttpServer, type RecordedRequest, type TestHttpServer } from './http.js';

export interface StoredMessage {
  channel: string;
  ts: string;
  threadTs?: string;
  body: Record<string, unknown>;
  /** How many times chat.update changed it. */
  updates: number;
}

export interface SlackCall {
  kind: 'web-api' | 'webhook' | 'github';
  method: string;
  body: Record<string, unknown>;
  receivedAt: number;
}

export interface FakeSlack {
  url: string;
  apiUrl: string;
  webhookUrl: string;
  token: string;
  githubToken: string;
  /** Channel ID → name. */
  channels: Record<string, string>;
  messages: StoredMessage[];
  webhookMessages: Record<string, unknown>[];
  calls: SlackCall[];
  /** What GET /repos/{repo}/actions/runs/{id} reports as run_started_at. */
  runStartedAt: string;
  server: TestHttpServer;
  /** Top-level messages of a channel (ID or name), oldest first, with their thread replies. */
  channelMessages(channel?: string): (StoredMessage & { replies: StoredMessage[] })[];
  /** Forgets every message and call (tokens and channels stay). */
  reset(): void;
  close(): Promise<void>;
}

export const DEPLOYS_CHANNEL = 'C0DEPLOYS1';

export async function startFakeSlack(): Promise<FakeSlack> {
  const secret = randomBytes(12).toString('hex');
  const state = {
    token: `xoxb-test-${randomBytes(10).toString('hex')}`,
    githubToken: `ghs_${randomBytes(10).toString('hex')}`,
    channels: { [DEPLOYS_CHANNEL]: 'deploys' } as Record<string, string>,
    messages: [] as StoredMessage[],
    webhookMessages: [] as Record<string, unknown>[],
    calls: [] as SlackCall[],
    runStartedAt: new Date(Date.now() - 5 * 60_000).toISOString(),
  };
  const webhookPath = `/services/T0FAKE/B0FAKE/${secret}`;
  let clock = 0;
  const nextTs = (): string => `${Math.floor(Date.now() / 1000)}.${String(++clock).padStart(6, '0')}`;

  const handler = (request: RecordedRequest, response: ServerResponse): void => {
    const path = new URL(request.url, 'http://fake').pathname;
    const json = (status: number, body: unknown): void => {
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify(body));
    };
    const text = (status: number, body: string): void => {
      response.writeHead(status, { 'content-type': 'text/plain' });
      response.end(body);
    };

    const run = /^\/repos\/([^/]+\/[^/]+)\/actions\/runs\/(\d+)$/.exec(path);
    if (request.method === 'GET' && run) {
      state.calls.push({ kind: 'github', method: 'runs.get', body: {}, receivedAt: Date.now() });
      if (request.headers.authorization !== `Bearer ${state.githubToken}`) return json(401, { message: 'Bad credentials' });
      return json(200, { id: Number(run[2]), run_started_at: state.runStartedAt, status: 'in_progress' });
    }

    if (path.startsWith('/services/')) {
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(request.body) as Record<string, unknown>;
      } catch {
        return text(400, 'invalid_payload');
      }
      state.calls.push({ kind: 'webhook', method: 'webhook', body, receivedAt: Date.now() });
      if (path !== webhookPath) return text(404, 'no_service');
      const problem = checkMessage(body);
      if (problem) return text(400, problem);
      state.webhookMessages.push(body);
      return text(200, 'ok');
    }

    const method = /^\/api\/([a-zA-Z.]+)$/.exec(path)?.[1];
    if (method === 'conversations.history') return json(200, history(request));
    if (request.method !== 'POST' || !method) return json(404, { ok: false, error: 'unknown_method' });
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(request.body) as Record<string, unknown>;
    } catch {
      return json(200, { ok: false, error: 'invalid_json' });
    }
    state.calls.push({ kind: 'web-api', method, body, receivedAt: Date.now() });
    if (request.headers.authorization !== `Bearer ${state.token}`) return json(200, { ok: false, error: 'invalid_auth' });
    if (!String(request.headers['content-type']).startsWith('application/json')) return json(200, { ok: false, error: 'invalid_arguments' });
    const channelName = String(body.channel ?? '').replace(/^#/, '');
    const channel = method === 'chat.update' ? (state.channels[channelName] ? channelName : undefined) : Object.keys(state.channels).find((id) => id === channelName || state.channels[id] === channelName);
    if (!channel) return json(200, { ok: false, error: 'channel_not_found' });
    const problem = checkMessage(body);
    if (problem) return json(200, { ok: false, error: problem });

    if (method === 'chat.postMessage') {
      const ts = nextTs();
      const threadTs = typeof body.thread_ts === 'string' ? body.thread_ts : undefined;
      state.messages.push({ channel, ts, ...(threadTs ? { threadTs } : {}), body, updates: 0 });
      return json(200, { ok: true, channel, ts, message: { type: 'message', text: body.text, ts, ...(threadTs ? { thread_ts: threadTs } : {}) } });
    }
    if (method === 'chat.update') {
      const stored = state.messages.find((message) => message.channel === channel && message.ts === body.ts);
      if (!stored) return json(200, { ok: false, error: 'message_not_found' });
      stored.body = body;
      stored.updates++;
      return json(200, { ok: true, channel, ts: stored.ts, text: body.text, message: { text: body.text, ...(stored.threadTs ? { thread_ts: stored.threadTs } : {}) } });
    }
    return json(200, { ok: false, error: 'unknown_method' });
  };

  const channelId = (name: string): string | undefined => Object.keys(state.channels).find((id) => id === name.replace(/^#/, '') || state.channels[id] === name.replace(/^#/, ''));
  const channelMessages = (channel?: string): (StoredMessage & { replies: StoredMessage[] })[] => {
    const id = channel === undefined ? undefined : channelId(channel);
    const inChannel = state.messages.filter((message) => id === undefined || message.channel === id);
    return inChannel.filter((message) => !message.threadTs).map((message) => ({ ...message, replies: inChannel.filter((reply) => reply.threadTs === message.ts) }));
  };

  /** conversations.history: arguments as query string or form body (a read method), newest first, cursor paging. */
  const history = (request: RecordedRequest): Record<string, unknown> => {
    const params = new URLSearchParams(new URL(request.url, 'http://fake').search);
    if (String(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      for (const [key, value] of new URLSearchParams(request.body)) params.set(key, value);
    }
    const token = params.get('token') ?? /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ''))?.[1];
    state.calls.push({ kind: 'web-api', method: 'conversations.history', body: Object.fromEntries(params), receivedAt: Date.now() });
    if (token !== state.token) return { ok: false, error: 'invalid_auth' };
    const channel = channelId(params.get('channel') ?? '');
    if (!channel || channel !== params.get('channel')) return { ok: false, error: 'channel_not_found' };
    const limit = Math.min(999, Math.max(1, Number(params.get('limit') ?? 100) || 100));
    const offset = Number(params.get('cursor')?.replace(/^next:/, '') ?? 0) || 0;
    const oldest = Number(params.get('oldest') ?? 0);
    const latest = Number(params.get('latest') ?? Infinity);
    const listed = channelMessages(channel)
      .filter((message) => Number(message.ts) > oldest && Number(message.ts) < latest)
      .reverse();
    const page = listed.slice(offset, offset + limit).map((message) => ({
      type: 'message',
      ts: message.ts,
      text: message.body.text,
      blocks: message.body.blocks,
      attachments: message.body.attachments,
      ...(message.replies.length > 0 ? { thread_ts: message.ts, reply_count: message.replies.length } : {}),
      ...(message.updates > 0 ? { edited: { user: 'B0FAKE', ts: message.ts } } : {}),
    }));
    const more = offset + limit < listed.length;
    return { ok: true, messages: page, has_more: more, response_metadata: { next_cursor: more ? `next:${offset + limit}` : '' } };
  };

  const server = await startHttpServer(handler);
  return Object.assign(state, {
    url: server.url,
    apiUrl: `${server.url}/api`,
    webhookUrl: `${server.url}${webhookPath}`,
    server,
    channelMessages,
    reset() {
      state.messages.splice(0);
      state.webhookMessages.splice(0);
      state.calls.splice(0);
      server.requests.splice(0);
    },
    close: () => server.close(),
  });
}

/** Slack's limits: https://docs.slack.dev/reference/block-kit/blocks. Returns Slack's error code, or undefined. */
export function checkMessage(body: Record<string, unknown>): string | undefined {
  const blocks = Array.isArray(body.blocks) ? (body.blocks as Block[]) : [];
  const attachments = Array.isArray(body.attachments) ? (body.attachments as { blocks?: Block[] }[]) : [];
  const attachmentBlocks = attachments.flatMap((attachment) => attachment.blocks ?? []);
  if (typeof body.text !== 'string' && blocks.length === 0 && attachments.length === 0) return 'no_text';
  if (typeof body.text === 'string' && body.text.length > 40_000) return 'msg_too_long';
  if (blocks.length + attachmentBlocks.length > 50) return 'invalid_blocks';
  for (const block of [...blocks, ...attachmentBlocks]) if (!blockFits(block)) return 'invalid_blocks';
  return undefined;
}

interface Block {
  type: string;
  text?: { type: string; text: string };
  fields?: { text: string }[];
  elements?: { type: string; text?: string | { text: string }; url?: string }[];
}

function blockFits(block: Block): boolean {
  switch (block.type) {
    case 'section':
      if (!block.text && !block.fields) return false;
      if (block.text && (block.text.text.length === 0 || block.text.text.length > 3_000)) return false;
      if (block.fields && (block.fields.length > 10 || block.fields.some((field) => field.text.length === 0 || field.text.length > 2_000))) return false;
      return true;
    case 'header':
      return !!block.text && block.text.text.length <= 150;
    case 'context':
      return !!block.elements && block.elements.length > 0 && block.elements.length <= 10 && block.elements.every((element) => typeof element.text !== 'string' || element.text.length <= 3_000);
    case 'actions':
      return (
        !!block.elements &&
        block.elements.length <= 25 &&
        block.elements.every((element) => typeof element.text === 'object' && element.text.text.length <= 75 && (element.url ?? '').length <= 3_000)
      );
    default:
      return true;
  }
}
