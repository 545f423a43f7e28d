/**
 * What a sink loading while the extract runs may see: per canonical table, the highest rowid committed at the
 * extract's last checkpoint. A source checkpoints only after an item and all of its children (and the ChildSet
 * that prunes old ones), so below the horizon every parent is complete. Rows are appended with growing rowids;
 * an upsert keeps its row's rowid, so a record an incremental run updates is visible at once (its new children
 * may follow a batch later: the final pass, after the extract, sees the finished store and settles it).
 */
import type { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { entityOrder, type EntityName } from "../canonical/Canonical.ts"
import { tableName } from "../canonical/schemas.ts"
import type { StoreError } from "../errors.ts"
import type { StoreFailures } from "./classifyStoreError.ts"

export type Horizon = Readonly<Partial<Record<EntityName, number>>>

/** The current end of every canonical table; read inside the extract's transaction, at its last checkpoint. */
export const readHorizon = (sql: SqlClient.SqlClient, failed: StoreFailures): Effect.Effect<Horizon, StoreError> =>
  sql
    .unsafe<Record<string, number | null>>(`SELECT ${entityOrder.map((e) => `(SELECT max(rowid) FROM "${tableName(e)}") AS "${e}"`).join(", ")}`)
    .pipe(
      Effect.map(([row]) => Object.fromEntries(entityOrder.map((e) => [e, Number(row?.[e] ?? 0)])) as Horizon),
      Effect.mapError(failed.read)
    )
