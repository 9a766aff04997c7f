import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { EOL, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import type * as SecretsModule from './secrets.js';
import { redactUrl } from './secrets.js';

type Secrets = typeof SecretsModule;

afterEach(() => {
  vi.restoreAllMocks();
});

/** The values registered with ::add-mask::, read from what @actions/core really writes to stdout. */
async function masksRegisteredBy(register: (secrets: Secrets) => void): Promise<string[]> {
  // A fresh module: it registers each form once per process.
  vi.resetModules();
  const secrets = await import('./secrets.js');
  const written: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  try {
    register(secrets);
  } finally {
    vi.restoreAllMocks();
  }
  const lines = written.join('').split(EOL).filter((line) => line !== '');
  for (const line of lines) expect(line).toMatch(/^::add-mask::/);
  // The runner's unescaping of command data, in one pass.
  return lines.map((line) => line.slice('::add-mask::'.length).replace(/%25|%0D|%0A/g, (escape) => ({ '%25': '%', '%0D': '\r', '%0A': '\n' })[escape] as string));
}

/** What the runner shows for a log line: every registered value replaced by ***. */
function maskedByRunner(line: string, masks: readonly string[]): string {
  return [...masks].sort((a, b) => b.length - a.length).reduce((text, mask) => text.split(mask).join('***'), line);
}

const PRIVATE_KEY = ['-----BEGIN OPENSSH PRIVATE KEY-----', 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ', 'AAAAMwAAAAtzc2gtZWQyNTUxOQAAACDhYWFh', '-----END OPENSSH PRIVATE KEY-----'];

describe('maskSecret', () => {
  test.each([
    ['undefined', undefined, []],
    ['empty', '', []],
    ['whitespace', '  \n ', []],
    ['a token', 'ghp_abc123', ['ghp_abc123']],
    ['a value with a percent sign survives escaping (and is masked percent-encoded)', 'p%0Ass', ['p%0Ass', 'p%250Ass']],
    [
      'a value with quotes and markup: raw, JSON (also Go\'s and PHP\'s), HTML (named, decimal, hex quotes), percent and form encoded',
      `a"b'<c>&d e/f`,
      [
        `a"b'<c>&d e/f`,
        `a\\"b'<c>&d e/f`,
        `a\\"b'\\u003cc\\u003e\\u0026d e/f`,
        `a\\"b'<c>&d e\\/f`,
        `a"b'&lt;c&gt;&amp;d e/f`,
        `a&quot;b'&lt;c&gt;&amp;d e/f`,
        'a&quot;b&#39;&lt;c&gt;&amp;d e/f',
        'a&#34;b&#39;&lt;c&gt;&amp;d e/f',
        'a&quot;b&#x27;&lt;c&gt;&amp;d e/f',
        'a&quot;b&#039;&lt;c&gt;&amp;d e/f',
        'a&quot;b&apos;&lt;c&gt;&amp;d e/f',
        "a%22b'%3Cc%3E%26d%20e%2Ff",
        "a%22b'%3Cc%3E%26d+e%2Ff",
      ],
    ],
  ])('%s', async (_case, value, expected) => {
    expect(await masksRegisteredBy((secrets) => secrets.maskSecret(value))).toEqual(expected);
  });

  test.each([
    ['a multiline key: the whole and each line', PRIVATE_KEY.join('\n'), [PRIVATE_KEY.join('\n'), ...PRIVATE_KEY]],
    ['CRLF lines are split and trimmed', 'line-one \r\n  line-two', ['line-one \r\n  line-two', 'line-one', 'line-two']],
  ])('%s (besides its escaped forms)', async (_case, value, expected) => {
    expect(await masksRegisteredBy((secrets) => secrets.maskSecret(value))).toEqual(expect.arrayContaining(expected));
  });

  test('lines under 4 characters are not masked alone (they would mask common text)', async () => {
    const masks = await masksRegisteredBy((secrets) => secrets.maskSecret('{\n  "k": "longsecretvalue"\n}'));
    expect(masks).toContain('"k": "longsecretvalue"');
    expect(masks).not.toContain('{');
    expect(masks).not.toContain('}');
  });

  test('each form is registered once, however often the secret is masked', async () => {
    expect(await masksRegisteredBy((secrets) => ['tok1', 'tok1', 'tok1'].forEach(secrets.maskSecret))).toEqual(['tok1']);
  });

  test('each line of a multiline secret is hidden when printed line by line', async () => {
    const masks = await masksRegisteredBy((secrets) => secrets.maskSecret(PRIVATE_KEY.join('\n')));
    for (const line of PRIVATE_KEY) expect(maskedByRunner(`key: ${line}`, masks)).toBe('key: ***');
  });
});

describe('maskUrl', () => {
  test.each([
    ['no credentials', 'https://example.com/health?verbose=1', {}, []],
    ['a plain password, and the Basic credentials a client derives from it', 'https://deploy:hunter2x@registry.example.com/v2', {}, ['hunter2x', 'ZGVwbG95Omh1bnRlcjJ4']],
    ['a percent-encoded password, raw and decoded', 'postgres://suite:suite-Pa55%3Aword%40x@127.0.0.1:5432/app', {}, ['suite-Pa55%3Aword%40x', 'suite-Pa55:word@x']],
    ['a token in the query, raw and decoded', 'https://api.example.com/hook?token=a%2Bb%2Fc&page=2', {}, ['a%2Bb%2Fc', 'a+b/c']],
    [
      'a presigned URL: credential, signature and session token',
      'https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=abc123def&X-Amz-Security-Token=FQo%2Bsecret%3D%3D',
      {},
      ['AKIAEXAMPLE%2F20260101%2Fus-east-1%2Fs3%2Faws4_request', 'AKIAEXAMPLE/20260101/us-east-1/s3/aws4_request', 'abc123def', 'FQo%2Bsecret%3D%3D', 'FQo+secret=='],
    ],
    ['a webhook whose path is the secret', 'https://hooks.slack.com/services/T0001/B0002/abcdefXYZ', { wholeUrlIsSecret: true }, ['https://hooks.slack.com/services/T0001/B0002/abcdefXYZ', '/services/T0001/B0002/abcdefXYZ']],
    ['a webhook written unnormalised is masked as written and as printed', 'HTTPS://Hooks.Slack.com/services/T1/B2/xyz', { wholeUrlIsSecret: true }, ['HTTPS://Hooks.Slack.com/services/T1/B2/xyz', 'https://hooks.slack.com/services/T1/B2/xyz', '/services/T1/B2/xyz']],
    ['text that is not a URL is masked whole', 'not a url but secret', {}, ['not a url but secret']],
    ['credentials without a scheme are masked whole', 'deploy:hunter2x@db.internal:5432', {}, ['deploy:hunter2x@db.internal:5432']],
    ['undefined', undefined, {}, []],
  ])('%s', async (_case, url, options, expected) => {
    const masks = await masksRegisteredBy((secrets) => secrets.maskUrl(url, options));
    // Besides each value's escaped forms.
    expect(masks).toEqual(expect.arrayContaining(expected));
    if (expected.length === 0) expect(masks).toEqual([]);
  });

  test.each([
    ['postgres://suite:suite-Pa55%3Aword%40x@127.0.0.1:5432/app', ['suite-Pa55%3Aword%40x', 'suite-Pa55:word@x']],
    ['https://b.s3.amazonaws.com/k?X-Amz-Credential=AKIAEXAMPLE%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=abc123def', ['AKIAEXAMPLE', 'abc123def']],
    ['https://hooks.slack.com/services/T0001/B0002/abcdefXYZ', ['abcdefXYZ']],
  ])('printing %s after maskUrl shows none of its secrets', async (url, secrets) => {
    const masks = await masksRegisteredBy((kit) => kit.maskUrl(url, { wholeUrlIsSecret: url.includes('hooks.slack.com') }));
    const decodedUrl = decodeURIComponent(url);
    for (const line of [`connecting to ${url}`, `connecting to ${decodedUrl}`]) {
      const shown = maskedByRunner(line, masks);
      for (const secret of secrets) expect(shown).not.toContain(secret);
    }
  });
});

describe('setSafeOutput', () => {
  test('writes the output with every registered secret redacted: the runner never masks outputs', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'kit-output-'));
    const outputFile = path.join(directory, 'output');
    writeFileSync(outputFile, '');
    process.env.GITHUB_OUTPUT = outputFile;
    await masksRegisteredBy((secrets) => {
      secrets.maskSecret('tok"en');
      secrets.setSafeOutput('report', JSON.stringify({ body: 'echo tok"en' }));
    });
    const written = readFileSync(outputFile, 'utf8');
    expect(written).toContain('{"body":"echo ***"}');
    expect(written).not.toContain('tok');
  });
});

