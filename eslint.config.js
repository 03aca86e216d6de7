import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import layering from './eslint-rules/layering.js';

export default tseslint.config(
  { ignores: ['node_modules/', '.tsbuild/', '.build/', 'renderer/dist/', 'e2e/artifacts/', 'test-results/', 'bench/results/', 'electron/engine/delta/assembly/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    plugins: { zuc: { rules: { layering } } },
    rules: {
      'zuc/layering': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
