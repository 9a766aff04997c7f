/** Shared fixtures of the build-push tests: workspaces with busybox build contexts, runs against a local registry. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { runAction, writeBusyboxContext, type RunOptions, type StepResult } from '../../src/index.js';

export const ACTION = 'build-push';

/** A commit SHA of its own per test: tags and content keys never collide between tests sharing a registry. */
export function newSha(): string {
  return randomBytes(20).toString('hex');
}

/** A repository name unique to the test. */
export function uniqueRepository(label: string): string {
  return `${label}-${randomBytes(4).toString('hex')}`;
}

/** A workspace holding a busybox build context at `app/` (or `context`). */
export function makeWorkspace(steps: readonly string[] = [], files: Record<string, string> = {}, context = 'app'): string {
  const workspace = mkdtempSync(path.join(tmpdir(), 'build-push-ws-'));
  writeBusyboxContext(path.join(workspace, context), steps, files);
  return workspace;
}

export function buildPush(options: RunOptions & { sha?: string }): Promise<StepResult> {
  return runAction(ACTION, { timeoutMs: 110_000, ...options });
}

export function expectSuccess(result: StepResult): void {
  expect(result.errors, result.log).toEqual([]);
  expect(result.exitCode, result.log).toBe(0);
}

/** The one error line of a failed run. */
export function failureOf(result: StepResult): string {
  expect(result.exitCode, result.log).toBe(1);
  expect(result.errors).toHaveLength(1);
  return result.errors[0] as string;
}

export interface ImageOutput {
  repository: string;
  digest: string;
  uri: string;
  tags: string[];
  built: boolean;
  size: number;
  seconds: number;
}

export function imagesOutput(result: StepResult): Record<string, ImageOutput> {
  return JSON.parse(result.outputs.images ?? '{}') as Record<string, ImageOutput>;
}
