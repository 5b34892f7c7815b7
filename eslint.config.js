// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Vendor SDKs: only adapters/ and bot/ import them (through a port, everyone else stays vendor-free). */
const VENDOR_SDKS = [
  '@azure/*',
  '!@azure/functions',
  '@sendgrid/*',
  'microsoft-cognitiveservices-speech-sdk',
  'botbuilder',
  'botbuilder-*',
  'botframework-*',
  '@microsoft/agents-*',
  'better-sqlite3',
  'azurite',
  'azurite/*',
  'espeak-ng',
];
const VENDOR_MESSAGE = 'Only adapters/ and bot/ import vendor SDKs: go through a port (adapters/ports.ts) or the chat endpoint (bot/chat-endpoint.ts).';
const FUNCTIONS_HOST = {
  group: ['@azure/functions'],
  message: 'Only functions/azure/ imports @azure/functions: handlers take web-standard Request/Response and a FunctionContext.',
};
const ABOVE_CORE = {
  group: ['**/bot/**', '**/functions/**', '**/adapters/**', '**/local/**'],
  message: 'core/ is the domain: it imports nothing from bot/, functions/, adapters/ or local/.',
};

/** The architecture's boundaries (ARCHITECTURE.md); test/unit/lint/ proves each one fires. */
export const boundaryRules = [
  {
    files: ['functions/**', 'local/**', 'manifest/**', 'operations/**', 'console/**', 'cli/**'],
    ignores: ['functions/azure/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: VENDOR_SDKS, message: VENDOR_MESSAGE }, FUNCTIONS_HOST] }] },
  },
  {
    files: ['functions/azure/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: VENDOR_SDKS, message: VENDOR_MESSAGE }] }] },
  },
  {
    files: ['adapters/**', 'bot/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [FUNCTIONS_HOST] }] },
  },
  {
    files: ['core/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: VENDOR_SDKS, message: VENDOR_MESSAGE }, FUNCTIONS_HOST, ABOVE_CORE] }] },
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.talkback/**', 'coverage/**', 'test-artifacts/**', 'eslint.config.js', 'bin/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/require-await': 'off',
    },
  },
  ...boundaryRules,
  {
    // Tests may use SDK types (e.g. real RestError / ServiceBusError instances) to check translations.
    files: ['test/**'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
