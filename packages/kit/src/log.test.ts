import { afterEach, describe, expect, test, vi } from 'vitest';
import { coreLogger, safeLogText, userAgent, withPrefix, type Logger } from './log.js';
import { maskSecret } from './secrets.js';

afterEach(() => vi.restoreAllMocks());

/** True when the runner would read the line as a workflow command (v2 `::` after spaces, or legacy `##[` anywhere). */
function isCommand(line: string): boolean {
  return line.trimStart().startsWith('::') || line.includes('##[');
}

describe('safeLogText', () => {
  test.each([
    ['a workflow command', '::add-mask::x', ':\u200b:add-mask::x'],
    ['a command after spaces', '  ::error::forged', '  :\u200b:error::forged'],
    ['a legacy command anywhere', 'ok ##[error]forged', 'ok #\u200b#[error]forged'],
    ['a line break that would start a forged line', 'fine\n::error::forged', 'fine\\n::error::forged'],
    ['CR, tab, escape and NUL', 'a\rb\tc\u001b[31md\u0000', 'a\\rb\\tc\\u001b[31md\\u0000'],
    ['Unicode line separators and NEL', 'a\u2028b\u2029c\u0085d', 'a\\u2028b\\u2029c\\u0085d'],
    ['plain text, untouched', 'index.html: 200 OK, "v1" (naïve ✓) a::b', 'index.html: 200 OK, "v1" (naïve ✓) a::b'],
  ])('%s', (_case, text, expected) => {
    const safe = safeLogText(text);
    expect(safe).toBe(expected);
    expect(safe.split(/\r?\n/)).toHaveLength(1);
    expect(isCommand(safe)).toBe(false);
  });

  test('redacts registered secrets, in the forms a server may echo', () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    maskSecret('s3cr"t<&>');
    expect(safeLogText('{"authorization":"s3cr\\"t\\u003c\\u0026\\u003e"} <p>s3cr&quot;t&lt;&amp;&gt;</p>')).toBe('{"authorization":"***"} <p>***</p>');
  });
});

describe('coreLogger', () => {
  test('info, warning and debug reach the runner as one inert line each', () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    const log = coreLogger();
    log.info('event: fine\n::error::forged');
    log.warning('##[error]forged');
    log.debug('::add-mask::x');
    expect(written.join('')).toBe(
      ['event: fine\\n::error::forged', '::warning::#\u200b#[error]forged', '::debug:::\u200b:add-mask::x', ''].join('\n'),
    );
  });
});

describe('userAgent', () => {
  test('one format for every action', () => {
    expect(userAgent('ecs-deploy')).toBe('deploy-suite/ecs-deploy');
  });
});

describe('withPrefix', () => {
  test('every kind of line starts with the prefix; an empty prefix hands back the logger itself', () => {
    const lines: string[] = [];
    const log: Logger = { info: (line) => lines.push(`info ${line}`), warning: (line) => lines.push(`warning ${line}`), debug: (line) => lines.push(`debug ${line}`) };
    const prefixed = withPrefix(log, '[api] ');
    prefixed.info('built');
    prefixed.warning('retrying');
    prefixed.debug('took 3s');
    expect(lines).toEqual(['info [api] built', 'warning [api] retrying', 'debug [api] took 3s']);
    expect(withPrefix(log, '')).toBe(log);
  });
});
