/**
 * The load phase for one sink: build its instance, `check` it, hand it the store and the exactly-once write
 * (writeOnce.ts), and tally what happened. A refused record is quarantined (`<sink>/<entity>` in the quarantine
 * table, with its label, the target's message and the fix: rejectionReason.ts) and the load goes on; a later run that loads it clears the quarantine row.
 * Planning (`plan`, `--dry-run`) runs the same sink code with a write that sends nothing.
 */
import { Effect, Option } from "effect"
import type { ApiError, PluginError, RecordRejected, StoreError, SystemError } from "../errors.ts"
import type { LoadContext, LoadOutcome, SinkInstance, StoreView } from "../plugin/Plugin.ts"
import type { RetryOptions } from "../policy/RetryPolicy.ts"
import type { StateStoreShape } from "../store/StateStore.ts"
import { failpoints } from "./Failpoint.ts"
import { LoadTally, type SinkLoadReport } from "./LoadReport.ts"
import type { Progress } from "./Progress.ts"
import { rejectionReason } from "./rejectionReason.ts"
import { makeWriteOnce } from "./writeOnce.ts"

export interface LoadSinkSettings {
  readonly sink: string
  readonly instance: SinkInstance
  readonly store: StateStoreShape
  readonly runId: string
  readonly planning: boolean
  /** `run --full` (LoadContext.full). */
  readonly full?: boolean | undefined
  readonly retry: RetryOptions
  readonly progress: Progress
  /** Counts a write retried by the exactly-once protocol (writeOnce.ts) in the report's retries (and throttles). */
  readonly onRetry?: ((error: ApiError) => void) | undefined
}

export const quarantineEntity = (sink: string, entity: string) => `${sink}/${entity}`

/** The report always comes back, also when the load stopped (then with the error that stopped it). */
export interface LoadSinkResult {
  readonly report: SinkLoadReport
  readonly stopped: SystemError | StoreError | PluginError | undefined
}

/** One pass of a sink's load over the store as `store` shows it. */
export interface LoadPass {
  /** The extract has ended: the store is complete, and this pass's skips and gaps are the report's. */
  readonly final: boolean
  /** What the pass reads: the whole store, or — following the extract — the store up to its horizon. */
  readonly store: StoreView
  /** Following the extract, after a first pass: what was committed since the previous pass (LoadContext.fresh). */
  readonly fresh?: StoreView | undefined
}

/**
 * A sink's load as a series of passes sharing one exactly-once write, one tally and one start time: a sink that
 * follows the extract (SinkInstance.follows) runs a pass per horizon while it runs and a final one after; others
 * run the final pass only. What a non-final pass would skip or find unmapped is not reported — a later pass may
 * load it, and the final pass sees everything and reports what is left. `following` is set while a non-final pass
 * runs, so the caller can hold back the sink's own notes (run/loadPhase.ts).
 */
