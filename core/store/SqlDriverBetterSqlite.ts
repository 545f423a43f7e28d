/**
 * The state store's driver under Node: better-sqlite3 through @effect/sql-sqlite-node, which opens the file in
 * WAL mode. Imported only by `SqlDriver.ts`, and only on Node.
 */
import type { SqlClient } from "@effect/sql"
import { SqliteClient } from "@effect/sql-sqlite-node"
import type { Layer } from "effect"

export const layer = (filename: string): Layer.Layer<SqlClient.SqlClient, unknown> => SqliteClient.layer({ filename })
