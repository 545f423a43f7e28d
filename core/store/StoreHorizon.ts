/**
 * What a sink loading while the extract runs may see: per canonical table, the highest rowid committed at the
 * extract's last checkpoint. A source checkpoints only after an item and all of its children (and the ChildSet
 * that prunes old ones), so below the horizon every parent is complete — as long as rowids grow in the order the
 * source emits: true of tables with a rowid of their own, and of tables keyed by an integer id (whose rowid is the
 * source's id) when the source reads its lists in id order, as Zephyr's cursor lists do. Where that does not hold
 * (a record an incremental run updates in place, a source emitting ids out of order), a pass may see a parent
 * before all of its children; it then writes what it sees, and the final pass — which reads the finished store —
 * brings the target up to date. The horizon decides how early a record is loaded, never what is loaded in the end.
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
