import type { Block, KnownBlock, SectionBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import type { RunContext } from './context.js';
import { buildMessage, resultEmoji, SLACK_LIMITS, type Deployment } from './message.js';

const context: RunContext = {
  serverUrl: 'https://github.com',
  repository: 'acme/monorepo',
  sha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
  refName: 'develop',
  actor: 'octocat',
  runId: '4242',
  runNumber: '7',
  runAttempt: 2,
  workflow: 'deploy-staging',
  job: 'deploy',
  eventName: 'push',
  commitMessage: 'Ship it\n\nbody',
};

const base: Deployment = { status: 'success', environment: 'staging', version: 'v1.2.3', results: [], fields: [], durationMs: 185_000 };

function allBlocks(message: ReturnType<typeof buildMessage>): (KnownBlock | Block)[] {
  return [...message.blocks, ...(message.attachments[0]?.blocks ?? [])];
}

/** Every limit the message must respect, as Slack checks it. */
function expectWithinLimits(message: ReturnType<typeof buildMessage>): void {
  const blocks = allBlocks(message);
  expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
  expect(message.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
  for (const block of blocks) {
    if (block.type !== 'section') continue;
    const section = block as SectionBlock;
    if (section.text) expect(section.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    expect((section.fields ?? []).length).toBeLessThanOrEqual(SLACK_LIMITS.sectionFields);
    for (const field of section.fields ?? []) expect(field.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
  }
}

describe('buildMessage', () => {
  it.each([
    ['started', ':rocket: Deploying', '#1d9bd1'],
    ['success', ':white_check_mark: Deployed', '#2eb886'],
    ['failure', ':x: Deployment of', '#e01e5a'],
    ['cancelled', ':no_entry_sign: Deployment of', '#9e9e9e'],
    ['skipped', ':fast_forward: Deployment of', '#9e9e9e'],
  ] as const)('status %s: headline and colour', (status, headline, colour) => {
    const message = buildMessage(context, { ...base, status });
    expect(JSON.stringify(message.blocks)).toContain(headline);
    expect(message.attachments[0]?.color).toBe(colour);
    expect(JSON.stringify(message).includes('3m 05s')).toBe(status !== 'started');
  });

  it('links the run at its attempt, the commit, and the actor', () => {
    const text = JSON.stringify(buildMessage(context, base));
    expect(text).toContain('https://github.com/acme/monorepo/actions/runs/4242/attempts/2');
    expect(text).toContain('<https://github.com/acme/monorepo/commit/a1b2c3d4e5f60718293a4b5c6d7e8f9012345678|`a1b2c3d`> Ship it');
    expect(text).toContain('<https://github.com/octocat|octocat>');
    expect(text).toContain('deploy-staging #7 (attempt 2)');
  });

  it('writes a plain fallback for notifications', () => {
    expect(buildMessage(context, base).text).toBe(':white_check_mark: Deployed acme/monorepo to staging · version v1.2.3 · commit a1b2c3d · succeeded after 3m 05s');
  });

  it('shows an empty target list as none', () => {
    expect(JSON.stringify(buildMessage(context, { ...base, targets: [] }))).toContain('*Targets*\\n_none_');
    expect(JSON.stringify(buildMessage(context, base))).not.toContain('Targets');
  });

  it.each([
    ['success', ':white_check_mark:'],
    ['Rolled-Back', ':leftwards_arrow_with_hook:'],
    ['timed out', ':x:'],
    ['in_progress', ':hourglass_flowing_sand:'],
    ['mystery', ':white_circle:'],
  ])('result %j gets %s', (status, emoji) => {
    expect(resultEmoji(status)).toBe(emoji);
  });

  it('stays within every limit however much it is given, and says what it left out', () => {
    const message = buildMessage(context, {
      ...base,
      environment: 'e'.repeat(10_000),
      version: '&'.repeat(10_000),
      targets: Array.from({ length: 2_000 }, (_, index) => `target-${index}`),
      results: Array.from({ length: 3_000 }, (_, index) => ({ component: `c${index}-${'x'.repeat(300)}`, status: 's'.repeat(500) })),
      fields: Array.from({ length: 1_000 }, (_, index) => ({ label: `L${index}${'l'.repeat(300)}`, value: '<'.repeat(5_000) })),
    });
    expectWithinLimits(message);
    expect(allBlocks(message)).toHaveLength(SLACK_LIMITS.blocksPerMessage);
    const text = JSON.stringify(message);
    expect(text).toMatch(/…and \d+ more components not shown/);
    expect(text).toMatch(/…and \d+ more fields not shown/);
    expect(text).toMatch(/…and \d+ more targets/);
  });

  it('gives results the room fields do not use', () => {
    const message = buildMessage(context, {
      ...base,
      results: Array.from({ length: 5_000 }, (_, index) => ({ component: `component-${index}`, status: 'success' })),
    });
    expectWithinLimits(message);
    expect(allBlocks(message)).toHaveLength(SLACK_LIMITS.blocksPerMessage);
    const shown = (JSON.stringify(message).match(/component-\d+/g) ?? []).length;
    const left = Number(/…and (\d+) more components not shown/.exec(JSON.stringify(message))?.[1]);
    expect(shown + left).toBe(5_000);
  });

  it('works without any context (a local run)', () => {
    const empty: RunContext = { ...context, repository: '', sha: '', refName: '', actor: '', workflow: '', job: '', eventName: '', runAttempt: 1 };
    delete empty.commitMessage;
    const message = buildMessage(empty, { status: 'started', results: [], fields: [] });
    expectWithinLimits(message);
    expect(message.text).toBe(':rocket: Deploying deployment');
  });
});
