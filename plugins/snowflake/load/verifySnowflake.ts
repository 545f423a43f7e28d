/**
 * `migrate verify` for Snowflake: every store record is looked up in its table by natural key and reported as
 * matching (same content hash), different, or missing; a table holding rows the store does not have is reported
 * once with their number. Reads a chunk of records and one query at a time, like the load. In a shared schema
 * (`sharedSchema`) only the store's project's rows are compared and counted; another project's are not extra.
 */
import { Effect, Stream } from "effect"
import { entityOrder, type VerifyContext } from "../../../core/index.ts"
import type { SnowflakeClientShape } from "../client/SnowflakeClient.ts"
import { countRows, listColumns, PROJECT_COLUMN, scopeBinds } from "../dialect/index.ts"
import type { SnowflakeConfig } from "../SnowflakeConfig.ts"
import { checkProjectColumn } from "./checkProjectColumn.ts"
import { compareWithTarget } from "./compareWithTarget.ts"
import { storeProjectKey } from "./storeProjectKey.ts"
import { labelOf, loadedTable } from "./TableLoad.ts"

export const verifySnowflake = (client: SnowflakeClientShape, config: SnowflakeConfig, ctx: VerifyContext) =>
  Effect.gen(function* () {
    const project = config.sharedSchema ? yield* storeProjectKey(ctx.store) : undefined
    yield* Effect.forEach(entityOrder, (entity) =>
      Effect.gen(function* () {
        const table = loadedTable(entity, config, project)
        const list = listColumns(table)
        const columns = (yield* client.execute(list.sql, list.binds)).map((r) => String(r["COLUMN_NAME"] ?? Object.values(r)[0]))
        // a shared schema's table without _PROJECT holds none of this project's rows (and is refused if it has rows)
        const exists = columns.length > 0 && !(yield* checkProjectColumn(client, table, columns))
        let found = 0
        yield* compareWithTarget(client, ctx.store, entity, table, { exists, blobFlag: false }).pipe(
          Stream.runForEach((pairs) =>
            Effect.gen(function* () {
              for (const { record, key, target: row } of pairs) {
                const base = { entity: table.name, key: String(record["source_id"]), label: labelOf(record), targetId: `${table.name}(${key.join(", ")})` }
                if (row === undefined) {
                  yield* ctx.result({ ...base, status: "missing", detail: exists ? "no row with this natural key" : columns.length === 0 ? `table ${table.name} does not exist` : `table ${table.name} has no ${PROJECT_COLUMN} column (loaded without sharedSchema)` })
                  continue
                }
                found++
                yield* ctx.result(
                  row.hash === record["content_hash"]
                    ? { ...base, status: "match" }
                    : { ...base, status: "mismatch", detail: `CONTENT_HASH ${String(row.hash)} ≠ the store's ${String(record["content_hash"])}: changed in Snowflake, or loaded before the record changed; run --full writes it again` }
                )
              }
            })
          )
        )
        if (!exists) return
        const total = Number((yield* client.execute(countRows(table), scopeBinds(table)))[0]?.["N"] ?? 0)
        if (total > found)
          yield* ctx.result({
            entity: table.name,
            key: "*",
            label: `${table.name}: ${total - found} row(s) not in the store`,
            targetId: table.name,
            status: "mismatch",
            detail: `${total} rows, ${found} of them records of the store: the others were deleted at the source after they were loaded (the next run removes them) or inserted by hand`
          })
      })
    , { discard: true })
  })
