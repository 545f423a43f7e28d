/** The benchmark's yardsticks: the fewest requests each API needs for given data, and the floors at a quota. */
import { describe, expect, it } from "@effect/vitest"
import { floors, pages, qtestMinimum, snowflakeMinimum, zephyrDcMinimum, zephyrMinimum } from "../../bench/minimumRequests.ts"

describe("minimum requests", () => {
  it("pages: an empty list costs one request, a full page does not spill into a second", () => {
    expect([pages(0), pages(1), pages(1000), pages(1001), pages(2500)]).toEqual([1, 1, 1, 2, 3])
  })

  it("Zephyr: list pages, per case steps + attachment list (+ script without steps), per execution step results + attachment list, downloads", () => {
    const m = zephyrMinimum({
      folders: 1200,
      testPlans: 0,
      testCycles: 3,
      attachments: 5,
      // a case with 1,001 steps reads two pages; a case without steps asks for its script
      stepsPerCase: [3, 0, 1001],
      stepResultsPerExecution: [2, 0]
    })
    expect(m.parts).toEqual({
      "project and lookups": 4,
      "list pages": 2 + 1 + 1 + 1 + 1,
      "per test case": 1 + 1 + (1 + 1 + 1) + (2 + 1),
      "per execution": 1 + 1 + (1 + 1),
      "attachment downloads": 5
    })
    expect(m.total).toBe(4 + 6 + 8 + 4 + 5)
  })

  it("Zephyr, an edition that refuses attachment files to the token: the same, without downloads", () => {
    const data = { folders: 10, testPlans: 1, testCycles: 1, attachments: 7, stepsPerCase: [2], stepResultsPerExecution: [1] }
    const m = zephyrMinimum(data, false)
    expect(m.parts["attachment downloads"]).toBe(0)
    expect(m.total).toBe(zephyrMinimum(data).total - 7)
  })

  it("Zephyr DC: searches ending on an empty page (the cases' twice), per case its attachment lists (its own, each step's) and latest result, per run its results, per result its attachment list", () => {
    const m = zephyrDcMinimum({ folders: 50, testPlans: 0, testCycles: 2, attachments: 4, stepsPerCase: [3, 0, 1], stepResultsPerExecution: [2, 0, 5] })
    expect(m.parts).toEqual({
      "search pages": 2 * (1 + 1) + (0 + 1) + (1 + 1),
      "per test case": (1 + 3 + 1) + (1 + 0 + 1) + (1 + 1 + 1),
      "per test run": 2,
      "per result": 3,
      "attachment downloads": 4
    })
    expect(m.total).toBe(7 + 10 + 2 + 3 + 4)
  })

  it("qTest: one request per object written; logs sent in bulk cost their batch's request only", () => {
    const m = qtestMinimum({ "test-case": 200, approval: 200, "test-log": 0, "auto-batch": 3, "auto-test-log": 1500 })
    expect(m.parts).toEqual({ "test-case": 200, approval: 200, "auto-batch": 3 })
    expect(m.total).toBe(403)
  })

  it("Snowflake: CREATE, staging, INSERTs under the bind ceiling (whole rows), MERGE per table; an empty table its CREATE", () => {
    const m = snowflakeMinimum([
      { table: "TestExecution", rows: 3750, boundValuesPerRow: 24 },
      { table: "TestStep", rows: 3751, boundValuesPerRow: 24 },
      { table: "Link", rows: 0, boundValuesPerRow: 15 },
      // wider than the ceiling: a row alone per INSERT
      { table: "Wide", rows: 2, boundValuesPerRow: 100_000 }
    ])
    expect(m.parts).toEqual({ TestExecution: 3 + 1, TestStep: 3 + 2, Link: 1, Wide: 3 + 2 })
    expect(m.total).toBe(15)
  })

  it("floors: each API's served requests at the rate; pipelined = the slowest alone, sequential = the sum", () => {
    const f = floors([{ api: "zephyr", served: 4900 }, { api: "qtest", served: 4400 }, { api: "snowflake", served: 100 }], 50)
    expect(f.perApi).toEqual({ zephyr: 98, qtest: 88, snowflake: 2 })
    expect(f.pipelined).toBe(98)
    expect(f.sequential).toBe(188)
  })
})
