import { describe, expect, it } from 'vitest';
import { readRangeInputs } from './range-inputs.js';

describe('readRangeInputs: the range inputs as @actions/core reads them', () => {
  it('trims, and reads an empty or blank value as not given', () => {
    const env = { INPUT_BASE: '  main \n', INPUT_REF: '', INPUT_ENVIRONMENT: '   ', 'INPUT_DEFAULT-BRANCH': 'develop', 'INPUT_WORKING-DIRECTORY': ' apps/web ' };
    expect(readRangeInputs(env)).toEqual({ base: 'main', ref: undefined, environment: undefined, defaultBranch: 'develop', workingDirectory: 'apps/web' });
  });

  it('the working directory is the workspace when not given', () => {
    expect(readRangeInputs({}).workingDirectory).toBe('.');
  });
});
