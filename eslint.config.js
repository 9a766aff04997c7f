import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'bench/.work/**', '.cache/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // Logic modules stay free of @actions/core so they are tested as plain functions;
    // only entry points (index.ts, main.ts, inputs.ts) and the kit's runner-facing modules touch it.
    files: ['actions/*/src/**/*.ts'],
    ignores: ['actions/*/src/index.ts', 'actions/*/src/main.ts', 'actions/*/src/inputs.ts', 'actions/*/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: '@actions/core', message: 'Keep @actions/core in main.ts/inputs.ts; pass what logic needs as arguments.' }] }],
    },
  },
  {
    // A function fits on a screen (CONTRIBUTING.md): past that, name its phases.
    files: ['actions/*/src/**/*.ts', 'packages/*/src/**/*.ts'],
    ignores: ['**/*.test.ts', '**/generated/**'],
    rules: {
      'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }],
    },
  },
);