describe('redactUrl', () => {
  test.each([
    ['no credentials: unchanged', 'https://example.com/a?b=1', 'https://example.com/a?b=1'],
    ['a password', 'postgres://suite:suite-Pa55%3Aword%40x@127.0.0.1:5432/app', 'postgres://suite:***@127.0.0.1:5432/app'],
    ['sensitive query values; the rest kept as written', 'https://h/x?sig=a%2Fb&q=1%202&Token=zz&flag', 'https://h/x?sig=***&q=1%202&Token=***&flag'],
    ['presigned S3', 'https://b.s3.amazonaws.com/k?X-Amz-Credential=AK%2F1&X-Amz-Date=20260101T000000Z&X-Amz-Signature=ff', 'https://b.s3.amazonaws.com/k?X-Amz-Credential=***&X-Amz-Date=20260101T000000Z&X-Amz-Signature=***'],
    ['an empty sensitive value stays empty', 'https://h/x?token=&a=1', 'https://h/x?token=&a=1'],
    ['not a URL', 'https://exa mple.com/', '***'],
    ['credentials without a scheme (parsed as an opaque URL otherwise)', 'deploy:hunter2x@db.internal:5432', '***'],
  ])('%s', (_case, url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });
});

describe('maskEnvironmentValue', () => {
  test.each([
    ['a value of 8 characters', 'abcd1234', ['abcd1234']],
    ['a longer one (a URL with a password)', 'postgres://app:pw@db/app', ['postgres://app:pw@db/app']],
    ['7 characters stay readable', 'abc1234', []],
    ['a common word stays readable', 'debug', []],
    ['undefined', undefined, []],
  ])('%s', async (_case, value, expected) => {
    const masks = await masksRegisteredBy((secrets) => secrets.maskEnvironmentValue(value));
    expect(masks).toEqual(expected.length === 0 ? [] : expect.arrayContaining(expected));
  });
});

