/**
 * The seed's tables are the contract of the canonical model (schemas/CANONICAL.md): every table and column the
 * seed names must exist in the matching canonical schema, with the same name, in the seed's order, marked
 * `x-seed`. Read from the seed's statements as the repository keeps them (schemas/seed/canonical-schema-seed.sql,
 * copied verbatim from the seed document, origin in its header), so the check cannot drift from a paraphrase.
 */
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "@effect/vitest"
import { entityOrder, type EntityName } from "../../core/canonical/Canonical.ts"
import { canonicalSchemas, columns, naturalKey, primaryKey } from "../../core/canonical/schemas.ts"

const SEED = fileURLToPath(new URL("../../schemas/seed/canonical-schema-seed.sql", import.meta.url))
const PROVENANCE = ["source_system", "source_id", "source_key", "content_hash"]

interface SeedTable {
  readonly name: string
  readonly columns: ReadonlyArray<string>
  readonly primaryKey: string | undefined
}

/** The `CREATE TABLE` statements of the seed: table name, column names in order, the PRIMARY KEY column. */
const parseSeed = (markdown: string): ReadonlyArray<SeedTable> =>
  [...markdown.matchAll(/CREATE TABLE\s+(\w+)\s*\(([\s\S]*?)\n\);/g)].map((m) => {
    const lines = m[2]!.split("\n").map((l) => l.trim()).filter((l) => l.length > 0)
    const defs = lines.filter((l) => !/^(UNIQUE|PRIMARY KEY|FOREIGN KEY|CHECK|CONSTRAINT)\b/i.test(l))
    return {
      name: m[1]!,
      columns: defs.map((l) => l.split(/\s+/)[0]!),
      primaryKey: defs.find((l) => /PRIMARY KEY/i.test(l))?.split(/\s+/)[0]
    }
  })

describe("canonical schemas cover the seed (schemas/seed/canonical-schema-seed.sql)", () => {
  const tables = parseSeed(readFileSync(SEED, "utf8"))

  it("parses the eight seed tables", () => {
    expect(tables.map((t) => t.name)).toEqual(["Project", "Folder", "TestCase", "TestStep", "TestCycle", "TestExecution", "CustomField", "Attachment"])
  })

  it.each(tables.map((t) => [t.name, t] as const))("%s: every seed column, same name and order, marked x-seed", (name, table) => {
    expect(entityOrder as ReadonlyArray<string>).toContain(name)
    const entity = name as EntityName
    const schema = canonicalSchemas[entity]
    expect(schema["x-table"]).toBe(name)
    expect(primaryKey(entity)).toBe(table.primaryKey)
    const seedColumns = columns(entity).filter((c) => c.seed).map((c) => c.name)
    // Same set, same order; the seed's columns come first in the schema.
    expect(seedColumns).toEqual(table.columns)
    expect(columns(entity).slice(0, table.columns.length).map((c) => c.name)).toEqual(table.columns)
  })

  it("entities the seed lacks declare no seed columns", () => {
    const seedNames = new Set(tables.map((t) => t.name))
    for (const entity of entityOrder.filter((e) => !seedNames.has(e))) expect(columns(entity).filter((c) => c.seed)).toEqual([])
  })
})

describe("every canonical schema follows the conventions of schemas/CANONICAL.md", () => {
  it.each(entityOrder.map((e) => [e] as const))("%s", (entity) => {
    const schema = canonicalSchemas[entity]
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema")
    expect(schema.$id).toBe(`https://migrate.dev/schemas/canonical/${entity}.schema.json`)
    expect(schema.type).toBe("object")
    expect(schema.additionalProperties).toBe(false)
    const names = Object.keys(schema.properties)
    // every column is required but one added after stores were filled (hashed only when set): absent, it is null
    const added = names.filter((n) => (schema.properties[n] as { readonly "x-hash"?: unknown })["x-hash"] === "when-set")
    expect([...schema.required]).toEqual(names.filter((n) => !added.includes(n)))
    for (const n of added) expect((schema.properties[n] as { readonly type?: unknown }).type, `${entity}.${n} may be null`).toContain("null")
    expect(names.slice(-4)).toEqual(PROVENANCE)
    expect(names).toContain(primaryKey(entity))
    for (const k of naturalKey(entity)) expect(names).toContain(k)
    expect(naturalKey(entity)).toEqual(entity === "CustomField" ? ["object_type", "object_id", "field_name"] : ["source_system", "source_id"])
    for (const c of columns(entity)) {
      expect(c.description.length, `${entity}.${c.name} has a description`).toBeGreaterThan(0)
      if (/_(at|on|date)$/.test(c.name)) expect(c.format, `${entity}.${c.name} is a timestamp`).toBe("date-time")
    }
  })
})
