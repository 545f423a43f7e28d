/**
 * The id map and the intents of every sink (docs/architecture.md#exactly-once-sinks): `id_map` says which target
 * object a source identity became and the hash of what was written to it; `intents` records a write about to be
 * sent. A write's intent is committed before the call; the id map row and the intent's removal are committed
 * together after the target confirms. An intent still open afterwards means "this may or may not have reached the
 * target": the next attempt looks the object up before it creates anything.
 *
 * `entity` is the sink's own object kind (qTest "test-case", "test-run"…), `source_id` the source identity it
 * is keyed by (a Zephyr id, or a composite such as cycle|case for a test run).
 */
import type { SqlClient } from "@effect/sql"
import { Chunk, Effect, Option, Stream } from "effect"
import type { StoreError } from "../errors.ts"
import type { StoreFailures } from "./classifyStoreError.ts"
import type { CommittedReads } from "./CommittedReads.ts"
import type { TransactionStatements } from "./TransactionStatements.ts"

export interface IdMapRow {
  readonly sink: string
  readonly entity: string
  readonly source_id: string
  readonly target_id: string
  readonly content_hash: string
  readonly loaded_at: string
  /** The sink's note about the object (TargetWrite.memo); null when it wrote none. */
  readonly memo: string | null
}

export type IntentOperation = "create" | "update"

export interface IntentRow {
  readonly sink: string
  readonly entity: string
  readonly source_id: string
  readonly operation: IntentOperation
  readonly content_hash: string
  readonly run_id: string
  readonly created_at: string
}

const PAGE = 1000

