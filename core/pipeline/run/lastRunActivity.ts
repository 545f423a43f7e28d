/**
 * Requests and active time per system, from the run rows' summaries: for each system, the most recent completed
 * run of this state in which it made enough requests for its pace to mean something (a no-change re-run's dozen
 * requests are mostly set-up). The pace `plan` estimates a duration at when the spec configures no rate.
 */
import { Effect } from "effect"
import type { ObservedActivity } from "../../report/RunEstimate.ts"
import type { StateStoreShape } from "../../store/StateStore.ts"

const ENOUGH_REQUESTS = 50

const record = (v: unknown): Record<string, unknown> => (typeof v === "object" && v !== null ? (v as Record<string, unknown>) : {})

export const lastRunActivity = (reader: StateStoreShape) =>
  reader.runs(50).pipe(
    Effect.map((rows): ObservedActivity | null => {
      const requests: Record<string, number> = {}
      const activeMs: Record<string, number> = {}
      for (const row of rows) {
        if (row.dry_run !== 0 || (row.status !== "succeeded" && row.status !== "succeeded-with-quarantine")) continue
        let summary: Record<string, unknown>
        try {
          summary = record(JSON.parse(row.summary_json ?? "null"))
        } catch {
          continue
        }
        for (const [system, ms] of Object.entries(record(summary["activeMs"]))) {
          const made = record(record(summary["requests"])[system])["requests"]
          if (system in requests || typeof ms !== "number" || typeof made !== "number" || made < ENOUGH_REQUESTS) continue
          requests[system] = made
          activeMs[system] = ms
        }
      }
      return Object.keys(requests).length === 0 ? null : { requests, activeMs }
    })
  )
