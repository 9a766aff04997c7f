/**
 * The default message: Block Kit built from the run's context and the
 * deployment's details. A status line at the top (top-level blocks, so it is
 * what a notification shows first), the details in an attachment whose colour
 * bar carries the outcome (Block Kit itself has no colour), and a plain-text
 * fallback for notifications. Every piece is escaped and cut to Slack's
 * published limits so Slack never rejects the message for its size.
 */
import type { ActionsBlock, Button, ContextBlock, KnownBlock, MessageAttachment, MrkdwnElement, SectionBlock } from '@slack/types';
import { formatDuration } from '@deploy-suite/kit';
import type { Status } from './constants.js';
import { commitUrl, repositoryUrl, runUrl, type RunContext } from './context.js';
import { codeSpan, cutPlain, escapeAndCut, firstLine, link } from './mrkdwn.js';

/** https://docs.slack.dev/reference/block-kit/blocks (section, context, actions) and chat.postMessage. */
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3_000,
  sectionFields: 10,
  fieldText: 2_000,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  url: 3_000,
  /** Slack truncates `text` past 40,000 characters; notifications show far less. */
  fallbackText: 4_000,
} as const;

export interface ComponentResult {
  component: string;
  status: string;
}

export interface Field {
  label: string;
  value: string;
}

export interface Deployment {
  status: Status;
  environment?: string;
  version?: string;
  /** Undefined when not given; an empty list is shown as "none". */
  targets?: string[];
  results: ComponentResult[];
  fields: Field[];
  durationMs?: number;
}

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
  attachments: MessageAttachment[];
}

interface Look {
  emoji: string;
  colour: string;
  headline: (subject: string, where: string) => string;
  /** Past tense for the fallback text. */
  word: string;
}

const LOOKS: Record<Status, Look> = {
  started: { emoji: ':rocket:', colour: '#1d9bd1', headline: (s, w) => `Deploying ${s}${w}`, word: 'started' },
  success: { emoji: ':white_check_mark:', colour: '#2eb886', headline: (s, w) => `Deployed ${s}${w}`, word: 'succeeded' },
  failure: { emoji: ':x:', colour: '#e01e5a', headline: (s, w) => `Deployment of ${s}${w} failed`, word: 'failed' },
  cancelled: { emoji: ':no_entry_sign:', colour: '#9e9e9e', headline: (s, w) => `Deployment of ${s}${w} was cancelled`, word: 'cancelled' },
  skipped: { emoji: ':fast_forward:', colour: '#9e9e9e', headline: (s, w) => `Deployment of ${s}${w} was skipped`, word: 'skipped' },
};

const RESULT_EMOJI: readonly [RegExp, string][] = [
  [/^(?:success|succeeded|ok|passed|deployed|healthy|done|completed?)$/i, ':white_check_mark:'],
  [/^(?:fail(?:ure|ed)?|errored|error|unhealthy|timed[-_ ]?out)$/i, ':x:'],
  [/^(?:rolled[-_ ]?back|rollback)$/i, ':leftwards_arrow_with_hook:'],
  [/^(?:cancell?ed|aborted)$/i, ':no_entry_sign:'],
  [/^(?:skipped|unchanged|no-?op)$/i, ':fast_forward:'],
  [/^(?:started|in[-_ ]progress|pending|running|deploying|queued)$/i, ':hourglass_flowing_sand:'],
];

export function resultEmoji(status: string): string {
  return RESULT_EMOJI.find(([pattern]) => pattern.test(status.trim()))?.[1] ?? ':white_circle:';
}

// Caps on single values, well inside the limits of the blocks that hold them,
// so one long value cannot crowd out the rest of the message.
const NAME_MAX = 100;
const VALUE_MAX = 300;
const COMMIT_MESSAGE_MAX = 200;
const MORE_NOTE_MAX = 60;

const mrkdwn = (text: string): MrkdwnElement => ({ type: 'mrkdwn', text });

