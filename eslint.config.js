// Lint rules double as architecture checks: the one-way arrows of
// ../shared/DESIGN.md are enforced here, not remembered.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const restrict = (paths, patterns = []) => ({
  'no-restricted-imports': ['error', { paths, patterns }],
});

const only = (pkg, owner) => ({ name: pkg, message: `only ${owner} may import ${pkg}` });

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'release/**', 'scratch/**', 'renderer/dist/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', performance: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', structuredClone: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // Sanitising untrusted text means matching control characters on purpose.
      'no-control-regex': 'off',
    },
  },
  // Default for all project code: none of the owned packages.
  {
    files: ['main/**/*.ts', 'ingest/**/*.ts', 'scripts/**/*.ts'],
    rules: restrict(
      [only('@lancedb/lancedb', 'main/store'), only('langchain', 'main/agent'), only('electron', 'main/electron')],
      [
        { group: ['@langchain/*'], message: 'only main/agent may import LangChain' },
        { group: ['**/renderer/**'], message: 'main code never imports the renderer' },
      ],
    ),
  },
  {
    files: ['main/store/**/*.ts'],
    rules: restrict([only('langchain', 'main/agent'), only('electron', 'main/electron')], [{ group: ['@langchain/*'], message: 'only main/agent may import LangChain' }]),
  },
  {
    files: ['main/agent/**/*.ts'],
    rules: restrict([only('@lancedb/lancedb', 'main/store'), only('electron', 'main/electron')]),
  },
  {
    files: ['main/electron/**/*.ts'],
    rules: restrict([only('@lancedb/lancedb', 'main/store'), only('langchain', 'main/agent')], [{ group: ['@langchain/*'], message: 'only main/agent may import LangChain' }]),
  },
  // main/core is the bottom of the picture: no I/O, nothing above it.
  {
    files: ['main/core/**/*.ts'],
    rules: restrict(
      [only('@lancedb/lancedb', 'main/store'), only('langchain', 'main/agent'), only('electron', 'main/electron'), { name: 'node:fs', message: 'main/core does no I/O' }, { name: 'node:fs/promises', message: 'main/core does no I/O' }],
      [{ group: ['../*/**', '!../core/**'], message: 'main/core imports nothing from other layers' }],
    ),
  },
  // The renderer is a browser: no Node built-ins, only the API contract types.
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: restrict(
      [only('@lancedb/lancedb', 'main/store'), only('langchain', 'main/agent'), only('electron', 'main/electron')],
      [
        { group: ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'worker_threads'], message: 'the renderer runs in a browser sandbox: no Node modules' },
        { regex: '(^|/)main/(?!api/contract(\\.js)?$)', message: 'the renderer imports only the API contract from main/' },
      ],
    ),
  },
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
