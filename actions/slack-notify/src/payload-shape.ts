/**
 * A payload of the user's own, checked against Block Kit's shape and limits
 * before anything is sent: Slack answers a malformed message with
 * `invalid_blocks` (a warning unless fail-on-error), so the deployment message
 * would silently vanish. Limits from Slack's Block Kit reference.
 */
import { ConfigurationError } from '@deploy-suite/kit';

const BLOCK_TYPES = new Set(['actions', 'context', 'divider', 'file', 'header', 'image', 'input', 'markdown', 'rich_text', 'section', 'table', 'video']);
const TEXT_TYPES = new Set(['plain_text', 'mrkdwn']);
export const MAX_BLOCKS = 50;
/** Slack truncates a message's top-level text past this. */
const MAX_MESSAGE_TEXT = 40_000;
const MAX_BLOCK_ID = 255;
/** The longest text each block type takes, by the key that holds it. */
const TEXT_LIMITS: Record<string, Record<string, number>> = {
  section: { text: 3_000 },
  header: { text: 150 },
  markdown: { text: 12_000 },
};
const MAX_SECTION_FIELDS = 10;
const MAX_FIELD_TEXT = 2_000;
const MAX_CONTEXT_ELEMENTS = 10;

type Invalid = (detail: string) => ConfigurationError;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'a mapping' : `${typeof value} ${JSON.stringify(value).slice(0, 40)}`;
}

/** A text object `{type: plain_text|mrkdwn, text}` of at most `limit` characters (plain_text only, when `plainOnly`). */
function checkTextObject(where: string, value: unknown, limit: number, invalid: Invalid, plainOnly = false): void {
  if (!isRecord(value)) throw invalid(`${where} must be a text object such as {"type": "mrkdwn", "text": "…"}, got ${describe(value)}`);
  if (typeof value.type !== 'string' || !TEXT_TYPES.has(value.type) || (plainOnly && value.type !== 'plain_text')) {
    throw invalid(`${where}.type must be ${plainOnly ? '"plain_text"' : '"plain_text" or "mrkdwn"'}, got ${describe(value.type)}`);
  }
  if (typeof value.text !== 'string' || value.text === '') throw invalid(`${where}.text must be non-empty text, got ${describe(value.text)}`);
  if (value.text.length > limit) throw invalid(`${where}.text is ${value.text.length} characters long; Slack takes at most ${limit}`);
}

function checkBlock(where: string, block: unknown, invalid: Invalid): void {
  if (!isRecord(block)) throw invalid(`${where} must be a block (a mapping with a "type"), got ${describe(block)}`);
  const type = block.type;
  if (typeof type !== 'string' || !BLOCK_TYPES.has(type)) {
    throw invalid(`${where}.type must be a Block Kit block type (${[...BLOCK_TYPES].join(', ')}), got ${describe(type)}`);
  }
  if (block.block_id !== undefined && (typeof block.block_id !== 'string' || block.block_id.length > MAX_BLOCK_ID)) {
    throw invalid(`${where}.block_id must be text of at most ${MAX_BLOCK_ID} characters`);
  }
  if (type === 'markdown') {
    if (typeof block.text !== 'string' || block.text === '') throw invalid(`${where}.text must be non-empty markdown text`);
    if (block.text.length > (TEXT_LIMITS.markdown?.text as number)) throw invalid(`${where}.text is ${block.text.length} characters long; Slack takes at most ${TEXT_LIMITS.markdown?.text}`);
  } else if (type === 'header') {
    checkTextObject(`${where}.text`, block.text, TEXT_LIMITS.header?.text as number, invalid, true);
  } else if (type === 'section') {
    checkSection(where, block, invalid);
  } else if (type === 'context' || type === 'actions') {
    if (!Array.isArray(block.elements) || block.elements.length === 0) throw invalid(`${where}.elements must be a non-empty list`);
    if (type === 'context' && block.elements.length > MAX_CONTEXT_ELEMENTS) throw invalid(`${where}.elements has ${block.elements.length} items; Slack takes at most ${MAX_CONTEXT_ELEMENTS}`);
    block.elements.forEach((element, index) => {
      if (!isRecord(element) || typeof element.type !== 'string') throw invalid(`${where}.elements[${index}] must be an element (a mapping with a "type"), got ${describe(element)}`);
    });
  }
}

function checkSection(where: string, block: Record<string, unknown>, invalid: Invalid): void {
  if (block.text === undefined && block.fields === undefined) throw invalid(`${where} (a section) needs "text" or "fields"`);
  if (block.text !== undefined) checkTextObject(`${where}.text`, block.text, TEXT_LIMITS.section?.text as number, invalid);
  if (block.fields !== undefined) {
    if (!Array.isArray(block.fields) || block.fields.length === 0) throw invalid(`${where}.fields must be a non-empty list of text objects`);
    if (block.fields.length > MAX_SECTION_FIELDS) throw invalid(`${where}.fields has ${block.fields.length} items; Slack takes at most ${MAX_SECTION_FIELDS}`);
    block.fields.forEach((field, index) => checkTextObject(`${where}.fields[${index}]`, field, MAX_FIELD_TEXT, invalid));
  }
}

function checkBlocks(where: string, blocks: unknown, invalid: Invalid): void {
  if (!Array.isArray(blocks)) throw invalid(`"${where}" must be a list of Block Kit blocks, got ${describe(blocks)}`);
  if (blocks.length > MAX_BLOCKS) throw invalid(`"${where}" has ${blocks.length} blocks; Slack takes at most ${MAX_BLOCKS} in a message`);
  blocks.forEach((block, index) => checkBlock(`${where}[${index}]`, block, invalid));
}

/** Throws one ConfigurationError naming the input and the first thing wrong; returns the payload unchanged. */
export function validatePayload(name: string, payload: Record<string, unknown>, source?: string): Record<string, unknown> {
  const invalid: Invalid = (detail) => new ConfigurationError(`input "${name}"${source ? ` (${source})` : ''}: ${detail}`);
  const { text, blocks, attachments } = payload;
  if (text !== undefined && typeof text !== 'string') throw invalid(`"text" must be text, got ${describe(text)}`);
  if (typeof text === 'string' && text.length > MAX_MESSAGE_TEXT) throw invalid(`"text" is ${text.length} characters long; Slack takes at most ${MAX_MESSAGE_TEXT}`);
  if (blocks !== undefined) checkBlocks('blocks', blocks, invalid);
  if (attachments !== undefined) {
    if (!Array.isArray(attachments)) throw invalid(`"attachments" must be a list of attachments, got ${describe(attachments)}`);
    attachments.forEach((attachment, index) => {
      if (!isRecord(attachment)) throw invalid(`attachments[${index}] must be a mapping, got ${describe(attachment)}`);
      if (attachment.blocks !== undefined) checkBlocks(`attachments[${index}].blocks`, attachment.blocks, invalid);
    });
  }
  const hasContent = (typeof text === 'string' && text.trim() !== '') || (Array.isArray(blocks) && blocks.length > 0) || (Array.isArray(attachments) && attachments.length > 0);
  if (!hasContent) throw invalid('the message has nothing to show: give "text", "blocks" or "attachments"');
  return payload;
}