export const makeSinkLoader = (s: LoadSinkSettings, following: { on: boolean } = { on: false }) =>
  Effect.gen(function* () {
    let started = Date.now()
    const tally = new LoadTally()
    const previouslyRefused = new Set(
      (yield* s.store.quarantined()).filter((q) => q.source_system === s.sink).map((q) => `${q.entity}\u0000${q.source_id}`)
    )
    let done = 0
    let lastShown = 0
    const counted = (entity: string, outcome: LoadOutcome, n: number) => {
      tally.record(entity, outcome, n)
      done += n
      if (Date.now() - lastShown > 2000) {
        lastShown = Date.now()
        s.progress.event("load", { sink: s.sink, written: done, ...tally.totals() })
      }
    }
    const write = makeWriteOnce({
      sink: s.sink,
      runId: s.runId,
      store: s.store,
      planning: s.planning,
      retry: s.retry,
      failpoints,
      probe: s.instance.check.pipe(Effect.match({ onFailure: () => false, onSuccess: () => true })),
      tally: { record: (entity, outcome, _planned, n = 1) => counted(entity, outcome, n), wouldSend: (n) => (tally.plannedRequests += n) },
      onRetry: s.onRetry,
      final: () => !following.on
    })
    const reject = (r: RecordRejected) =>
      Effect.gen(function* () {
        // the report lists it as a quarantined record: by its label, with the target's message and the fix
        const reason = rejectionReason(r)
        if (!tally.reject({ entity: r.entity, key: r.key, label: r.label, message: reason })) return
        s.progress.event("rejected", { sink: s.sink, entity: r.entity, label: r.label, message: reason.slice(r.label.length + 2) })
        if (s.planning) return
        const now = new Date().toISOString()
        yield* s.store.writeQuarantine(
          { entity: "Quarantine", data: { of: quarantineEntity(s.sink, r.entity) as never, source_id: r.key, reason, payload: { label: r.label, status: r.status ?? null } } },
          s.sink,
          s.runId,
          now
        )
      })
    const context = (pass: LoadPass): LoadContext => ({
      store: pass.store,
      final: pass.final,
      fresh: pass.fresh,
      planning: s.planning,
      willSend: (n) =>
        Effect.sync(() => {
          if (s.planning) tally.plannedRequests += n
        }),
      full: s.full ?? false,
      write: (w) =>
        write(w).pipe(
          Effect.tap((result) => {
            const id = `${quarantineEntity(s.sink, w.entity)}\u0000${w.key}`
            if (result.planned || !previouslyRefused.has(id)) return Effect.void
            previouslyRefused.delete(id)
            return s.store.clearQuarantine(quarantineEntity(s.sink, w.entity), s.sink, w.key)
          })
        ),
      unconfirmed: (entity) => s.store.openIntents(s.sink).pipe(Effect.map((rows) => rows.filter((r) => r.entity === entity).map((r) => r.source_id))),
      mapped: (entity, key) =>
        s.store.mapped(s.sink, entity, key).pipe(
          Effect.map((row) => (row === undefined ? Option.none() : Option.some({ targetId: row.target_id, hash: row.content_hash, ...(row.memo === null || row.memo === undefined ? {} : { memo: row.memo }) })))
        ),
      counted: (entity, outcome, n) => Effect.sync(() => counted(entity, outcome, n)),
      adopt: (a) =>
        s.store
          .adopt({ sink: s.sink, entity: a.entity, source_id: a.key, target_id: a.targetId, content_hash: a.hash, memo: a.memo })
          .pipe(
            Effect.map((outcome) => {
              if (outcome !== "adopted") return false
              failpoints.pass("adopted", a.entity)
              counted(a.entity, "adopted", 1)
              return true
            })
          ),
      mappedCounts: s.store.mappedCounts(s.sink),
      sinkState: {
        get: (name) => s.store.checkpoint(`sink:${s.sink}:${name}`).pipe(Effect.map((row) => (row?.state_json == null ? undefined : (JSON.parse(row.state_json) as unknown)))),
        set: (name, value) => s.store.setCheckpoint(`sink:${s.sink}:${name}`, null, value, s.runId)
      },
      reject,
      // a later pass may load what this one cannot: only the final pass's skips and gaps are the report's
      skip: (entity, label, reason) => Effect.sync(() => (pass.final ? tally.skip({ entity, label, reason }) : undefined)),
      gap: (gap) =>
        Effect.sync(() => {
          if (pass.final && tally.gap(gap)) s.progress.event("gap", { sink: s.sink, ...gap })
        })
    })
    const phase = `${s.planning ? "plan" : "load"} ${s.sink}`
    let passes = 0
    /** Runs one pass; answers what stopped the load, if anything. */
    const pass = (p: LoadPass): Effect.Effect<SystemError | StoreError | PluginError | undefined> =>
      Effect.gen(function* () {
        if (passes++ === 0) {
          started = Date.now()
          s.progress.phase(phase)
        }
        following.on = !p.final
        const outcome = yield* Effect.either(s.instance.load(context(p))).pipe(Effect.ensuring(Effect.sync(() => (following.on = false))))
        return outcome._tag === "Left" ? outcome.left : undefined
      })
    const finish = (stopped: SystemError | StoreError | PluginError | undefined): LoadSinkResult => {
      const report = tally.report(s.sink, s.planning, Date.now() - started, stopped?.message)
      s.progress.event("loaded", { sink: s.sink, planned: s.planning, passes, ...report.totals })
      return { report, stopped }
    }
    return { pass, finish }
  })

/** The whole load in one pass over the complete store (a sink that does not follow the extract, or a test). */
export const loadSink = (s: LoadSinkSettings): Effect.Effect<LoadSinkResult, StoreError> =>
  Effect.flatMap(makeSinkLoader(s), (loader) => Effect.map(loader.pass({ final: true, store: s.store.reader }), loader.finish))
