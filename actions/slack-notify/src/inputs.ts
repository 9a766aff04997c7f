import {
  ConfigurationError,
  getBoolean,
  getChoice,
  getDuration,
  getOptionalString,
  getRequiredString,
  getStructured,
  maskSecret,
  maskUrl,
} from '@deploy-suite/kit';
import { Input, STATUSES, type Status } from './constants.js';
import type { Destination } from './deliver.js';
import type { ComponentResult, Field } from './message.js';
import { asPayload, parseFields, parseHttpUrl, parsePayload, parseResults, parseStartedAt, parseTargets } from './parse.js';
import { validatePayload } from './payload-shape.js';

export interface Inputs {
  destination: Destination;
  status: Status;
  /** The message to update (or reply to, with `thread`). */
  ts?: string;
  thread: boolean;
  environment?: string;
  version?: string;
  targets?: string[];
  results: ComponentResult[];
  fields: Field[];
  /** A message of the user's own, replacing the default one. */
  payload?: Record<string, unknown>;
  startedAt?: Date;
  githubToken?: string;
  failOnError: boolean;
  /** The whole time allowed for Slack, retries included. */
  timeoutMs: number;
}

const EITHER = `"webhook-url" (an incoming webhook) or "token" with "channel" (the Web API)`;

export function getInputs(): Inputs {
  // Secrets are registered before anything else can print them, even in an error.
  const webhookUrl = getOptionalString(Input.WebhookUrl);
  const token = getOptionalString(Input.Token);
  const githubToken = getOptionalString(Input.GithubToken);
  maskUrl(webhookUrl, { wholeUrlIsSecret: true });
  maskSecret(token);
  maskSecret(githubToken);

  const channel = getOptionalString(Input.Channel);
  const ts = getOptionalString(Input.Ts);
  const thread = getBoolean(Input.Thread);
  let destination: Destination;
  if (webhookUrl && token) throw new ConfigurationError(`inputs "${Input.WebhookUrl}" and "${Input.Token}" are both given: give one, ${EITHER}`);
  if (webhookUrl) {
    if (channel) throw new ConfigurationError(`input "${Input.Channel}" works with "${Input.Token}" only: an incoming webhook posts to the channel it was made for`);
    if (ts || thread) {
      throw new ConfigurationError(`inputs "${Input.Ts}" and "${Input.Thread}" need "${Input.Token}" and "${Input.Channel}": an incoming webhook cannot update a message or reply in a thread`);
    }
    destination = { kind: 'webhook', url: parseHttpUrl(Input.WebhookUrl, webhookUrl, true) };
  } else if (token) {
    if (!channel) throw new ConfigurationError(`input "${Input.Channel}" is required with "${Input.Token}": a channel ID such as C0123456789 (or a name such as #deploys for a new post)`);
    destination = { kind: 'web-api', token, channel, apiUrl: parseHttpUrl(Input.ApiUrl, getRequiredString(Input.ApiUrl), false) };
  } else {
    throw new ConfigurationError(`no Slack destination: give ${EITHER}`);
  }

  const payloadText = getOptionalString(Input.Payload);
  const payloadFileName = getOptionalString(Input.PayloadFile);
  if (payloadText && payloadFileName) throw new ConfigurationError(`inputs "${Input.Payload}" and "${Input.PayloadFile}" are both given: give one`);
  // The kit reads the file relative to the workspace and names a missing file or a directory.
  const fromFile = payloadText ? undefined : getStructured(Input.PayloadFile);
  // Checked against Block Kit before anything is sent: Slack's invalid_blocks would only be a warning.
  const payload = payloadText
    ? validatePayload(Input.Payload, parsePayload(Input.Payload, payloadText))
    : fromFile
      ? validatePayload(Input.PayloadFile, asPayload(Input.PayloadFile, fromFile.value, `file ${payloadFileName}`), `file ${payloadFileName}`)
      : undefined;
  const environment = getOptionalString(Input.Environment);
  const version = getOptionalString(Input.Version);
  const targets = getOptionalString(Input.Targets);
  const startedAt = getOptionalString(Input.StartedAt);
  return {
    destination,
    status: getChoice(Input.Status, STATUSES),
    ...(ts ? { ts } : {}),
    thread,
    ...(environment ? { environment } : {}),
    ...(version ? { version } : {}),
    ...(targets ? { targets: parseTargets(Input.Targets, targets) } : {}),
    results: parseResults(Input.Results, getOptionalString(Input.Results) ?? ''),
    fields: parseFields(Input.Fields, getOptionalString(Input.Fields) ?? ''),
    ...(payload ? { payload } : {}),
    ...(startedAt ? { startedAt: parseStartedAt(Input.StartedAt, startedAt) } : {}),
    ...(githubToken ? { githubToken } : {}),
    failOnError: getBoolean(Input.FailOnError),
    timeoutMs: getDuration(Input.Timeout, { positive: true }),
  };
}
