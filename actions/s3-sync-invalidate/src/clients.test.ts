import { describe, expect, it } from 'vitest';
import { throttlingBackoff } from './clients.js';

describe('throttlingBackoff', () => {
  it.each([
    [1, 200],
    [2, 600],
    [3, 1800],
    [6, 20_000],
  ])('waits less than the cap before retry %i (full jitter, up to %i ms)', (attempt, cap) => {
    const delays = Array.from({ length: 200 }, () => throttlingBackoff(attempt));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...delays)).toBeLessThan(cap);
    // Jittered, not a fixed wait: the delays spread over the range.
    expect(Math.max(...delays)).toBeGreaterThan(cap / 2);
  });
});
