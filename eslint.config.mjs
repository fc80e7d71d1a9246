// Lint rules, including the dependency rule of the architecture (CONTRIBUTING.md, "Layout"), from the ground up:
//   src/core/model  → only its own files (the ground floor: no arrow to a sibling folder of the core)
//   src/core        → no vscode, no DOM, nothing of src/vscode, src/mcp or the webview
//   src/protocol    → nothing of src (host and webview share it; it is compiled into both)
//   webview/        → only src/protocol (a browser bundle: no vscode, no Node, no core)
//   src/vscode, src/extension.ts → never the webview (they talk to it through src/protocol)
// Each message says what to do instead. Import cycles are checked by `npm run lint:cycles` (madge).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const noVscode = (message) => ({ regex: '^vscode$', message });
const nodeModules = {
  regex: '^(node:)?(fs|path|http|https|net|os|child_process|zlib|crypto|url|util|stream)$',
  message: 'The webview runs in a browser: no Node modules. Do the work in the host and send the result.',
};

const corePatterns = [
  noVscode('src/core is pure: no vscode import. Put the VS Code part in src/vscode and pass data in (or a port).'),
  {
    regex: '(^|/)(vscode|webview|mcp)/',
    message:
      'src/core must not import src/vscode, src/mcp or the webview: they depend on the core. Define a port in the core and implement it there.',
  },
];
const modelPatterns = [
  ...corePatterns,
  {
    regex: '^\\.\\./',
    message:
      'src/core/model is the ground floor: it imports only its own files. Move the type or error it needs into src/core/model (as TraceQuery and TraceFormatError were) or take it as a parameter.',
  },
];
const mcpPatterns = [
  noVscode('src/mcp runs outside VS Code (trace-lens-mcp): no vscode import. Use the core and its Node ports.'),
  {
    regex: '(^|/)(vscode|webview)/',
    message: 'src/mcp uses the core only, not the VS Code adapters or the webview. Move what both need into src/core.',
  },
];
const protocolPatterns = [
  noVscode('src/protocol is compiled into the webview too: no vscode import.'),
  {
    regex: '^\\.\\./',
    message:
      'src/protocol imports nothing from src: host and webview share it. Declare the message or data type here and map the core value to it in src/vscode/waterfall.',
  },
  nodeModules,
];
const webviewPatterns = [
  noVscode('The webview runs in a browser: it talks to the host only through src/protocol (post a message).'),
  {
    regex: '^\\.\\./(?!src/protocol/)',
    message:
      'The webview imports only src/protocol from outside webview/. Put shared data types in src/protocol, or compute the value in the host and send it.',
  },
  nodeModules,
];
const adapterPatterns = [
  {
    regex: '^(\\.\\./)+webview/',
    message:
      'The extension host never imports the webview bundle: send it a message declared in src/protocol (or move shared code into src/protocol).',
  },
];
const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

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
  { files: ['src/core/**/*.ts'], rules: restrict(corePatterns) },
  { files: ['src/core/model/**/*.ts'], rules: restrict(modelPatterns) },
  { files: ['src/mcp/**/*.ts'], rules: restrict(mcpPatterns) },
  { files: ['src/protocol/**/*.ts'], rules: restrict(protocolPatterns) },
  { files: ['src/vscode/**/*.ts', 'src/extension.ts'], rules: restrict(adapterPatterns) },
  {
    files: ['webview/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: restrict(webviewPatterns),
  },
  { files: ['**/*.js', '**/*.mjs', '**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  { files: ['test/**/*.ts'], languageOptions: { globals: { ...globals.mocha } } },
);
