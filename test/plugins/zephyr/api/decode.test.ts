/** Envelopes fail the run as a protocol error naming the URL; items fail alone, with a readable reason. */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import { decodeEnvelope, decodeItem, OffsetPage, rawSourceId, TestCase } from "../../../../plugins/zephyr/api/index.ts"

describe("decodeEnvelope", () => {
  it.effect("a page without startAt is a Protocol SystemError naming the URL", () =>
    Effect.gen(function* () {
      const e = yield* Effect.flip(decodeEnvelope(OffsetPage, "zephyr", "http://h/v2/testcases?startAt=0")({ maxResults: 10, values: [] }))
      expect(e).toMatchObject({ _tag: "SystemError", reason: "Protocol", system: "zephyr" })
      expect(e.message).toContain("http://h/v2/testcases?startAt=0")
      expect(e.message).toContain("startAt")
    })
  )

  it.effect("tolerates absent or null total / isLast / next", () =>
    Effect.gen(function* () {
      const page = yield* decodeEnvelope(OffsetPage, "zephyr", "u")({ startAt: 0, maxResults: 10, next: null, values: [1] })
      expect(page.total).toBeUndefined()
      expect(page.next).toBeNull()
    })
  )
})

describe("decodeItem", () => {
  const valid = { id: 1, key: "P-T1", name: "n", project: { id: 2 }, priority: { id: 3 }, status: { id: 4 } }
  it("accepts a minimal test case and tolerates nulls in optional fields", () => {
    expect(Either.isRight(decodeItem(TestCase)({ ...valid, folder: null, owner: null, labels: null, customFields: null, links: null }))).toBe(true)
  })
  it("names the failing field", () => {
    const result = decodeItem(TestCase)({ ...valid, name: 42, key: "P-1" })
    expect(Either.isLeft(result) && result.left).toMatch(/name: Expected string, actual 42/)
    expect(Either.isLeft(result) && result.left).toMatch(/key: expected a test case key like PROJ-T12/)
  })
  it("rawSourceId prefers id, then key", () => {
    expect(rawSourceId({ id: 7, key: "P-T1" })).toBe("7")
    expect(rawSourceId({ key: "P-T1" })).toBe("P-T1")
    expect(rawSourceId("junk")).toBe("<unknown>")
  })
})
