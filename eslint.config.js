// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const SDKS = ['@azure/*', '!@azure/functions', '@sendgrid/*', 'microsoft-cognitiveservices-speech-sdk'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.talkback/**', 'coverage/**', 'eslint.config.js'] },
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
  {
    // The architecture's one boundary rule: only adapters/ talks to Azure (other than @azure/functions) or SendGrid SDKs.
    files: ['bot/**', 'functions/**', 'core/**', 'local/**', 'manifest/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: SDKS,
              message: 'Only adapters/ may import Azure SDKs (other than @azure/functions) or SendGrid: go through a port in adapters/ports.ts.',
            },
          ],
        },
      ],
    },
  },
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
