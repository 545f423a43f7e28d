/**
 * The client's pagination: the stop rule on every combination of the optional envelope fields, and the real
 * sandbox paging under a server cap lower than the page size asked for.
 */
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Option, Redacted, Stream } from "effect"
import { makePluginContext } from "../../../core/testing.ts"
import { editions } from "../../../plugins/zephyr/Edition.ts"
import { makeZephyrClient, nextStartAt } from "../../../plugins/zephyr/ZephyrClient.ts"
import { startZephyrSandbox } from "../../../plugins/zephyr/sandbox/index.ts"
import { tempDir } from "./harness.ts"

const page = (n: number, extra: { total?: number | null; isLast?: boolean | null; next?: string | null } = {}) => ({
  startAt: 0,
  maxResults: 1000,
  values: Array.from({ length: n }, (_, i) => i),
  ...extra
})

describe("nextStartAt", () => {
  it("advances by the number of values received, not by maxResults", () => {
    expect(nextStartAt(0, { ...page(3, { isLast: false }), maxResults: 1000 })).toEqual(Option.some(3))
  })
  it("stops when isLast is true, or the page is empty", () => {
    expect(nextStartAt(0, page(3, { isLast: true, next: "x" }))).toEqual(Option.none())
    expect(nextStartAt(6, page(0, { isLast: false, next: "x" }))).toEqual(Option.none())
  })
  it("without isLast: follows `next`, else `total`, else stops", () => {
    expect(nextStartAt(0, page(3, { next: "http://h/v2/x?startAt=3" }))).toEqual(Option.some(3))
    expect(nextStartAt(0, page(3, { total: 10 }))).toEqual(Option.some(3))
    expect(nextStartAt(9, page(1, { total: 10 }))).toEqual(Option.none())
    expect(nextStartAt(0, page(3))).toEqual(Option.none())
    expect(nextStartAt(0, page(3, { isLast: null, next: null, total: null }))).toEqual(Option.none())
  })
  it("isLast false keeps going even without next", () => {
    expect(nextStartAt(0, page(3, { isLast: false, next: null, total: 3 }))).toEqual(Option.some(3))
  })
})

describe("ZephyrClient.paginate against the sandbox", () => {
  it.scopedLive("a server cap of 3 under a page size of 1000 still yields every item, in order", () =>
    Effect.gen(function* () {
      const sandbox = yield* startZephyrSandbox({ maxResultsCap: 3 })
      const ctx = yield* makePluginContext({ system: "zephyr", stateDir: yield* tempDir })
      const client = makeZephyrClient(
        { baseUrl: sandbox.baseUrl, edition: editions.cloud, projectKey: "DEMO", token: Redacted.make(sandbox.token), pageSize: 1000, attachments: true, fetchVersions: false, inlineImages: "placeholder" },
        ctx
      )
      const keys = Chunk.toReadonlyArray(yield* Stream.runCollect(client.listTestCases())).map((tc) => (tc as { key: string }).key)
      expect(keys).toEqual(Array.from({ length: 25 }, (_, i) => `DEMO-T${i + 1}`))
      expect(sandbox.stats().byPath["/v2/testcases"]).toBe(9)
      expect(yield* client.countOf("/testcases")).toBe(25)
    })
  )
})