describe('maskHeaderValue', () => {
  test.each([
    ['a bearer token: the value and the token', 'Bearer tok-123', ['Bearer tok-123', 'tok-123']],
    ['Basic: the value, the credentials, user:password and the password', 'Basic ZGVwbG95Omh1bnRlcjJ4', ['Basic ZGVwbG95Omh1bnRlcjJ4', 'ZGVwbG95Omh1bnRlcjJ4', 'deploy:hunter2x', 'hunter2x']],
    ['a bare API key', 'k-abcdef', ['k-abcdef']],
  ])('%s', async (_case, value, expected) => {
    expect(await masksRegisteredBy((secrets) => secrets.maskHeaderValue(value))).toEqual(expect.arrayContaining(expected));
  });
});

describe('maskGivenHeaders', () => {
  test('every value a user gave is a secret whatever the header is called; content and client descriptions stay readable', async () => {
    const headers = { Authorization: 'Bearer tok-123', 'X-Api-Key': 'k-abcdef', 'X-Tenant': 'tenant-42', Cookie: 's=abcd', Accept: 'text/plain', 'content-type': 'application/json', 'X-Debug': '1', 'X-Trace': 'yes' };
    let returned: string[] = [];
    const masks = await masksRegisteredBy((secrets) => {
      returned = secrets.maskGivenHeaders(headers);
    });
    expect(returned).toEqual(['Bearer tok-123', 'k-abcdef', 'tenant-42', 's=abcd']);
    expect(masks).toEqual(expect.arrayContaining(['Bearer tok-123', 'tok-123', 'k-abcdef', 'tenant-42', 's=abcd']));
    expect(masks).not.toContain('text/plain');
    expect(masks).not.toContain('application/json');
    // Too short to be a credential: masking them would blank every `1` and `yes` in the log.
    expect(masks).not.toContain('1');
    expect(masks).not.toContain('yes');
  });
});

describe('redactSecrets', () => {
  test('replaces every registered form, longest first; leaves other text alone', async () => {
    let redact: Secrets['redactSecrets'] = (text) => text;
    await masksRegisteredBy((secrets) => {
      secrets.maskSecret('p&ss<word>');
      secrets.maskSecret('p&ss');
      redact = secrets.redactSecrets;
    });
    expect(redact('raw p&ss<word> json "p\\u0026ss\\u003cword\\u003e" html p&amp;ss&lt;word&gt; url p%26ss%3Cword%3E, short p&ss, other')).toBe(
      'raw *** json "***" html *** url ***, short ***, other',
    );
  });

  test('basicAuthorization registers the header value it returns', async () => {
    let header = '';
    let redact: Secrets['redactSecrets'] = (text) => text;
    const masks = await masksRegisteredBy((secrets) => {
      header = secrets.basicAuthorization('deploy', 'hunter2x');
      redact = secrets.redactSecrets;
    });
    expect(header).toBe('Basic ZGVwbG95Omh1bnRlcjJ4');
    expect(masks).toEqual(expect.arrayContaining(['hunter2x', 'ZGVwbG95Omh1bnRlcjJ4']));
    expect(redact(`{"headers":{"authorization":"${header}"}}`)).toBe('{"headers":{"authorization":"Basic ***"}}');
  });

  test('redactSecretsDeep keeps JSON well-formed', async () => {
    let deep: Secrets['redactSecretsDeep'] = (value) => value;
    await masksRegisteredBy((secrets) => {
      secrets.maskSecret('a"b');
      deep = secrets.redactSecretsDeep;
    });
    expect(deep({ body: 'x a"b y', list: ['a"b', 3] })).toEqual({ body: 'x *** y', list: ['***', 3] });
  });
});
