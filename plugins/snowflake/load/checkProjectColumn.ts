/**
 * A shared schema (`sharedSchema: true`) may hold tables made before in one-project mode, without `_PROJECT`.
 * Empty, such a table is taken over (`addColumns` adds the column and declares the key again). With rows, it is
 * refused: nothing tells which project they belong to, and guessing would give one project's rows to another or
 * have its load delete them.
 */
import { Effect } from "effect"
import type { SnowflakeClientShape } from "../client/SnowflakeClient.ts"
import type { SnowflakeError } from "../client/SnowflakeError.ts"
import { countRows, PROJECT_COLUMN, type SnowflakeTable, targetName } from "../dialect/index.ts"
import { SharedSchemaError } from "./SharedSchemaError.ts"

/**
 * @param existing the table's columns as `listColumns` found them (none: the table does not exist).
 * @returns whether the table lacks `_PROJECT` (then it is empty, and `addColumns` adds it).
 */
export const checkProjectColumn = (
  client: SnowflakeClientShape,
  table: SnowflakeTable,
  existing: ReadonlyArray<string>
): Effect.Effect<boolean, SnowflakeError | SharedSchemaError> =>
  Effect.gen(function* () {
    if (table.project === undefined || existing.length === 0 || existing.includes(PROJECT_COLUMN)) return false
    // every row of the table, whoever's: the unscoped count
    const rows = Number((yield* client.execute(countRows({ ...table, project: undefined })))[0]?.["N"] ?? 0)
    if (rows === 0) return true
    const name = targetName(table)
    return yield* new SharedSchemaError({
      message: `sharedSchema: table ${name} has ${rows} row(s) but no ${PROJECT_COLUMN} column: it was loaded without sharedSchema, and which project its rows belong to is unknown`,
      hint: `load project ${table.project} into a new schema, or drop the tables of this schema loaded without sharedSchema (${name} among them, and _MIGRATE_LOADS) and load every project again`
    })
  })
