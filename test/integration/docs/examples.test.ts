/**
 * Every YAML example in docs/pipeline.md and README.md runs in a test, so the examples cannot rot: each
 * parses; a workflow (a caller) passes the workflow lint together with this repository's actions and
 * reusable workflows; a list of steps passes it inside a job; an environment description is read by the
 * committed deploy-plan bundle, as the plan job reads it, and its smoke checks by the smoke-test bundle
 * as the verify job passes them (against a local server that stands in for the example's hosts).
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { REPO_ROOT, runAction, startHttpServer } from '../../src/index.js';
import { formatFinding, lint, readRepositoryFiles } from '../lint/workflow-lint.js';

interface Example {
  file: string;
  line: number;
  text: string;
}

/** The ```yaml blocks of a Markdown file, with the line each starts on. */
export function yamlBlocks(file: string): Example[] {
  const content = readFileSync(path.join(REPO_ROOT, file), 'utf8');
  const blocks: Example[] = [];
  const pattern = /^```ya?ml\n([\s\S]*?)^```/gm;
  for (let match = pattern.exec(content); match; match = pattern.exec(content)) {
    blocks.push({ file, line: content.slice(0, match.index).split('\n').length + 1, text: match[1] as string });
  }
  return blocks;
}

// A placeholder the README's usage example uses where a team writes the full SHA of a third-party action.
const placeholders = (text: string): string => text.replaceAll('<full commit SHA>', '11bd71901bbe5b1630ceea73d27597364c9af683');

type Kind = 'workflow' | 'steps' | 'description';

function kindOf(value: unknown): Kind | undefined {
  if (Array.isArray(value)) return 'steps';
  if (value && typeof value === 'object' && 'jobs' in value) return 'workflow';
  if (value && typeof value === 'object' && 'filters' in value) return 'description';
  return undefined;
}

const examples = [...yamlBlocks('docs/pipeline.md'), ...yamlBlocks('README.md')].map((example) => {
  const document = parseDocument(placeholders(example.text));
  return { ...example, errors: document.errors.map((error) => error.message), kind: kindOf(document.toJS()) };
});

const VERSION = 'a'.repeat(40);

/** Runs the smoke-test bundle with the plan's smoke output as the verify job does, the hosts replaced by a local server. */
async function verifyJob(smokeOutput: string): Promise<void> {
  const smoke = JSON.parse(smokeOutput) as { checks: { url: string }[]; timeout?: string; 'max-p95'?: string; 'load-requests'?: number; 'load-concurrency'?: number };
  const server = await startHttpServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ version: VERSION }));
  });
  try {
    const checks = smoke.checks.map((check) => ({ ...check, url: `${server.url}${new URL(check.url).pathname}` }));
    const result = await runAction('smoke-test', {
      inputs: {
        checks: JSON.stringify(checks),
        timeout: smoke.timeout ?? '',
        'max-p95': smoke['max-p95'] ?? '',
        'load-requests': smoke['load-requests'] ?? '',
        'load-concurrency': smoke['load-concurrency'] ?? '',
      },
    });
    expect(result.errors, result.log).toEqual([]);
    expect(result.exitCode, result.log).toBe(0);
    expect(server.requests.length).toBeGreaterThanOrEqual(checks.length);
  } finally {
    await server.close();
  }
}

describe('the YAML examples of docs/pipeline.md and README.md', () => {
  it('are there (a regex that found nothing would prove nothing)', () => {
    expect(examples.filter((example) => example.file === 'docs/pipeline.md').map((example) => example.kind)).toEqual(
      expect.arrayContaining(['workflow', 'description', 'description', 'workflow']),
    );
    expect(examples.some((example) => example.file === 'README.md')).toBe(true);
  });

  it('parse, and each is a workflow, a list of steps or an environment description', () => {
    expect(examples.filter((example) => example.errors.length > 0 || !example.kind).map((example) => `${example.file}:${example.line}: ${example.errors.join('; ') || 'not a workflow, steps or description'}`)).toEqual([]);
  });

  it('workflows and steps pass the workflow lint against the suite actions and reusable workflows', async () => {
    const repository = readRepositoryFiles(REPO_ROOT);
    const snippets = examples
      .filter((example) => example.kind === 'workflow' || example.kind === 'steps')
      .map((example) => {
        const text = placeholders(example.text);
        const content =
          example.kind === 'workflow' ? text : `on: push\npermissions:\n  contents: read\njobs:\n  example:\n    runs-on: ubuntu-latest\n    timeout-minutes: 10\n    steps:\n${text.replace(/^/gm, '      ')}`;
        return { path: `workflows/example-${example.file.replace(/[^a-z]/gi, '-')}-${example.line}.yml`, content };
      });
    const findings = await lint(repository.actions, [...repository.workflows, ...snippets]);
    expect(findings.filter((finding) => finding.file.startsWith('workflows/example-')).map(formatFinding)).toEqual([]);
  });

  it.each(examples.filter((example) => example.kind === 'description').map((example) => [`${example.file}:${example.line}`, example] as const))(
    'the description at %s is read by the deploy-plan bundle',
    async (_where, example) => {
      const workspace = mkdtempSync(path.join(tmpdir(), 'docs-description-'));
      mkdirSync(path.join(workspace, '.github/deploy'), { recursive: true });
      writeFileSync(path.join(workspace, '.github/deploy/staging.yml'), example.text);
      const result = await runAction('deploy-plan', { workspace, inputs: { environment: 'staging', 'deployment-type': 'full', version: VERSION } });
      expect(result.errors, result.log).toEqual([]);
      expect(result.exitCode, result.log).toBe(0);
      const described = parseDocument(example.text).toJS() as { filters: Record<string, unknown>; [key: string]: unknown };
      expect(Object.keys(JSON.parse(result.outputs.filters ?? '{}') as object)).toEqual(Object.keys(described.filters));
      // A full deploy deploys every target the example describes.
      const targets = JSON.parse(result.outputs.targets ?? '[]') as string[];
      for (const kind of ['images', 'services', 'functions'] as const) {
        for (const name of Object.keys((described[kind] as object | undefined) ?? {})) expect(targets).toContain(`${kind}.${name}`);
      }
      for (const single of ['site', 'database'] as const) if (described[single]) expect(targets).toContain(single);
      // A description with smoke checks must produce them (a plan that dropped them would skip the check below).
      expect(Boolean(result.outputs.smoke), result.log).toBe(Boolean(described.smoke));
      if (described.smoke) await verifyJob(result.outputs.smoke as string);
    },
  );
});
