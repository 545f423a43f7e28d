/**
 * Deletes the target rows whose record is gone from the store (deleted at the source, removed by core when a
 * re-read parent no longer lists it), so the warehouse mirrors the store. Cheap when nothing is gone: after a
 * load every store record is in the target, so a target count equal to the store's means equal sets and nothing
 * else is read. Otherwise the target's keys are paged through and each is looked up in the store. In a shared
 * schema the count, the pages and the deletes are of this project's rows only (`_PROJECT`): another project's rows
 * are not in this store, and must not look gone.
 */
import { Effect } from "effect"
import type { EntityName } from "../../../core/index.ts"
import { countRows, deleteRows, keyPage, scopeBinds, type SnowflakeTable } from "../dialect/index.ts"
import type { TableLoadEnv } from "./TableLoadEnv.ts"

const PAGE = 10_000
const DELETE_CHUNK = 500

/** The store's natural-key match for a target row (numbers stay numbers). */
const storeMatch = (table: SnowflakeTable, row: Readonly<Record<string, unknown>>): Record<string, string | number> => {
  const match: Record<string, string | number> = {}
  for (const name of table.naturalKey) {
    const column = table.columns.find((c) => c.name === name)!
    const v = row[name]
    match[column.field] = typeof v === "number" ? v : column.type === "NUMBER(38,0)" ? Number(v) : String(v)
  }
  return match
}

export const removeGone = (env: TableLoadEnv, table: SnowflakeTable, storeCount: number) =>
  Effect.gen(function* () {
    const entity = table.entity as EntityName
    const counted = yield* env.client.execute(countRows(table), scopeBinds(table))
    const targetCount = Number(counted[0]?.["N"] ?? 0)
    if (targetCount <= storeCount) return
    const gone: Array<ReadonlyArray<string>> = []
    for (let offset = 0; offset < targetCount; offset += PAGE) {
      const rows = yield* env.client.execute(keyPage(table, PAGE, offset), scopeBinds(table))
      if (rows.length === 0) break
      for (const row of rows) {
        const found = yield* env.load.store.where(entity, storeMatch(table, row) as never)
        if (found.length === 0) gone.push(table.naturalKey.map((k) => String(row[k])))
      }
    }
    if (gone.length === 0) return
    if (env.load.planning) yield* env.load.willSend(Math.ceil(gone.length / DELETE_CHUNK))
    else
      for (let i = 0; i < gone.length; i += DELETE_CHUNK) {
        const statement = deleteRows(table, gone.slice(i, i + DELETE_CHUNK))
        yield* env.client.execute(statement.sql, statement.binds)
      }
    yield* env.load.counted(entity, "removed", gone.length)
  })
