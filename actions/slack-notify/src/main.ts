import * as core from '@actions/core';
import { ActionFailure, addTable, code, describeError, formatDuration, phase, readEventPayload, writeSummary } from '@deploy-suite/kit';
import { Output } from './constants.js';
import { readRunContext, type EventPayload, type RunContext } from './context.js';
import { deliver, markMessage, type Delivery } from './deliver.js';
import { getInputs, type Inputs } from './inputs.js';
import { buildMessage } from './message.js';
import { readRunStart } from './run-start.js';
import { SlackError } from './slack-api.js';

const RUN_START_TIMEOUT_MS = 5_000;

export async function run(): Promise<void> {
  const inputs = getInputs();
  const context = readRunContext(process.env, readEventPayload<EventPayload>());

  const { message, startedAt, durationMs } = await phase('Preparing the message', async () => {
    const startedAt = await resolveStart(inputs, context);
    const durationMs = startedAt && inputs.status !== 'started' ? Math.max(0, Date.now() - startedAt.getTime()) : undefined;
    if (durationMs !== undefined) core.info(`Duration since ${startedAt?.toISOString()}: ${formatDuration(durationMs)}`);
    // The default message is marked, so a post whose answer is lost is found in the channel's history, not sent twice.
    const message = inputs.payload ?? markMessage({ ...buildMessage(context, { ...inputs, ...(durationMs !== undefined ? { durationMs } : {}) }) });
    core.info(inputs.payload ? 'Using the message given as payload' : `Built the default message for status "${inputs.status}"`);
    return { message: message as Record<string, unknown>, startedAt, durationMs };
  });

  let delivery: Delivery | undefined;
  let failure: string | undefined;
  await phase('Sending to Slack', async () => {
    if (inputs.thread && !inputs.ts) core.warning('"thread" is true but "ts" is empty (did the step that posted the first message fail?): posting a new message');
    try {
      delivery = await deliver(inputs.destination, message, { ...(inputs.ts ? { ts: inputs.ts } : {}), thread: inputs.thread }, {
        deadline: Date.now() + inputs.timeoutMs,
        log: core.info,
        warn: core.warning,
      });
      const where = delivery.channel ? ` in ${delivery.channel}` : inputs.destination.kind === 'webhook' ? ' through the incoming webhook' : '';
      core.info(`${capitalise(delivery.action)} the message${where}${delivery.ts ? ` (ts ${delivery.ts})` : ''}`);
    } catch (error) {
      failure = error instanceof SlackError ? error.message : `unexpected error while sending to Slack: ${describeError(error)}`;
    }
  });

  core.setOutput(Output.Ok, String(delivery !== undefined));
  core.setOutput(Output.Ts, delivery?.ts ?? '');
  core.setOutput(Output.Channel, delivery?.channel ?? '');
  core.setOutput(Output.ThreadTs, delivery?.threadTs ?? '');
  core.setOutput(Output.StartedAt, startedAt?.toISOString() ?? '');

  core.summary.addHeading('Slack notification', 3);
  addTable(
    ['Status', 'Destination', 'Outcome', 'Message', 'Duration'],
    [
      [
        inputs.status,
        inputs.destination.kind === 'webhook' ? 'incoming webhook' : code(inputs.destination.channel),
        delivery ? (delivery.action === 'replied' ? 'replied in thread' : delivery.action) : `not sent: ${failure ?? ''}`,
        delivery?.ts ? code(delivery.ts) : '',
        durationMs !== undefined ? formatDuration(durationMs) : '',
      ],
    ],
  );
  await writeSummary();

  if (failure !== undefined) {
    if (inputs.failOnError) throw new ActionFailure(failure);
    core.warning(`The Slack notification was not sent: ${failure}. The step passes because "fail-on-error" is false.`);
  }
}

async function resolveStart(inputs: Inputs, context: RunContext): Promise<Date | undefined> {
  if (inputs.startedAt) return inputs.startedAt;
  if (inputs.status === 'started') return new Date();
  if (!inputs.githubToken || !context.repository || !context.runId) return undefined;
  try {
    return await readRunStart({
      apiUrl: process.env.GITHUB_API_URL || 'https://api.github.com',
      token: inputs.githubToken,
      repository: context.repository,
      runId: context.runId,
      timeoutMs: Math.min(RUN_START_TIMEOUT_MS, inputs.timeoutMs / 3),
    });
  } catch (error) {
    core.info(`No duration: could not read when the run started (${describeError(error)}). Pass "started-at" from the step that posted status started.`);
    return undefined;
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
