import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = { regex: '^node:', message: 'The renderer runs in a browser: no Node modules.' };

/** The layering of ARCHITECTURE.md, enforced: where code may run is visible in its folder. */
export default tseslint.config(
  { ignores: ['dist/**', 'dist-electron/**', 'dist-web/**', 'release/**', 'node_modules/**', 'test-results/**', 'coverage/**', 'tests/api-client/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { project: ['./tsconfig.node.json', './tsconfig.web.json', './tsconfig.e2e.json'], tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // The WhatsApp Web double's page runs in Chromium, served to whatsapp-web.js in place of web.whatsapp.com.
    files: ['electron/whatsapp/wweb-double/page/*.js'],
    languageOptions: { globals: { ...globals.browser }, sourceType: 'script' },
  },
  {
    files: ['electron/**/*.ts', 'renderer/**/*.{ts,tsx}', 'shared/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    // Domains run in tests and web mode: never `electron`, never the UI.
    files: ['electron/**/*.ts'],
    ignores: ['electron/shell/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Only the Electron shell (electron/shell/) may import electron.' }],
          patterns: [{ regex: '(^|/)renderer(/|$)', message: 'The main process never imports the renderer.' }],
        },
      ],
    },
  },
  {
    // The UI talks only to the contract in shared/.
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'The renderer reaches the main process only through shared/ and api/.' },
            { name: 'better-sqlite3', message: 'The renderer has no database.' },
            { name: 'ws', message: 'Use the api/ client.' },
          ],
          patterns: [
            NODE_BUILTINS,
            { regex: '(^|/)electron/', message: 'The renderer imports only shared/, never electron/.' },
          ],
        },
      ],
    },
  },
  {
    // The contract is pure: zod and its own files only.
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!zod$|\\./)', message: 'shared/ imports only zod and its own files.' }] },
      ],
    },
  },
);
