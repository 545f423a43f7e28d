/**
 * The exact SQL the sink sends, per canonical entity, pinned byte for byte. A schema change shows here as a diff.
 * Update on purpose with `UPDATE_GOLDEN=1 npx vitest run test/plugins/snowflake/dialect` (see golden.ts).
 */
import { describe, expect, it } from "@effect/vitest"
import { entityOrder, type EntityName } from "../../../../core/canonical/Canonical.ts"
import { columns } from "../../../../core/canonical/schemas.ts"
import {
  addColumns,
  countRows,
  deleteRows,
  createStaging,
  createTable,
  insertStaging,
  listColumns,
  keyPage,
  merge,
  snowflakeTable,
  snowflakeTableOf,
  targetRows
} from "../../../../plugins/snowflake/dialect/index.ts"
import { firstDifference, golden } from "./golden.ts"

const statementText = (s: { readonly sql: string; readonly binds: ReadonlyArray<string | null> }) => `${s.sql}\n-- binds: ${JSON.stringify(s.binds)}`

/** Two natural keys as bind text: the first key column shared, the others different (numbers for NUMBER columns). */
const sampleKeys = (entity: EntityName): ReadonlyArray<ReadonlyArray<string>> => {
  const table = snowflakeTable(entity)
  const value = (name: string, i: number, n: number) => {
    const type = table.columns.find((c) => c.name === name)?.type
    if (i === 0) return type === "NUMBER(38,0)" ? "1" : "first"
    return type === "NUMBER(38,0)" ? String(10 * i + n) : `${name.toLowerCase()}-${n}`
  }
  return [1, 2].map((n) => table.naturalKey.map((k, i) => value(k, i, n)))
}

/** Every statement of one entity's load, in the order the sink runs them. */
export const entitySql = (entity: EntityName): string => {
  const table = snowflakeTable(entity)
  // Schema growth as the golden shows it: a table created before the last two fields were added.
  const existing = [...table.columns.slice(0, -2).map((c) => c.name)]
  const list = listColumns(entity)
  const sections: ReadonlyArray<readonly [string, string]> = [
    ["listColumns", statementText(list)],
    ["createTable", createTable(entity)],
    ["addColumns (table without the last two fields)", addColumns(entity, existing).join(";\n")],
    ["createStaging", createStaging(entity)],
    ["insertStaging", insertStaging(entity)],
    ["merge", merge(entity)],
    ["targetRows (two keys)", statementText(targetRows(entity, sampleKeys(entity)))],
    ["countRows", countRows(entity)],
    ["keyPage", keyPage(entity, 10000, 20000)],
    ["deleteRows (two keys)", statementText(deleteRows(entity, sampleKeys(entity)))]
  ]
  return sections.map(([title, sql]) => `-- ${title}\n${sql};\n`).join("\n")
}

describe("Snowflake SQL golden files", () => {
  for (const entity of entityOrder) {
    it(`${entity}: the SQL equals __golden__/${entity}.sql byte for byte`, () => {
      const actual = entitySql(entity)
      const expected = golden(`${entity}.sql`, actual)
      if (expected === undefined) throw new Error(`__golden__/${entity}.sql is missing: run with UPDATE_GOLDEN=1`)
      const diff = firstDifference(actual, expected)
      expect(diff, `SQL differs from __golden__/${entity}.sql at ${diff}\n(UPDATE_GOLDEN=1 accepts the change)`).toBeUndefined()
      expect(actual).toBe(expected)
    })
  }

  it("a schema change shows as a golden difference", () => {
    const table = snowflakeTable("TestCase")
    const grown = snowflakeTableOf(
      "TestCase",
      [...columns("TestCase"), { name: "risk", type: "string", nullable: true, format: undefined, isArrayOrObject: false, seed: false, description: "" }],
      ["source_system", "source_id"]
    )
    const expected = golden("TestCase.sql", entitySql("TestCase"))
    expect(expected).toBeDefined()
    expect(expected).toContain(createTable(table))
    expect(expected).not.toContain(createTable(grown))
    expect(createTable(grown)).toContain(`"RISK" VARCHAR`)
    expect(merge(grown)).toContain(`"RISK" = s."RISK"`)
  })

  it("firstDifference names the first differing line", () => {
    expect(firstDifference("a\nb\nc", "a\nb\nc")).toBeUndefined()
    expect(firstDifference("a\nB\nc", "a\nb\nc")).toContain("line 2")
    expect(firstDifference("a\nb", "a\nb\n")).toContain("line 3")
  })
})
