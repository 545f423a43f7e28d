/** ajv validation of canonical records: valid samples pass, wrong records fail with a JSON-pointer message. */
import { describe, expect, it } from "@effect/vitest"
import { entityOrder } from "../../core/canonical/Canonical.ts"
import { validateRecord } from "../../core/canonical/validate.ts"
import { canonicalSamples, valueJsonVariants } from "../fixtures/canonical-samples.ts"

const without = (data: object, key: string): Record<string, unknown> => {
  const { [key]: _removed, ...rest } = data as Record<string, unknown>
  return rest
}

describe("validateRecord", () => {
  it.each(entityOrder.map((e) => [e] as const))("accepts the %s sample", (entity) => {
    expect(validateRecord(entity, canonicalSamples[entity])).toBeUndefined()
  })

  it("names the path and the expected type of a wrongly typed column", () => {
    expect(validateRecord("TestCase", { ...canonicalSamples.TestCase, estimated_time_ms: 1.5 })).toEqual(["/estimated_time_ms must be integer or null"])
    expect(validateRecord("TestCase", { ...canonicalSamples.TestCase, estimated_time_ms: "90s" })).toEqual(["/estimated_time_ms must be integer or null"])
    expect(validateRecord("TestCase", { ...canonicalSamples.TestCase, test_case_id: 1.5 })).toEqual(["/test_case_id must be integer"])
    expect(validateRecord("TestExecution", { ...canonicalSamples.TestExecution, automated: "false" })).toEqual(["/automated must be boolean"])
    expect(validateRecord("TestCase", { ...canonicalSamples.TestCase, labels: ["ok", 3] })).toEqual(["/labels/1 must be string"])
  })

  it("rejects a null in a NOT NULL column", () => {
    expect(validateRecord("TestExecution", { ...canonicalSamples.TestExecution, status: null })).toEqual(["/status must be string"])
  })

  it("reports a missing column by its path", () => {
    expect(validateRecord("TestStep", without(canonicalSamples.TestStep, "description"))).toEqual(["/description is required"])
    expect(validateRecord("Project", without(canonicalSamples.Project, "content_hash"))).toEqual(["/content_hash is required"])
  })

  it("rejects unknown columns", () => {
    expect(validateRecord("Folder", { ...canonicalSamples.Folder, colour: "red" })).toEqual(["/colour is not a column of this entity"])
  })

  it("checks enums, date-times and nested objects", () => {
    expect(validateRecord("Folder", { ...canonicalSamples.Folder, type: "TEST_RUN" })).toEqual(['/type must be one of "TEST_CASE", "TEST_PLAN", "TEST_CYCLE"'])
    expect(validateRecord("TestCase", { ...canonicalSamples.TestCase, updated_at: "yesterday" })).toEqual(['/updated_at must match format "date-time"'])
    const step = canonicalSamples.TestStep
    expect(validateRecord("TestStep", { ...step, parameters: [{ name: "x", type: "MANUAL_INPUT" }] })).toEqual(["/parameters/0/value is required"])
  })

  it("reports every problem of a record, not just the first", () => {
    expect(validateRecord("Link", { ...canonicalSamples.Link, object_id: "9001", kind: "JIRA", extra: 1 })).toHaveLength(3)
  })

  it("rejects values that are not records", () => {
    expect(validateRecord("Project", null)).toEqual(["/ must be object"])
    expect(validateRecord("Project", [])).toEqual(["/ must be object"])
  })

  it("accepts any JSON value in CustomField.value_json", () => {
    for (const value_json of valueJsonVariants) expect(validateRecord("CustomField", { ...canonicalSamples.CustomField, value_json })).toBeUndefined()
  })

  it("is fast enough to run on every record (100k validations)", () => {
    const sample = canonicalSamples.TestCase
    const started = performance.now()
    for (let i = 0; i < 100_000; i++) validateRecord("TestCase", sample)
    expect(performance.now() - started).toBeLessThan(5_000)
  })
})
