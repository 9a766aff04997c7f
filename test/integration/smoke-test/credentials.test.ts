/**
 * Credentials the action sends never come back out of it: not in the log, the
 * `report` output, the step summary or the error, in any form a server may
 * echo them in (raw, JSON- or HTML-escaped, percent-encoded, the base64 of
 * Basic credentials derived from a URL's user info). And a server's answer
 * cannot start a workflow command or fake a line in the log.
 */
import { Buffer } from 'node:buffer';
import { afterAll, describe, expect, test } from 'vitest';
import { runAction, type StepResult } from '@deploy-suite/test';
import { FAST, reportOf, send, sendJson, startEndpoint, type Endpoint } from './servers.js';

const ACTION = 'smoke-test';
const TOKEN = 'tok"en&<x>';
const PASSWORD = 'hunter2x';
const BASIC = Buffer.from(`deploy:${PASSWORD}`).toString('base64');

function htmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Every form of every credential that must not appear anywhere the action writes. */
const FORMS = [TOKEN, JSON.stringify(TOKEN).slice(1, -1), htmlEscape(TOKEN), encodeURIComponent(TOKEN), PASSWORD, BASIC];

let server: Endpoint;
afterAll(async () => {
  await server?.close();
});

/** Everything the step wrote, where a credential must not be. */
function written(result: StepResult): Record<string, string> {
  // The ::add-mask:: commands themselves are where the runner learns them.
  const log = result.log
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
  return { log, summary: result.summary, report: result.outputs.report ?? '', error: result.errors.join('\n') };
}

describe('smoke-test never repeats a credential', () => {
  test('a server echoing the request headers (a 401 page, a 500 with JSON) leaks none of them, in any form', async () => {
    server = await startEndpoint((request, response) => {
      if (request.url.startsWith('/json')) sendJson(response, 500, { error: 'boom', headers: request.headers });
      else send(response, 401, `<html><p>Denied: Authorization: ${htmlEscape(String(request.headers.authorization))}</p></html>`, { 'content-type': 'text/html' });
    });
    const host = server.url.replace('http://', '');
    const checks = JSON.stringify([
      { name: 'bearer-json', url: `${server.url}/json`, headers: { Authorization: `Bearer ${TOKEN}` } },
      { name: 'bearer-html', url: `${server.url}/html`, headers: { Authorization: `Bearer ${TOKEN}` } },
      { name: 'url-basic', url: `http://deploy:${PASSWORD}@${host}/json` },
      { name: 'url-basic-html', url: `http://deploy:${PASSWORD}@${host}/html` },
    ]);
    const result = await runAction(ACTION, { inputs: { ...FAST, timeout: '1s', checks } });
    expect(result.exitCode, result.log).toBe(1);
    // The server did receive them (the checks sent what the user gave).
    expect(server.requests.some((request) => request.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(server.requests.some((request) => request.headers.authorization === `Basic ${BASIC}`)).toBe(true);
    // Each was registered with the runner before use, in each form.
    for (const form of FORMS) expect(result.masks, form).toContain(form);
    for (const [where, text] of Object.entries(written(result))) {
      for (const form of FORMS) expect(text.includes(form), `${JSON.stringify(form)} in the ${where}`).toBe(false);
    }
    // What the server said is still reported, with the credentials replaced.
    const report = reportOf(result.outputs);
    expect(report.checks.find((check) => check.name === 'bearer-json')?.body).toContain('"authorization":"***"');
    expect(report.checks.find((check) => check.name === 'url-basic-html')?.body).toContain('Authorization: Basic ***');
  });

  test('every header value the user gave is a secret, whatever its name, in every form a server echoes it in', async () => {
    // A key header and one whose name says nothing of a credential (a tenant id, a routing secret): both are given by the user.
    const KEY = 'some-value-with-"&<>';
    const TENANT = "tenant-7f3a'9b<c>";
    const given = [KEY, TENANT];
    const forms = given.flatMap((value) => [value, JSON.stringify(value).slice(1, -1), htmlEscape(value), encodeURIComponent(value)]);
    const echo = await startEndpoint((request, response) => {
      if (request.url.startsWith('/json')) sendJson(response, 500, { error: 'boom', headers: request.headers });
      else {
        const shown = `X-Api-Key: ${String(request.headers['x-api-key'])}, X-Tenant: ${String(request.headers['x-tenant'])}`;
        send(response, 401, `<html><p>Denied: ${htmlEscape(shown)}</p><p>${shown}</p></html>`, { 'content-type': 'text/html' });
      }
    });
    try {
      const headers = { 'X-Api-Key': KEY, 'X-Tenant': TENANT };
      const checks = JSON.stringify([
        { name: 'key-json', url: `${echo.url}/json`, headers },
        { name: 'key-html', url: `${echo.url}/html`, headers },
      ]);
      const result = await runAction(ACTION, { inputs: { ...FAST, timeout: '1s', checks } });
      expect(result.exitCode, result.log).toBe(1);
      expect(echo.requests.some((request) => request.headers['x-api-key'] === KEY && request.headers['x-tenant'] === TENANT)).toBe(true);
      for (const form of forms) expect(result.masks, form).toContain(form);
      for (const [where, text] of Object.entries(written(result))) {
        for (const form of forms) expect(text.includes(form), `${JSON.stringify(form)} in the ${where}`).toBe(false);
      }
      const report = reportOf(result.outputs);
      expect(report.checks.find((check) => check.name === 'key-json')?.body).toContain('"x-api-key":"***"');
      expect(report.checks.find((check) => check.name === 'key-html')?.body).toContain('X-Tenant: ***');
    } finally {
      await echo.close();
    }
  });

  test("a server's answer cannot start a workflow command or fake a line in the log", async () => {
    const forged = await startEndpoint((_request, response) => send(response, 500, '::add-mask::x ##[error]forged error\n::error::also forged\u2028::warning::third'));
    try {
      const result = await runAction(ACTION, { inputs: { ...FAST, timeout: '500ms', urls: `${forged.url}/health` } });
      expect(result.exitCode, result.log).toBe(1);
      expect(result.masks).not.toContain('x');
      expect(result.warnings).toEqual([]);
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]).toMatch(/^smoke-test: 1 of 1 check failed/);
      const lines = result.log.split(/\r?\n|\u2028/);
      expect(lines.filter((line) => line.includes('##['))).toEqual([]);
      expect(lines.filter((line) => /^\s*::/.test(line) && !/^::(add-mask|error|group|endgroup|debug)::/.test(line))).toEqual([]);
      // The text is still there to read.
      expect(result.log).toContain('forged error');
    } finally {
      await forged.close();
    }
  });
});
