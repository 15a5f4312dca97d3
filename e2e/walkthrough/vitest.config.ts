import { defineConfig } from 'vitest/config';

/** The README walkthrough on its own (`npm run test:walkthrough`): it installs a copy of the project, so it runs alone. */
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['*.walkthrough.ts'],
    testTimeout: 300_000,
    hookTimeout: 60_000,
  },
});
