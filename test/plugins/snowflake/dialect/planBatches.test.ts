/** Batching: rows × columns and bytes bounded, order kept, no empty batch, oversized rows alone. */
import { FastCheck as fc } from "effect"
import { describe, expect, it } from "@effect/vitest"
import {
  type BindRow,
  defaultBatchLimits,
  planBatches,
  rowBytes,
  snowflakeTable,
  toBindRow,
  utf8Length,
  valueBytes
} from "../../../../plugins/snowflake/dialect/index.ts"
import { canonicalSamples } from "../../../fixtures/canonical-samples.ts"

const valueArb = fc.oneof(fc.constant(null), fc.string({ maxLength: 40 }), fc.string({ unit: "grapheme", maxLength: 10 }))
const rowsArb = fc.array(
  fc.integer({ min: 1, max: 12 }).chain((width) => fc.array(valueArb, { minLength: width, maxLength: width })),
  { maxLength: 80 }
)
const limitsArb = fc.record({ maxValues: fc.integer({ min: 1, max: 60 }), maxBytes: fc.integer({ min: 1, max: 600 }) })

const sum = (xs: ReadonlyArray<number>) => xs.reduce((a, b) => a + b, 0)

describe("planBatches", () => {
  it("concatenated batches equal the input, none is empty, limits hold unless a row alone exceeds them", () => {
    fc.assert(
      fc.property(rowsArb, limitsArb, (rows: ReadonlyArray<BindRow>, limits) => {
        const batches = planBatches(rows, limits)
        expect(batches.flat()).toEqual(rows)
        for (const batch of batches) {
          expect(batch.length).toBeGreaterThan(0)
          const values = sum(batch.map((r) => r.length))
          const bytes = sum(batch.map(rowBytes))
          if (batch.length > 1) {
            expect(values).toBeLessThanOrEqual(limits.maxValues)
            expect(bytes).toBeLessThanOrEqual(limits.maxBytes)
          }
        }
        // Greedy: a batch is closed only because its next row would not fit.
        for (let i = 0; i + 1 < batches.length; i++) {
          const batch = batches[i] ?? []
          const next = batches[i + 1]?.[0] ?? []
          const values = sum(batch.map((r) => r.length)) + next.length
          const bytes = sum(batch.map(rowBytes)) + rowBytes(next)
          expect(values > limits.maxValues || bytes > limits.maxBytes).toBe(true)
        }
      }),
      { numRuns: 300 }
    )
  })

  it("gives no batch for no rows", () => {
    expect(planBatches([])).toEqual([])
  })

  it("puts a row larger than maxBytes in a batch of its own", () => {
    const big: BindRow = ["x".repeat(1000)]
    const small: BindRow = ["a"]
    expect(planBatches([small, big, small], { maxValues: 100, maxBytes: 100 })).toEqual([[small], [big], [small]])
  })

  it("keeps the default batch below the driver's 100,000-value stage-binding threshold and 16 MB", () => {
    expect(defaultBatchLimits.maxValues).toBeLessThan(100_000)
    expect(defaultBatchLimits.maxBytes).toBeLessThanOrEqual(8 * 1024 * 1024)
    const row = toBindRow("TestCase", canonicalSamples.TestCase, 1)
    const rows = Array.from({ length: 10_000 }, () => row)
    const batches = planBatches(rows)
    const width = snowflakeTable("TestCase").columns.length + 1
    expect(batches[0]?.length).toBe(Math.floor(90_000 / width))
    for (const batch of batches) expect(batch.length * width).toBeLessThanOrEqual(90_000)
  })

  it("bounds 1 MB texts by bytes", () => {
    const mb = "é".repeat(512 * 1024) // 1 MiB of UTF-8
    const rows: ReadonlyArray<BindRow> = Array.from({ length: 20 }, (_, i) => [String(i), mb])
    const batches = planBatches(rows)
    expect(batches.flat()).toEqual(rows)
    expect(batches.length).toBe(3) // 7 rows of ~1 MiB fit in 8 MiB
    for (const batch of batches) expect(sum(batch.map(rowBytes))).toBeLessThanOrEqual(8 * 1024 * 1024)
  })

  it("counts bytes as the JSON request carries them", () => {
    expect(utf8Length("aé登😀")).toBe(1 + 2 + 3 + 4)
    expect(utf8Length("\ud800x")).toBe(3 + 1)
    expect(valueBytes(null)).toBe(5)
    expect(valueBytes('a"\n')).toBe(JSON.stringify('a"\n').length + 1)
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 200 }), (s) => utf8Length(s) === Buffer.byteLength(s, "utf8")), { numRuns: 200 })
  })

  it("rejects limits that could never hold a row", () => {
    expect(() => planBatches([["a"]], { maxValues: 0, maxBytes: 10 })).toThrow(/positive/)
  })
})
