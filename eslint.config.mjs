// Lint: typescript-eslint's type-checked rules plus the layering of STYLE.md section 1.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const lspPackages = ['vscode-languageserver', 'vscode-languageserver/*', 'vscode-languageclient', 'vscode-languageclient/*', 'vscode'];

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', 'test/e2e/.tools/**', 'server/src/engine/generated/**', '**/*.mjs', '**/*.js', 'rules/**/fixtures/**', 'examples/**', 'bench/results/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-namespace': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      curly: ['error', 'all'],
    },
  },
  {
    files: ['server/src/parse/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/model/**', '**/engine/**', '**/features/**', '**/cli/**', ...lspPackages], message: 'parse/ imports only text/ (STYLE.md section 1)' }] }],
    },
  },
  {
    files: ['server/src/model/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/engine/**', '**/features/**', '**/cli/**', ...lspPackages], message: 'model/ imports only parse/ and text/ (STYLE.md section 1)' }] }],
    },
  },
  {
    files: ['server/src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/features/**', '**/cli/**', ...lspPackages], message: 'engine/ knows nothing of LSP or the terminal (STYLE.md section 1)' }] }],
    },
  },
  {
    files: ['server/src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/features/**', ...lspPackages], message: 'cli/ never imports features/ (STYLE.md section 1)' }] }],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
