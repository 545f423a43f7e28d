/**
 * What this state belongs to: the source project its records came from and, per sink, the target its id map
 * points into (`bindings`, one row per role: "source" or the sink's name). Recorded by the first run that meets
 * each; a later spec that points the state elsewhere is refused (checkBindings.ts) unless `run --rebind` says the
 * state now follows the spec — then a re-pointed sink's id map, intents and refusals, which name objects of the
 * old target, are dropped.
 */
import type { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import type { StoreFailures } from "./classifyStoreError.ts"
import type { SystemIdentity } from "../plugin/Plugin.ts"

export interface BindingRow {
  readonly role: string
  readonly plugin: string
  readonly identity: SystemIdentity
  readonly boundAt: string
  readonly runId: string
}

export const makeBindings = (sql: SqlClient.SqlClient, failed: StoreFailures) => {
  const binding = (role: string) =>
    sql
      .unsafe<{ role: string; plugin: string; identity_json: string; description: string; bound_at: string; run_id: string }>(`SELECT * FROM bindings WHERE role = ?`, [role])
      .pipe(
        Effect.map(([row]): BindingRow | undefined =>
          row === undefined
            ? undefined
            : { role: row.role, plugin: row.plugin, identity: { key: JSON.parse(row.identity_json) as Record<string, string>, description: row.description }, boundAt: row.bound_at, runId: row.run_id }
        ),
        Effect.mapError(failed.read)
      )

  const bind = (role: string, plugin: string, identity: SystemIdentity, runId: string) =>
    sql
      .unsafe(
        `INSERT INTO bindings (role, plugin, identity_json, description, bound_at, run_id) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (role) DO UPDATE SET plugin = excluded.plugin, identity_json = excluded.identity_json, description = excluded.description,
           bound_at = excluded.bound_at, run_id = excluded.run_id`,
        [role, plugin, JSON.stringify(identity.key), identity.description, new Date().toISOString(), runId]
      )
      .pipe(Effect.asVoid, Effect.mapError(failed.write))

  /** A sink re-pointed at another target: what its id map knew names objects there, not in the new one. */
  const forgetTarget = (sink: string) =>
    sql
      .withTransaction(
        Effect.gen(function* () {
          const [row] = yield* sql.unsafe<{ n: number }>(`SELECT COUNT(*) AS n FROM id_map WHERE sink = ?`, [sink])
          yield* sql.unsafe(`DELETE FROM id_map WHERE sink = ?`, [sink])
          yield* sql.unsafe(`DELETE FROM intents WHERE sink = ?`, [sink])
          yield* sql.unsafe(`DELETE FROM quarantine WHERE source_system = ?`, [sink])
          return Number(row?.n ?? 0)
        })
      )
      .pipe(Effect.mapError(failed.write))

  return { binding, bind, forgetTarget }
}
