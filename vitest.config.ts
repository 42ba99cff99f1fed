import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Tests import core modules directly; this installs the local file access the Node entry installs.
    setupFiles: ['./test/helpers/local-files.ts'],
    // Whole-fixture tests run for seconds on a 2-core machine; a loaded one must not turn them into failures.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
