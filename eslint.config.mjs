// Lint rules, including the dependency rule of the architecture: core → nothing of vscode or the DOM;
// the webview → only src/protocol and the core model types; adapters never reach into the webview.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const coreRule = {
  patterns: [
    { regex: '^vscode$', message: 'src/core is pure: no vscode import. Put the VS Code part in src/vscode and pass data in.' },
    { regex: '(^|/)(vscode|webview)/', message: 'src/core must not import from src/vscode or the webview.' },
  ],
};
const mcpRule = {
  patterns: [
    { regex: '^vscode$', message: 'src/mcp runs outside VS Code (trace-lens-mcp): no vscode import.' },
    { regex: '(^|/)(vscode|webview)/', message: 'src/mcp uses the core only, not the VS Code adapters or the webview.' },
  ],
};
const webviewRule = {
  patterns: [
    { regex: '^vscode$', message: 'The webview runs in a browser: it talks to the host only through src/protocol.' },
    {
      regex: '^\\.\\./src/(?!protocol/|core/model/types$)',
      message: 'The webview may import only src/protocol and src/core/model/types.',
    },
    {
      regex: '^(node:)?(fs|path|http|https|net|os|child_process|zlib|crypto|url|util|stream)$',
      message: 'The webview runs in a browser: no Node modules.',
    },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'test-results/**', '.run/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'smart'],
    },
  },
  { files: ['src/core/**/*.ts'], rules: { 'no-restricted-imports': ['error', coreRule] } },
  { files: ['src/mcp/**/*.ts'], rules: { 'no-restricted-imports': ['error', mcpRule] } },
  { files: ['src/protocol/**/*.ts'], rules: { 'no-restricted-imports': ['error', webviewRule] } },
  {
    files: ['webview/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'no-restricted-imports': ['error', webviewRule] },
  },
  { files: ['**/*.js', '**/*.mjs', '**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  { files: ['test/**/*.ts'], languageOptions: { globals: { ...globals.mocha } } },
);