export const makeIdMap = (sql: SqlClient.SqlClient, reads: CommittedReads, failed: StoreFailures, writer?: TransactionStatements) => {
  const mapped = (sink: string, entity: string, sourceId: string) =>
    reads
      .all<IdMapRow>(`SELECT * FROM id_map WHERE sink = ? AND entity = ? AND source_id = ?`, [sink, entity, sourceId])
      .pipe(Effect.map((r) => r[0]), Effect.mapError(failed.read))

  /** The row naming a target object (the first, should a target object be mapped twice). */
  const mappedTarget = (sink: string, entity: string, targetId: string) =>
    reads
      .all<IdMapRow>(`SELECT * FROM id_map WHERE sink = ? AND entity = ? AND target_id = ? ORDER BY source_id LIMIT 1`, [sink, entity, targetId])
      .pipe(Effect.map((r) => r[0]), Effect.mapError(failed.read))

  const openIntent = (sink: string, entity: string, sourceId: string) =>
    reads
      .all<IntentRow>(`SELECT * FROM intents WHERE sink = ? AND entity = ? AND source_id = ?`, [sink, entity, sourceId])
      .pipe(Effect.map((r) => r[0]), Effect.mapError(failed.read))

  /** Committed on its own, before the call: if the process dies during the call, the intent survives it. */
  const recordIntent = (intent: Omit<IntentRow, "created_at">) => {
    const upsert = `INSERT INTO intents (sink, entity, source_id, operation, content_hash, run_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (sink, entity, source_id) DO UPDATE SET operation = excluded.operation, content_hash = excluded.content_hash,
           run_id = excluded.run_id, created_at = excluded.created_at`
    const values = [intent.sink, intent.entity, intent.source_id, intent.operation, intent.content_hash, intent.run_id, new Date().toISOString()]
    return (writer !== undefined ? writer.atomically((s) => s.run(upsert, values)) : sql.unsafe(upsert, values)).pipe(Effect.asVoid, Effect.mapError(failed.write))
  }

  /**
   * The target confirmed: the id map row and the intent's removal land together or not at all. A row written
   * without a memo keeps the memo it had.
   */
  const confirm = (row: Omit<IdMapRow, "loaded_at" | "memo"> & { readonly memo?: string | undefined }) => {
    const upsert = `INSERT INTO id_map (sink, entity, source_id, target_id, content_hash, loaded_at, memo) VALUES (?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (sink, entity, source_id) DO UPDATE SET target_id = excluded.target_id, content_hash = excluded.content_hash,
               loaded_at = excluded.loaded_at, memo = COALESCE(excluded.memo, id_map.memo)`
    const close = `DELETE FROM intents WHERE sink = ? AND entity = ? AND source_id = ?`
    const values = [row.sink, row.entity, row.source_id, row.target_id, row.content_hash, new Date().toISOString(), row.memo ?? null]
    const key = [row.sink, row.entity, row.source_id]
    return (
      writer !== undefined
        ? writer.atomically((s) => {
            s.run(upsert, values)
            s.run(close, key)
          })
        : sql.withTransaction(Effect.zipRight(sql.unsafe(upsert, values), sql.unsafe(close, key)))
    ).pipe(Effect.asVoid, Effect.mapError(failed.write))
  }

  /**
   * An object found on the target (LoadContext.adopt). Mapped when the state has no row for it, closing an open
   * create intent of the key ("adopted"). When the state maps the key to this same object, the row learns the hash
   * of what the target holds now ("relearnt": a state restored from an older copy would otherwise send again what a
   * later run already wrote). A row naming another object is left alone ("known").
   */
  const adopt = (row: Omit<IdMapRow, "loaded_at" | "memo"> & { readonly memo?: string | undefined }) =>
    sql
      .withTransaction(
        Effect.gen(function* () {
          const [existing] = yield* sql.unsafe<{ target_id: string; content_hash: string }>(`SELECT target_id, content_hash FROM id_map WHERE sink = ? AND entity = ? AND source_id = ?`, [
            row.sink,
            row.entity,
            row.source_id
          ])
          if (existing !== undefined) {
            if (existing.target_id !== row.target_id) return "known" as const
            if (existing.content_hash !== row.content_hash)
              yield* sql.unsafe(`UPDATE id_map SET content_hash = ?, memo = COALESCE(?, memo) WHERE sink = ? AND entity = ? AND source_id = ?`, [
                row.content_hash,
                row.memo ?? null,
                row.sink,
                row.entity,
                row.source_id
              ])
            return "relearnt" as const
          }
          yield* sql.unsafe(`INSERT INTO id_map (sink, entity, source_id, target_id, content_hash, loaded_at, memo) VALUES (?, ?, ?, ?, ?, ?, ?)`, [
            row.sink,
            row.entity,
            row.source_id,
            row.target_id,
            row.content_hash,
            new Date().toISOString(),
            row.memo ?? null
          ])
          yield* sql.unsafe(`DELETE FROM intents WHERE sink = ? AND entity = ? AND source_id = ? AND operation = 'create'`, [row.sink, row.entity, row.source_id])
          return "adopted" as const
        })
      )
      .pipe(Effect.mapError(failed.write))

  /** The target refused the write (4xx): nothing was created, so nothing is left to resolve. */
  const dropIntent = (sink: string, entity: string, sourceId: string) =>
    sql.unsafe(`DELETE FROM intents WHERE sink = ? AND entity = ? AND source_id = ?`, [sink, entity, sourceId]).pipe(Effect.asVoid, Effect.mapError(failed.write))

  /** Every id map row of a sink (optionally one entity), page by page in key order: never all in memory. */
  const mappedRows = (sink: string, entity?: string): Stream.Stream<IdMapRow, StoreError> =>
    Stream.paginateChunkEffect(null as null | { entity: string; sourceId: string }, (after) =>
      sql
        .unsafe<IdMapRow>(
          `SELECT * FROM id_map WHERE sink = ?${entity === undefined ? "" : " AND entity = ?"}
           ${after === null ? "" : "AND (entity, source_id) > (?, ?)"} ORDER BY entity, source_id LIMIT ${PAGE}`,
          [sink, ...(entity === undefined ? [] : [entity]), ...(after === null ? [] : [after.entity, after.sourceId])]
        )
        .pipe(
          Effect.map((rows) => {
            const last = rows[rows.length - 1]
            return [
              Chunk.unsafeFromArray(rows as Array<IdMapRow>),
              rows.length < PAGE || last === undefined ? Option.none() : Option.some({ entity: last.entity, sourceId: last.source_id })
            ] as const
          }),
          Effect.mapError(failed.read)
        )
    )

  const mappedCounts = (sink: string) =>
    sql
      .unsafe<{ entity: string; n: number }>(`SELECT entity, COUNT(*) AS n FROM id_map WHERE sink = ? GROUP BY entity ORDER BY entity`, [sink])
      .pipe(Effect.map((rows) => Object.fromEntries(rows.map((r) => [r.entity, Number(r.n)])) as Record<string, number>), Effect.mapError(failed.read))

  const openIntents = (sink?: string) =>
    sql
      .unsafe<IntentRow>(sink === undefined ? `SELECT * FROM intents ORDER BY sink, entity, source_id` : `SELECT * FROM intents WHERE sink = ? ORDER BY entity, source_id`, sink === undefined ? [] : [sink])
      .pipe(Effect.mapError(failed.read))

  return { mapped, mappedTarget, openIntent, recordIntent, confirm, adopt, dropIntent, mappedRows, mappedCounts, openIntents }
}
