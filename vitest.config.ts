import { defineConfig } from 'vitest/config';

/** The local-pipeline end-to-end suites that run a second time with the bot on the Agents SDK. */
const AGENTS_E2E = ['test/e2e/pipeline.test.ts', 'test/e2e/crash-recovery.test.ts'];

export default defineConfig({
  test: {
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Shared two-core machines: no timing assertions, generous timeouts, few workers.
    maxWorkers: 2,
    projects: [
      // Everything, the bot on botbuilder (BOT_SDK's default); the bot and authentication tests run
      // against both SDKs themselves (describe.each over BOT_SDKS).
      { extends: true, test: { name: 'botbuilder', include: ['test/**/*.test.ts'], env: { BOT_SDK: 'botbuilder' } } },
      // The whole local pipeline again with BOT_SDK=agents (tests read it from the environment).
      { extends: true, test: { name: 'agents', include: AGENTS_E2E, env: { BOT_SDK: 'agents' } } },
    ],
  },
});
