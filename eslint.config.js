import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // examples/client/generated/ is written by `npm run client:generate`, not by us.
  { ignores: ['node_modules/', '.data/', 'migrations/', 'coverage/', 'dist/', 'examples/client/generated/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': 'off',
    },
  },
  {
    // Plain Node scripts (the start wrapper, the benchmark's bound server).
    files: ['**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    // Browser code served as is (the embed widget): no Node, no imports, only what browsers have.
    files: ['embed/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: Object.fromEntries(['window', 'document', 'customElements', 'HTMLElement', 'URL', 'fetch', 'AbortController', 'queueMicrotask'].map((name) => [name, 'readonly'])),
    },
  },
  {
    // The layering in shared/DESIGN.md: HTTP and GraphQL adapters never reach the database directly.
    files: ['src/http/**', 'src/graphql/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ group: ['**/db/*', 'drizzle-orm', 'drizzle-orm/*'], message: 'Go through src/content.' }] }],
    },
  },
  {
    files: ['src/content/**', 'src/access/**', 'src/changes/**', 'src/db/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ group: ['fastify', 'fastify-*', '@fastify/*', 'mercurius', '**/http/*', '**/graphql/*'], message: 'The domain knows nothing of HTTP or GraphQL.' }] }],
    },
  },
);
