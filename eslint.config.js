// Lint rules that catch real bugs. Formatting is Prettier's job (`pnpm format`), not ESLint's.
import { fileURLToPath } from 'node:url';
import { includeIgnoreFile } from '@eslint/compat';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // What git ignores (build output, images, scratch directories a running test leaves) is not
  // ours to lint: Prettier reads .gitignore by itself, ESLint is told here.
  includeIgnoreFile(fileURLToPath(new URL('.gitignore', import.meta.url))),
  js.configs.recommended,
  // Type-aware: floating and misused promises, awaiting non-promises, unsafe `any` flows.
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: {
        // Each package's tsconfig; files outside every tsconfig (root scripts) get a default one.
        projectService: { allowDefaultProject: ['*.js', '*.ts', 'scripts/*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Off: a port's methods return promises by contract (JobStore.get, RateLimiter.take, ...);
      // the in-memory implementations have nothing to await and are async on purpose.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Plain JavaScript (config files, scripts): the untyped rules only.
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
