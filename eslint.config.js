/**
 * ESLint (typescript-eslint, flat config): the recommended rules plus a few type-aware ones
 * that catch real bugs here (a forgotten await, a promise passed where a callback's result is
 * ignored, `${object}` in a message). Formatting is Prettier's job, not ESLint's.
 */
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: ['dist/', 'web/dist/', 'vectorstore/', 'data/', 'node_modules/', 'coverage/', '.tmp/'],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { arguments: false, attributes: false } },
      ],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true, allowNullish: true },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/no-namespace': ['error', { allowDeclarations: true }],
      '@typescript-eslint/no-unused-expressions': [
        'error',
        { allowShortCircuit: true, allowTernary: true },
      ],
      // Text cleaning strips control characters on purpose.
      'no-control-regex': 'off',
      // Chinese text in strings, templates and patterns uses the ideographic space (U+3000).
      'no-irregular-whitespace': [
        'error',
        { skipStrings: true, skipTemplates: true, skipRegExps: true, skipComments: true },
      ],
    },
  },
  {
    // The widget's DOM helper takes async click handlers (each catches its own failures), its
    // key handlers use comma expressions, and its clipboard fallback initialises a flag the
    // catch branch keeps.
    files: ['web/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-expressions': 'off',
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { arguments: false, attributes: false, properties: false } },
      ],
      'no-useless-assignment': 'off',
    },
  },
  {
    // The document parsers rethrow a parse failure as a short reason for the ingest report
    // (the underlying error is not needed there).
    files: ['ingest/load.ts', 'ingest/parsers/*.ts'],
    rules: { 'preserve-caught-error': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      globals: {
        module: 'writable',
        require: 'readonly',
        process: 'readonly',
        console: 'readonly',
      },
    },
  },
);
