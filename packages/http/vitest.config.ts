import { defineConfig } from 'vitest/config';

export default defineConfig({
  // These tests spawn the built binary; give slow CI machines room.
  test: { include: ['test/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 },
});
