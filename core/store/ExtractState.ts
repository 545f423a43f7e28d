/**
 * Where each source's extract stands, in the `checkpoints` row named `extract:<plugin>:<project>`:
 * - `watermark`: the time the last *completed* extract started, minus a safety margin — the next incremental
 *   run asks the source for changes after it;
 * - `state_json.unfinished`: an extract that began and has not completed (killed, failed, interrupted), with the
 *   last checkpoint state the source emitted and that was committed with its records. The next run resumes it.
 * The unfinished record is rewritten inside each batch transaction that carries a checkpoint, so it never claims
 * more than the store holds.
 */
import type { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import type { StoreError } from "../errors.ts"
import type { StoreFailures } from "./classifyStoreError.ts"

export type ExtractMode = "full" | "incremental"

export interface UnfinishedExtract {
  /** The run id of the run that began it: the key of its seen keys (a resumed full pass spans runs). */
  readonly extractId: string
  readonly mode: ExtractMode
  /** The `since` it reads with (incremental), kept so a resumed extract continues the same query. */
  readonly since: string | null
  /** What becomes the watermark when it completes: its first start minus the safety margin. */
  readonly watermark: string
  readonly startedAt: string
  /** Every run that worked on it, oldest first. */
  readonly runIds: ReadonlyArray<string>
  /** The last committed checkpoint state; absent before the first checkpoint. */
  readonly state?: unknown
  readonly checkpointedAt?: string | undefined
  /**
   * Requests per system made for this extract by the runs that worked on it, up to the last checkpoint: a
   * killed run never writes its figures, so this is how a resumed full pass still knows what a full pass costs.
   */
  readonly requests?: Readonly<Record<string, number>> | undefined
}

export interface ExtractStateRow {
  readonly watermark: string | null
  readonly unfinished: UnfinishedExtract | null
}

const isUnfinished = (v: unknown): v is UnfinishedExtract => {
  if (typeof v !== "object" || v === null) return false
  const u = v as Record<string, unknown>
  return typeof u["extractId"] === "string" && (u["mode"] === "full" || u["mode"] === "incremental") && typeof u["watermark"] === "string" && Array.isArray(u["runIds"])
}

export const makeExtractState = (sql: SqlClient.SqlClient, failed: StoreFailures) => {
  const upsert = (name: string, watermark: string | null, unfinished: UnfinishedExtract | null, runId: string) =>
    sql
      .unsafe(
        `INSERT INTO checkpoints (name, watermark, state_json, run_id, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET watermark = excluded.watermark, state_json = excluded.state_json, run_id = excluded.run_id, updated_at = excluded.updated_at`,
        [name, watermark, JSON.stringify({ unfinished }), runId, new Date().toISOString()]
      )
      .pipe(Effect.asVoid, Effect.mapError(failed.write))

  const extractState = (name: string): Effect.Effect<ExtractStateRow, StoreError> =>
    sql.unsafe<{ watermark: string | null; state_json: string | null }>(`SELECT watermark, state_json FROM checkpoints WHERE name = ?`, [name]).pipe(
      Effect.map(([row]) => {
        if (row === undefined) return { watermark: null, unfinished: null }
        let unfinished: UnfinishedExtract | null = null
        try {
          const parsed = JSON.parse(row.state_json ?? "null") as { unfinished?: unknown } | null
          // A row written by an older version (or by hand) without a readable unfinished extract: nothing to resume.
          if (isUnfinished(parsed?.unfinished)) unfinished = parsed.unfinished
        } catch {
          unfinished = null
        }
        return { watermark: row.watermark, unfinished }
      }),
      Effect.mapError(failed.read)
    )

  /** An extract begins (or resumes): recorded before the first batch, so even a kill before any checkpoint is seen. */
  const beginExtract = (name: string, previousWatermark: string | null, unfinished: UnfinishedExtract, runId: string) =>
    upsert(name, previousWatermark, unfinished, runId)

  /** A checkpoint was committed with its records (call inside the batch transaction). */
  const saveProgress = (name: string, previousWatermark: string | null, unfinished: UnfinishedExtract, runId: string) =>
    upsert(name, previousWatermark, unfinished, runId)

  /** The extract completed: the new watermark, and nothing left to resume. */
  const completeExtract = (name: string, watermark: string, runId: string) => upsert(name, watermark, null, runId)

  /**
   * Runs still `running` while this process holds the state's lock (StateLock.ts): their processes are gone —
   * killed, crashed, or the machine lost — since a live one would hold the lock. They are closed as `died`.
   */
  const markDied = (byRunId: string) =>
    sql
      .unsafe(
        `UPDATE runs SET status = 'died', summary_json = COALESCE(summary_json, ?) WHERE status = 'running' AND run_id <> ?`,
        [JSON.stringify({ note: `its process ended before the run finished (killed or crashed); found by run ${byRunId}` }), byRunId]
      )
      .pipe(Effect.asVoid, Effect.mapError(failed.write))

  /**
   * Requests per system of the last completed full pass of this extract (`fullPassRequests` in the summary of
   * the run that completed it; for a resumed pass, every run's share up to its last checkpoint plus the last
   * run's). From `runs.summary_json`.
   */
  const lastFullRunRequests = (name: string): Effect.Effect<Record<string, number> | null, StoreError> =>
    sql
      .unsafe<{ summary_json: string | null }>(
        `SELECT summary_json FROM runs WHERE full_pass = 1 AND dry_run = 0 AND status IN ('succeeded', 'succeeded-with-quarantine')
         ORDER BY started_at DESC LIMIT 50`
      )
      .pipe(
        Effect.map((rows) => {
          for (const row of rows) {
            try {
              const summary = JSON.parse(row.summary_json ?? "null") as { extract?: unknown; fullPassRequests?: Record<string, unknown> | null } | null
              if (summary?.extract !== name || summary.fullPassRequests == null) continue
              return Object.fromEntries(Object.entries(summary.fullPassRequests).map(([system, n]) => [system, Number(n)]))
            } catch {
              continue
            }
          }
          return null
        }),
        Effect.mapError(failed.read)
      )

  return { extractState, beginExtract, saveProgress, completeExtract, markDied, lastFullRunRequests }
}
