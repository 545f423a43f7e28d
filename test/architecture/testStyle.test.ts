/**
 * One runner style: every test file takes its runner from `@effect/vitest` (vitest's API plus `it.effect`,
 * `it.scoped`, `it.live` and TestClock), never from `vitest` directly, so a test can move from a Promise to an
 * Effect — and onto virtual time — without changing imports.
 */
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "@effect/vitest"
import { importsOf, tsFiles } from "./importGraph.ts"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..")

describe("test style", () => {
  it("test files import their runner from @effect/vitest, never from vitest", () => {
    const files = [...tsFiles(path.join(root, "test")), ...tsFiles(path.join(root, "examples"))]
    expect(files.filter((f) => f.endsWith(".test.ts")).length).toBeGreaterThan(50)
    const direct = files.flatMap((file) => importsOf(file).filter((r) => r.specifier === "vitest").map((r) => `${path.relative(root, file)}:${r.line}`))
    expect(direct, `import from "@effect/vitest" instead:\n${direct.join("\n")}`).toEqual([])
  })
})
