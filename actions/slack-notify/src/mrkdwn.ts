/**
 * Text for Slack's mrkdwn and plain_text objects. Slack documents exactly three
 * characters to escape (&, <, >): they form links, user/channel mentions and
 * `<!channel>`, so user text must never carry them raw. Cutting works on the
 * escaped text, so a cut never splits an entity such as `&amp;` or a surrogate pair.
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const ELLIPSIS = '…';

export function escapeMrkdwn(text: string): string {
  return text.replace(/[&<>]/g, (character) => ENTITIES[character] as string);
}

/** Escapes `text` and cuts it, with an ellipsis, so the result is at most `max` characters. */
export function escapeAndCut(text: string, max: number): string {
  const escaped = escapeMrkdwn(text);
  if (escaped.length <= max) return escaped;
  let kept = '';
  for (const character of text) {
    const piece = ENTITIES[character] ?? character;
    if (kept.length + piece.length > max - ELLIPSIS.length) break;
    kept += piece;
  }
  return kept + ELLIPSIS;
}

/** Cuts plain text (header, button) to `max` characters without splitting a surrogate pair. */
export function cutPlain(text: string, max: number): string {
  if (text.length <= max) return text;
  let kept = '';
  for (const character of text) {
    if (kept.length + character.length > max - ELLIPSIS.length) break;
    kept += character;
  }
  return kept + ELLIPSIS;
}

/**
 * Inline code: Slack applies no bold or italic inside it, which is what
 * identifiers such as versions and branch names need. A backtick would close
 * the span early, so it becomes a look-alike; line breaks become spaces.
 */
export function codeSpan(text: string, max: number): string {
  const flat = text.replace(/`/g, 'ˋ').replace(/\s+/g, ' ').trim() || ' ';
  return `\`${escapeAndCut(flat, max - 2)}\``;
}

/** `<url|label>`: the label escaped and cut so the whole link fits in `max` characters. */
export function link(url: string, label: string, max: number): string {
  return `<${url}|${escapeAndCut(label.replace(/\|/g, '¦'), Math.max(1, max - url.length - 3))}>`;
}

/** The first line of a text, for commit messages. */
export function firstLine(text: string): string {
  return text.split(/\r?\n/, 1)[0]?.trim() ?? '';
}
