import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/*
 * No declaration may take the name of a global of JavaScript or Node.js (require, process, URL,
 * performance, escape, ...): code below it would read ours where a reader expects the global.
 * ESLint's no-shadow with builtinGlobals would say so too, but also flags every inner variable
 * named like an outer one; this says only that.
 */
const GLOBAL_NAMES = new Set(Object.keys({ ...globals.builtin, ...globals.node }));
const noGlobalShadow = {
  meta: {
    type: 'problem',
    messages: { shadow: "'{{name}}' is the name of a Node.js global; call this something else" },
    schema: [],
  },
  create(context) {
    return {
      'Program:exit'(node) {
        for (const scope of context.sourceCode.getScope(node).childScopes.flatMap(function all(s) {
          return [s, ...s.childScopes.flatMap(all)];
        })) {
          for (const variable of scope.variables) {
            if (!GLOBAL_NAMES.has(variable.name)) continue;
            for (const def of variable.defs)
              context.report({ node: def.name, messageId: 'shadow', data: { name: variable.name } });
          }
        }
      },
    };
  },
};

export default tseslint.config(
  // examples/client/generated/ is written by `npm run client:generate`, not by us.
  { ignores: ['node_modules/', '.data/', 'migrations/', 'coverage/', 'dist/', 'examples/client/generated/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': 'off',
      'local/no-global-shadow': 'error',
    },
    plugins: { local: { rules: { 'no-global-shadow': noGlobalShadow } } },
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
      globals: Object.fromEntries(
        [
          'window',
          'document',
          'customElements',
          'HTMLElement',
          'URL',
          'fetch',
          'AbortController',
          'URLSearchParams',
          'queueMicrotask',
          'console',
        ].map((name) => [name, 'readonly']),
      ),
    },
  },
  {
    // The layering in shared/DESIGN.md: HTTP and GraphQL adapters never reach the database directly.
    files: ['src/http/**', 'src/graphql/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/db/*', 'drizzle-orm', 'drizzle-orm/*'], message: 'Go through src/content.' }] },
      ],
    },
  },
  {
    files: ['src/content/**', 'src/access/**', 'src/changes/**', 'src/db/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['fastify', 'fastify-*', '@fastify/*', 'mercurius', '**/http/*', '**/graphql/*'],
              message: 'The domain knows nothing of HTTP or GraphQL.',
            },
          ],
        },
      ],
    },
  },
  {
    // Languages are pure functions every layer may use: nothing of ours from outside the folder.
    files: ['src/content/locales/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '../*',
                '../**/*',
                'fastify',
                'fastify-*',
                '@fastify/*',
                'mercurius',
                'drizzle-orm',
                'drizzle-orm/*',
              ],
              message: 'src/content/locales is pure: nothing of ours from outside it.',
            },
          ],
        },
      ],
    },
  },
);
