/** The generated DDL on a real SQLite file, and the exact round-trip of every entity through a row. */
import Database from "better-sqlite3"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { entityOrder, type EntityName } from "../../core/canonical/Canonical.ts"
import { columns, naturalKey, primaryKey } from "../../core/canonical/schemas.ts"
import { fromSqliteRow, sqliteDdl, toSqliteRow } from "../../core/canonical/sqlite.ts"
import { canonicalSamples, valueJsonVariants } from "../fixtures/canonical-samples.ts"

let dir: string
let db: Database.Database

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "migrate-canonical-"))
  db = new Database(join(dir, "state.db"))
  for (const statement of sqliteDdl()) db.exec(statement)
})

afterAll(() => {
  db.close()
  rmSync(dir, { recursive: true, force: true })
})

const insert = (entity: EntityName, row: Record<string, string | number | null>): void => {
  const names = Object.keys(row)
  db.prepare(`INSERT INTO "${entity}" (${names.map((n) => `"${n}"`).join(", ")}) VALUES (${names.map((n) => `@${n}`).join(", ")})`).run(row)
}

const selectByPk = (entity: EntityName, id: unknown): Record<string, unknown> =>
  db.prepare(`SELECT * FROM "${entity}" WHERE "${primaryKey(entity)}" = ?`).get(id) as Record<string, unknown>

describe("sqliteDdl", () => {
  it("is idempotent (IF NOT EXISTS) and creates one table per entity with the schema's columns in order", () => {
    for (const statement of sqliteDdl()) db.exec(statement)
    for (const entity of entityOrder) {
      const info = db.prepare(`PRAGMA table_info("${entity}")`).all() as ReadonlyArray<{ name: string; type: string; notnull: number; pk: number }>
      expect(info.map((c) => c.name)).toEqual(columns(entity).map((c) => c.name))
      expect(info.filter((c) => c.pk === 1).map((c) => c.name)).toEqual([primaryKey(entity)])
      for (const c of columns(entity)) {
        const col = info.find((i) => i.name === c.name)!
        if (!c.nullable) expect(col.notnull, `${entity}.${c.name} NOT NULL`).toBe(1)
        if (c.type === "integer" || c.type === "boolean") expect(col.type).toBe("INTEGER")
      }
    }
  })

  it("indexes reference columns and enforces the natural key", () => {
    const indexes = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE '%_idx'`).all() as ReadonlyArray<{ name: string }>
    expect(indexes.map((i) => i.name)).toEqual(expect.arrayContaining(["TestCase_project_id_idx", "TestCase_folder_id_idx", "TestStep_test_case_id_idx", "TestExecution_test_cycle_id_idx", "CustomField_object_id_idx", "Attachment_related_id_idx", "ExecutionStepResult_execution_id_idx"]))
    const sample = canonicalSamples.Folder
    insert("Folder", toSqliteRow("Folder", { ...sample, folder_id: 7_000_001 }))
    expect(() => insert("Folder", toSqliteRow("Folder", { ...sample, folder_id: 7_000_002 }))).toThrow(/UNIQUE constraint failed: Folder.source_system, Folder.source_id/)
    db.prepare(`DELETE FROM "Folder" WHERE folder_id = 7000001`).run()
    expect(naturalKey("Folder")).toEqual(["source_system", "source_id"])
  })
})

describe("toSqliteRow / fromSqliteRow", () => {
  it.each(entityOrder.map((e) => [e] as const))("%s round-trips exactly through INSERT and SELECT", (entity) => {
    const sample = canonicalSamples[entity]
    const row = toSqliteRow(entity, sample)
    for (const value of Object.values(row)) expect(value === null || typeof value === "string" || typeof value === "number").toBe(true)
    insert(entity, row)
    const back = fromSqliteRow(entity, selectByPk(entity, row[primaryKey(entity)]))
    expect(back).toStrictEqual(sample)
  })

  it("stores booleans as 0/1 and arrays as JSON text", () => {
    expect(toSqliteRow("TestExecution", canonicalSamples.TestExecution)["automated"]).toBe(0)
    expect(toSqliteRow("Project", canonicalSamples.Project)["enabled"]).toBe(1)
    expect(toSqliteRow("TestCase", canonicalSamples.TestCase)["labels"]).toBe(JSON.stringify(canonicalSamples.TestCase.labels))
    expect(toSqliteRow("TestStep", { ...canonicalSamples.TestStep, parameters: null })["parameters"]).toBeNull()
  })

  it.each(valueJsonVariants.map((v, i) => [i, JSON.stringify(v), v] as const))("CustomField.value_json #%i (%s) round-trips exactly", (i, _label, value) => {
    const record = { ...canonicalSamples.CustomField, custom_field_id: 1_000 + i, field_name: `variant ${i}`, source_id: `TestCase/9001/variant ${i}`, value_json: value }
    insert("CustomField", toSqliteRow("CustomField", record))
    expect(fromSqliteRow("CustomField", selectByPk("CustomField", 1_000 + i))).toStrictEqual(record)
  })
})
