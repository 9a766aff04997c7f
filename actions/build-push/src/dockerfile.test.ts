import { describe, expect, it } from 'vitest';
import { labelInstruction, withLabels } from './dockerfile.js';

const labels = new Map([
  ['org.opencontainers.image.revision', 'abc'],
  ['note', 'say "hi" for $5 \\ more'],
]);

describe('withLabels', () => {
  it('quotes keys and values, escaping quotes, backslashes and $', () => {
    expect(labelInstruction(labels)).toBe('LABEL "org.opencontainers.image.revision"="abc" "note"="say \\"hi\\" for \\$5 \\\\ more"');
  });

  it('appends one LABEL to the last stage', () => {
    expect(withLabels('FROM scratch\nCOPY a /a\n\n', labels)).toBe(`FROM scratch\nCOPY a /a\n${labelInstruction(labels)}\n`);
  });

  it('puts it at the end of the target stage, before the next FROM', () => {
    const text = 'FROM scratch AS build\nRUN make\nFROM --platform=linux/amd64 scratch as app\nCOPY --from=build /x /x\nFROM scratch AS test\nRUN test';
    const result = withLabels(text, labels, 'App') as string;
    expect(result.split('\n')).toEqual([
      'FROM scratch AS build',
      'RUN make',
      'FROM --platform=linux/amd64 scratch as app',
      'COPY --from=build /x /x',
      labelInstruction(labels),
      'FROM scratch AS test',
      'RUN test',
      '',
    ]);
  });

  it('is undefined for a target no stage names, and unchanged without labels', () => {
    expect(withLabels('FROM scratch AS a\n', labels, 'b')).toBeUndefined();
    expect(withLabels('FROM scratch\n', new Map())).toBe('FROM scratch\n');
  });
});
