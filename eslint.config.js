// @ts-check
// One lint configuration for the whole repository: ESLint's and typescript-eslint's recommended
// rules, no import cycles inside a package, and Prettier owning the layout (eslint-config-prettier
// turns off every rule it decides).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import importPlugin from 'eslint-plugin-import';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '.nx/**', 'site/**', '**/*.generated.ts', 'packages/miner/assembly/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs', '**/*.cjs'],
    plugins: { import: importPlugin },
    languageOptions: { globals: { ...globals.node } },
    settings: {
      'import/resolver': { node: { extensions: ['.ts', '.js', '.mjs', '.cjs'] } },
      'import/extensions': ['.ts', '.js', '.mjs', '.cjs'],
    },
    rules: {
      // Data flows one way: a module never reaches back to one that imports it.
      'import/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // `catch {}` and empty callbacks that deliberately ignore are fine; say why in a comment.
      'no-empty': ['error', { allowEmptyCatch: true }],
      '@typescript-eslint/no-empty-function': 'off',
    },
  },
  {
    // Tests read JSON replies of any shape.
    files: ['**/test/**/*.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['packages/explorer/src/web/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  prettier,
);