export function buildMessage(context: RunContext, deployment: Deployment): SlackMessage {
  const look = LOOKS[deployment.status];
  const repository = context.repository || 'the repository';
  const version = deployment.version ? ` ${codeSpan(deployment.version, NAME_MAX)}` : '';
  const where = deployment.environment ? ` to *${escapeAndCut(deployment.environment, NAME_MAX)}*` : '';
  const subject = `*${context.repository ? link(repositoryUrl(context), repository, 400) : repository}*${version}`;
  const took = deployment.durationMs !== undefined && deployment.status !== 'started' ? ` in ${formatDuration(deployment.durationMs)}` : '';
  const statusLine: SectionBlock = { type: 'section', text: mrkdwn(`${look.emoji} ${look.headline(subject, where)}${took}`) };

  const fixed: KnownBlock[] = [detailsBlock(context, deployment), actionsBlock(context, deployment.status), contextBlock(context)];
  const room = SLACK_LIMITS.blocksPerMessage - 1 - fixed.length;
  const resultSections = sectionsOfLines('*Results*', deployment.results.map(resultLine));
  const fieldSections = sectionsOfFields(deployment.fields);
  // Share the room left: each group gets at least half, and what one does not use goes to the other.
  const fieldShare = Math.min(fieldSections.length, Math.floor(room / 2));
  const resultCount = Math.min(resultSections.length, room - fieldShare);
  const fieldCount = Math.min(fieldSections.length, room - resultCount);

  const [details, actions, footer] = fixed as [KnownBlock, KnownBlock, KnownBlock];
  const attachmentBlocks: KnownBlock[] = [
    details,
    ...keepSections(resultSections, resultCount, deployment.results.length, 'components'),
    ...keepFieldSections(fieldSections, fieldCount, deployment.fields),
    actions,
    footer,
  ];
  return {
    text: fallbackText(context, deployment, look),
    blocks: [statusLine],
    attachments: [{ color: look.colour, fallback: escapeAndCut(look.headline(repository, deployment.environment ? ` to ${deployment.environment}` : ''), 300), blocks: attachmentBlocks }],
  };
}

function fallbackText(context: RunContext, deployment: Deployment, look: Look): string {
  const parts = [
    `${look.emoji} ${look.headline(context.repository || 'deployment', deployment.environment ? ` to ${deployment.environment}` : '')}`,
    deployment.version ? `version ${deployment.version}` : '',
    context.sha ? `commit ${context.sha.slice(0, 7)}` : '',
    deployment.durationMs !== undefined && deployment.status !== 'started' ? `${look.word} after ${formatDuration(deployment.durationMs)}` : '',
  ].filter(Boolean);
  return escapeAndCut(parts.join(' · ').replace(/\s+/g, ' '), SLACK_LIMITS.fallbackText);
}

function detailsBlock(context: RunContext, deployment: Deployment): SectionBlock {
  const fields: MrkdwnElement[] = [];
  const add = (label: string, value: string): void => {
    fields.push(mrkdwn(`*${label}*\n${value}`));
  };
  if (deployment.environment) add('Environment', escapeAndCut(deployment.environment, VALUE_MAX));
  if (deployment.version) add('Version', codeSpan(deployment.version, VALUE_MAX));
  if (context.sha) {
    const message = context.commitMessage ? ` ${escapeAndCut(firstLine(context.commitMessage), COMMIT_MESSAGE_MAX)}` : '';
    add('Commit', `<${commitUrl(context)}|${codeSpan(context.sha.slice(0, 7), 12)}>${message}`);
  }
  if (context.refName) add('Branch', codeSpan(context.refName, VALUE_MAX));
  if (context.pullRequest) {
    const { number, url, title } = context.pullRequest;
    add('Pull request', link(url, `#${number} ${title}`.trim(), VALUE_MAX));
  }
  if (context.actor) add('Triggered by', link(`${context.serverUrl}/${encodeURIComponent(context.actor)}`, context.actor, VALUE_MAX));
  if (deployment.durationMs !== undefined && deployment.status !== 'started') add('Duration', formatDuration(deployment.durationMs));
  if (deployment.targets) {
    const shown = deployment.targets.map((target) => codeSpan(target, NAME_MAX));
    add('Targets', shown.length === 0 ? '_none_' : joinWithin(shown, ', ', SLACK_LIMITS.fieldText - 'Targets'.length - 4, 'targets'));
  }
  if (fields.length === 0) add('Run', link(runUrl(context), `${context.workflow} #${context.runNumber}`, VALUE_MAX));
  return { type: 'section', fields: fields.slice(0, SLACK_LIMITS.sectionFields) };
}

function actionsBlock(context: RunContext, status: Status): ActionsBlock {
  const elements: Button[] = [
    {
      type: 'button',
      text: { type: 'plain_text', text: cutPlain('View run', SLACK_LIMITS.buttonText), emoji: true },
      url: runUrl(context).slice(0, SLACK_LIMITS.url),
      action_id: 'view-run',
      ...(status === 'failure' ? { style: 'danger' as const } : {}),
    },
  ];
  if (context.sha) {
    elements.push({ type: 'button', text: { type: 'plain_text', text: 'View commit' }, url: commitUrl(context).slice(0, SLACK_LIMITS.url), action_id: 'view-commit' });
  }
  return { type: 'actions', elements };
}

