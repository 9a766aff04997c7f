import { describe, expect, test } from 'vitest';
import { ConcurrencyGroups } from './concurrency.js';

function claim() {
  const state = { cancelled: false };
  return { state, claim: { cancelRunning: () => (state.cancelled = true) } };
}

describe('ConcurrencyGroups', () => {
  test('one running, one pending: a newer pending claim cancels the older one', async () => {
    const groups = new ConcurrencyGroups();
    const first = await groups.acquire('g', claim().claim);
    const second = groups.acquire('g', claim().claim);
    const third = groups.acquire('g', claim().claim);
    expect(await second).toBeUndefined();
    first!.release();
    const lease = await third;
    expect(lease).toBeDefined();
    lease!.release();
    expect(groups.history.map((entry) => entry.event)).toEqual(['running', 'pending', 'cancelled', 'pending', 'released', 'running', 'released']);
  });

  test('cancel-in-progress cancels the running claim; the newcomer runs once it releases', async () => {
    const groups = new ConcurrencyGroups();
    const running = claim();
    const first = await groups.acquire('g', running.claim);
    const next = groups.acquire('g', claim().claim, { cancelInProgress: true });
    expect(running.state.cancelled).toBe(true);
    first!.release();
    expect(await next).toBeDefined();
  });

  test('queue: max keeps every pending claim, in order', async () => {
    const groups = new ConcurrencyGroups();
    const first = await groups.acquire('g', claim().claim);
    const order: number[] = [];
    const waiting = [1, 2, 3].map((n) => groups.acquire('g', claim().claim, { queue: 'max' }).then((lease) => (order.push(n), lease?.release())));
    first!.release();
    await Promise.all(waiting);
    expect(order).toEqual([1, 2, 3]);
  });

  test('other groups do not wait', async () => {
    const groups = new ConcurrencyGroups();
    await groups.acquire('a', claim().claim);
    expect(await groups.acquire('b', claim().claim)).toBeDefined();
  });
});
