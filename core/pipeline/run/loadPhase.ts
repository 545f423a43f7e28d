/**
 * The load: every sink at once, each from the store, while the extract runs. A sink that `follows` the extract
 * loads a pass per new horizon (ExtractFeed.ts) — what the extract has committed up to its last checkpoint — and
 * a final pass once the extract has ended; the others load once, after it. Each is made, checked, then loaded
 * exactly once (loadSink.ts); a dry run plans against its throw-away copy, after the extract. A sink that stops
 * (an outage, a refused login) keeps its report and does not stop the others, nor the extract; the run then
 * fails with the first stop in the spec's order. When the extract fails, a following sink ends after its
 * current pass (what it loaded is kept) and the others do not start.
 */
import { Effect, Ref, type Scope } from "effect"
import { entityOrder } from "../../canonical/Canonical.ts"
import type { PluginError, StoreError, SystemError } from "../../errors.ts"
import type { PluginContext, SinkInstance } from "../../plugin/Plugin.ts"
import type { StateStoreShape } from "../../store/StateStore.ts"
import type { Horizon } from "../../store/StoreHorizon.ts"
import type { SinkLoadReport } from "../LoadReport.ts"
import { makeSinkLoader } from "../loadSink.ts"
import type { ExtractFeed } from "./ExtractFeed.ts"
import type { Prepared } from "./prepareSystems.ts"
import type { RunLedger } from "./RunLedger.ts"
import type { RunSettings } from "./RunSettings.ts"

interface SinkOutcome {
  readonly report?: SinkLoadReport | undefined
  readonly stopped?: SystemError | StoreError | PluginError | undefined
}

export interface LoadPhase {
  readonly settings: RunSettings
  readonly runId: string
  readonly ledger: RunLedger
  readonly sinks: ReadonlyArray<Prepared>
  readonly store: StateStoreShape
  readonly contextFor: (system: string) => Effect.Effect<PluginContext>
  readonly feed: ExtractFeed
  /**
   * Where a following sink's first pass starts: the store's horizon when the extract began (a pass follows only
   * what this run's extract added), or the empty horizon — the whole store — after a run that did not finish.
   */
  readonly start: Horizon
}

const none: SinkOutcome = {}

const loadOne = (p: LoadPhase, { plugin, config }: Prepared): Effect.Effect<SinkOutcome, never, Scope.Scope> =>
  Effect.gen(function* () {
    const { settings, ledger, feed, store } = p
    // while a pass runs ahead of the extract, the sink's notes of defaults and skips wait for the final pass
    const following = { on: false }
    const base = yield* p.contextFor(plugin.name)
    const ctx: PluginContext = { ...base, report: { note: (n) => (following.on && n.kind !== "warning" ? Effect.void : base.report.note(n)) } }
    const instance = (yield* plugin.make(config, ctx)) as SinkInstance
    settings.progress.phase(`check ${plugin.name}`)
    yield* instance.check
    const loader = yield* makeSinkLoader(
      {
        sink: plugin.name,
        instance,
        store,
        runId: p.runId,
        planning: settings.dryRun,
        full: settings.full,
        retry: settings.runtime.retry,
        progress: settings.progress,
        onRetry: (e) => {
          const c = ledger.metrics.of(plugin.name)
          c.retries++
          if (e.reason === "RateLimited") c.throttled++
        }
      },
      following
    )
    if (instance.follows === true && !settings.dryRun) {
      let seq = 0
      let passed = false
      // A pass loads what the extract added since the previous one (since the extract began, for the first). Rows
      // an incremental extract updated in place keep their rowid: the final pass, which reads everything, sends
      // those. A run that adds nothing (nothing changed at the source) has no pass but the final one.
      let previous: Horizon = p.start
      for (;;) {
        const state = yield* feed.next(seq)
        if (state.status === "failed") return passed ? loader.finish(undefined) : none
        if (state.status === "done" || state.horizon === undefined) break
        seq = state.seq
        const horizon = state.horizon
        if (!entityOrder.some((e) => (horizon[e] ?? 0) > (previous[e] ?? 0))) continue
        const fresh = store.readerAt(horizon, previous)
        previous = horizon
        passed = true
        const stopped = yield* loader.pass({ final: false, store: store.readerAt(horizon), fresh })
        if (stopped !== undefined) return loader.finish(stopped)
      }
    } else if ((yield* feed.ended) === "failed") return none
    return loader.finish(yield* loader.pass({ final: true, store: store.reader }))
  }).pipe(Effect.catchAll((stopped): Effect.Effect<SinkOutcome> => Effect.succeed({ stopped })))

export const loadPhase = (p: LoadPhase): Effect.Effect<void, SystemError | StoreError | PluginError, Scope.Scope> =>
  Effect.gen(function* () {
    const outcomes = yield* Effect.forEach(p.sinks, (sink) => loadOne(p, sink), { concurrency: "unbounded" })
    yield* Ref.update(p.ledger.loads, (loads) => [...loads, ...outcomes.flatMap((o) => (o.report === undefined ? [] : [o.report]))])
    const stopped = outcomes.find((o) => o.stopped !== undefined)?.stopped
    if (stopped !== undefined) return yield* Effect.fail(stopped)
  })
