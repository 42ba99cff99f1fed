import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Tests import core modules directly; this installs the local file access the Node entry installs.
    setupFiles: ['./test/helpers/local-files.ts'],
  },
});
