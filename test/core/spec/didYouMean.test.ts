import { describe, expect, it } from "@effect/vitest"
import { didYouMean } from "../../../core/spec/didYouMean.ts"

describe("didYouMean", () => {
  const keys = ["version", "source", "transforms", "sinks", "state", "runtime", "plugins"]
  it("suggests the nearest key for a typo", () => {
    expect(didYouMean("sinkz", keys)).toBe("sinks")
    expect(didYouMean("sorce", keys)).toBe("source")
    expect(didYouMean("Runtime", keys)).toBe("runtime")
    expect(didYouMean("transform", keys)).toBe("transforms")
  })
  it("suggests nothing when no key is close", () => {
    expect(didYouMean("database", keys)).toBeUndefined()
    expect(didYouMean("x", [])).toBeUndefined()
  })
})
