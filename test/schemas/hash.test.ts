/** contentHash: stable under key order, blind to provenance and timestamps; derivedId: stable 48-bit ids. */
import { createHash } from "node:crypto"
import { describe, expect, it } from "@effect/vitest"
import { entityOrder } from "../../core/canonical/Canonical.ts"
import { contentHash, stableJson } from "../../core/canonical/hash.ts"
import { derivedId } from "../../core/canonical/ids.ts"
import { canonicalSamples } from "../fixtures/canonical-samples.ts"

const reversed = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(reversed)
  if (value === null || typeof value !== "object") return value
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reversed(v)]))
}

describe("contentHash", () => {
  it.each(entityOrder.map((e) => [e] as const))("%s: sha256 hex, independent of key order at every depth", (entity) => {
    const sample = canonicalSamples[entity]
    const hash = contentHash(entity, sample)
    expect(hash).toMatch(/^[0-9a-f]{64}$/)
    expect(contentHash(entity, reversed(sample) as object)).toBe(hash)
    expect(sample.content_hash).toBe(hash)
  })

  it("ignores provenance and timestamps", () => {
    const tc = canonicalSamples.TestCase
    const hash = contentHash("TestCase", tc)
    const moved = { ...tc, source_system: "other", source_id: "x", source_key: null, content_hash: "0".repeat(64), created_on: "2030-01-01T00:00:00Z", updated_at: "2030-01-02T00:00:00Z" }
    expect(contentHash("TestCase", moved)).toBe(hash)
    const step = canonicalSamples.TestStep
    expect(contentHash("TestStep", { ...step, created_at: "2030-01-01T00:00:00Z" })).toBe(contentHash("TestStep", step))
  })

  it("changes with the content, including nested values and array order", () => {
    const tc = canonicalSamples.TestCase
    const hash = contentHash("TestCase", tc)
    expect(contentHash("TestCase", { ...tc, name: `${tc.name} ` })).not.toBe(hash)
    expect(contentHash("TestCase", { ...tc, labels: [...tc.labels].reverse() })).not.toBe(hash)
    expect(contentHash("TestCase", { ...tc, objective: null })).not.toBe(hash)
    const cf = canonicalSamples.CustomField
    expect(contentHash("CustomField", { ...cf, value_json: ["UI", "认证", { nested: false }] })).not.toBe(contentHash("CustomField", cf))
  })

  it("is the sha256 of the sorted JSON of the content", () => {
    const record = { ...canonicalSamples.Project }
    const { source_system: _a, source_id: _b, source_key: _c, content_hash: _d, created_at: _e, updated_at: _f, ...content } = record
    const expected = createHash("sha256").update(stableJson(content)).digest("hex")
    expect(contentHash("Project", record)).toBe(expected)
    expect(stableJson({ b: 1, a: [{ d: null, c: "é" }] })).toBe('{"a":[{"c":"é","d":null}],"b":1}')
  })
})

describe("a column hashed only when set (x-hash: when-set)", () => {
  it("null hashes as absent — a store filled before the column existed sees no change — and a value counts", () => {
    const { test_data: _, ...before } = canonicalSamples.TestCase
    expect(contentHash("TestCase", { ...before, test_data: null })).toBe(contentHash("TestCase", before))
    expect(contentHash("TestCase", canonicalSamples.TestCase)).not.toBe(contentHash("TestCase", before))
    // an ordinary nullable column still counts its null
    expect(contentHash("TestCase", { ...before, script_text: "x" })).not.toBe(contentHash("TestCase", { ...before, script_text: null }))
  })
})

describe("derivedId", () => {
  it("is the first 6 bytes of sha256, stable across calls", () => {
    const text = "PROJ-T12#3"
    const expected = Number.parseInt(createHash("sha256").update(text).digest("hex").slice(0, 12), 16)
    expect(derivedId(text)).toBe(expected)
    expect(derivedId(text)).toBe(derivedId("PROJ-T12#3"))
    expect(derivedId("PROJ-T12#4")).not.toBe(derivedId(text))
  })

  it("is a positive safe integer below 2^48", () => {
    for (let i = 0; i < 2_000; i++) {
      const id = derivedId(`TestCase/${i}/Field ${i} — 中文`)
      expect(Number.isSafeInteger(id)).toBe(true)
      expect(id).toBeGreaterThan(0)
      expect(id).toBeLessThan(2 ** 48)
    }
  })
})
