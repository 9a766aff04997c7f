import { ConfigurationError } from '@deploy-suite/kit';

const RATE_FORM = 'a percentage such as 1% or 0.5%, or a fraction from 0 to 1 such as 0.01';

/** `1%`, `0.5%`, `0.01`, `0`: a fraction from 0 to 1. */
export function parseRate(name: string, raw: string): number {
  const text = raw.trim();
  const match = /^(\d+(?:\.\d+)?)(%?)$/.exec(text);
  const rate = match ? Number(match[1]) / (match[2] ? 100 : 1) : Number.NaN;
  if (!(rate >= 0 && rate <= 1)) throw new ConfigurationError(`input "${name}" must be ${RATE_FORM}, got "${raw}"`);
  return rate;
}
