import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Two test files side by side: most of the suite waits on sandboxes and child processes, not on a core, and
    // vitest's default (cores - 1) runs one file at a time on a two-core machine.
    poolOptions: { forks: { minForks: 1, maxForks: 2 } }
  }
})