function contextBlock(context: RunContext): ContextBlock {
  const attempt = context.runAttempt > 1 ? ` (attempt ${context.runAttempt})` : '';
  const parts = [
    context.workflow ? `${escapeAndCut(context.workflow, NAME_MAX)} #${escapeAndCut(context.runNumber, 20)}${attempt}` : '',
    context.job ? `job ${codeSpan(context.job, NAME_MAX)}` : '',
    context.eventName ? `on ${escapeAndCut(context.eventName, NAME_MAX)}` : '',
  ].filter(Boolean);
  return { type: 'context', elements: [mrkdwn(parts.join(' · ') || 'GitHub Actions')] };
}

function resultLine(result: ComponentResult): string {
  return `${resultEmoji(result.status)} ${codeSpan(result.component, NAME_MAX)} ${escapeAndCut(result.status, VALUE_MAX)}`;
}

/** Joins rendered items while they fit in `max`, then says how many were left out. */
function joinWithin(items: readonly string[], separator: string, max: number, noun: string): string {
  let text = '';
  for (const [index, item] of items.entries()) {
    const next = index === 0 ? item : `${text}${separator}${item}`;
    const left = items.length - index - 1;
    const room = left > 0 ? max - MORE_NOTE_MAX : max;
    if (next.length > room) return `${text} …and ${items.length - index} more ${noun}`;
    text = next;
  }
  return text;
}

interface PackedSection {
  block: SectionBlock;
  /** How many items this and the earlier sections hold. */
  itemsSoFar: number;
}

/** Lines packed into as few sections as Slack's text limit allows, each with room for a "more" note. */
function sectionsOfLines(title: string, lines: readonly string[]): PackedSection[] {
  const max = SLACK_LIMITS.sectionText - MORE_NOTE_MAX;
  const sections: PackedSection[] = [];
  let text = title;
  let count = 0;
  for (const line of lines) {
    if (text.length + 1 + line.length > max) {
      sections.push({ block: { type: 'section', text: mrkdwn(text) }, itemsSoFar: count });
      text = line;
    } else {
      text = `${text}\n${line}`;
    }
    count++;
  }
  if (count > 0) sections.push({ block: { type: 'section', text: mrkdwn(text) }, itemsSoFar: count });
  return sections;
}

function keepSections(sections: readonly PackedSection[], keep: number, total: number, noun: string): SectionBlock[] {
  if (keep >= sections.length) return sections.map((section) => section.block);
  if (keep === 0) return [];
  const kept = sections.slice(0, keep).map((section) => section.block);
  const last = kept[kept.length - 1] as SectionBlock & { text: MrkdwnElement };
  const shown = (sections[keep - 1] as PackedSection).itemsSoFar;
  kept[kept.length - 1] = { ...last, text: mrkdwn(`${last.text.text}\n_…and ${total - shown} more ${noun} not shown_`) };
  return kept;
}

function fieldText(field: Field): string {
  return `*${escapeAndCut(field.label, NAME_MAX)}*\n${escapeAndCut(field.value, SLACK_LIMITS.fieldText - NAME_MAX - 10)}`;
}

function sectionsOfFields(fields: readonly Field[]): SectionBlock[] {
  const sections: SectionBlock[] = [];
  for (let start = 0; start < fields.length; start += SLACK_LIMITS.sectionFields) {
    sections.push({ type: 'section', fields: fields.slice(start, start + SLACK_LIMITS.sectionFields).map((field) => mrkdwn(fieldText(field))) });
  }
  return sections;
}

function keepFieldSections(sections: readonly SectionBlock[], keep: number, fields: readonly Field[]): SectionBlock[] {
  if (keep >= sections.length) return [...sections];
  if (keep === 0) return [];
  const kept = sections.slice(0, keep);
  const last = kept[kept.length - 1] as SectionBlock & { fields: MrkdwnElement[] };
  const shown = keep * SLACK_LIMITS.sectionFields - 1;
  kept[kept.length - 1] = { ...last, fields: [...last.fields.slice(0, -1), mrkdwn(`_…and ${fields.length - shown} more fields not shown_`)] };
  return kept;
}
