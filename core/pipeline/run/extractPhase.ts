/**
 * The extract: make the source (and transforms), check it, stream it into the store with a checkpoint after
 * every committed batch, then — in one transaction — store the watermark and forget the pass's seen keys, after
 * a full pass has found what was deleted at the source.
 */
import { Effect, Option, Ref } from "effect"
import type { PluginContext, SourceInstance, TransformInstance } from "../../plugin/Plugin.ts"
import type { UnfinishedExtract } from "../../store/ExtractState.ts"
import type { StateStoreShape } from "../../store/StateStore.ts"
import type { Horizon } from "../../store/StoreHorizon.ts"
import { extractToStore } from "../extractToStore.ts"
import { failpoints } from "../Failpoint.ts"
import { describeMode, type ExtractPlan } from "../planExtract.ts"
import type { Prepared } from "./prepareSystems.ts"
import { resolvePlugin } from "./prepareSystems.ts"
import type { RunIdentity } from "./finishRun.ts"
import { addRequests, type RunLedger } from "./RunLedger.ts"
import type { RunSettings } from "./RunSettings.ts"

export interface ExtractPhase {
  readonly settings: RunSettings
  readonly run: RunIdentity
  readonly plan: ExtractPlan
  readonly ledger: RunLedger
  readonly source: Prepared
  /** Where the extract commits (absent: a dry run without sinks, which reads and counts only). */
  readonly store: StateStoreShape | undefined
  readonly reader: StateStoreShape | undefined
  /** The watermark the store held before this run (kept until the extract completes). */
  readonly previousWatermark: string | null
  readonly contextFor: (system: string) => Effect.Effect<PluginContext>
  /** Sinks follow the extract: told the store's horizon after every committed checkpoint (ExtractFeed.ts). */
  readonly onHorizon?: ((horizon: Horizon) => Effect.Effect<void>) | undefined
}

export const extractPhase = (p: ExtractPhase) =>
  Effect.gen(function* () {
    const { settings, run, plan, ledger, store } = p
    const { progress } = settings
    const sourceName = p.source.plugin.name
    const sourceCtx: PluginContext = { ...(yield* p.contextFor(sourceName)), known: p.reader?.known }
    const source = (yield* p.source.plugin.make(p.source.config, sourceCtx)) as SourceInstance
    const transforms: Array<{ name: string; instance: TransformInstance }> = []
    for (const t of settings.transforms) {
      const plugin = yield* resolvePlugin(settings.registry, "transform", t.type)
      transforms.push({ name: t.type, instance: (yield* plugin.make(t.config, yield* p.contextFor(t.type))) as TransformInstance })
    }
    progress.phase(`check ${sourceName}`)
    yield* source.check
    const phase = `extract ${sourceName} (${describeMode({ mode: plan.mode, pass: plan.pass, since: plan.since ?? null, resumedFrom: plan.resumes?.extractId ?? null })})`
    progress.phase(phase)
    // Totals for the progress bar and ETA: worth a few requests on a fresh full pass, not on an incremental run
    // (whose size the estimate does not know). Best effort: a failing estimate only loses the ETA.
    if (plan.pass === "full" && plan.resume === undefined && progress.expect) {
      const estimate = yield* Effect.option(source.estimate)
      if (Option.isSome(estimate)) progress.expect(estimate.value)
    }
    const extractId = (yield* Ref.get(ledger.unfinished)).extractId
    const extractStarted = Date.now()
    const onCheckpoint = (state: unknown) =>
      store
        ? Effect.gen(function* () {
            const next: UnfinishedExtract = { ...(yield* Ref.get(ledger.unfinished)), state, checkpointedAt: new Date().toISOString(), requests: addRequests(plan.resumes?.requests, ledger.metrics.snapshot()) }
            yield* store.saveProgress(run.extractName, p.previousWatermark, next, run.runId)
            yield* Ref.set(ledger.unfinished, next)
          })
        : Effect.void
    yield* extractToStore({
      sourceName,
      source,
      transforms,
      store,
      runId: run.runId,
      now: run.started.toISOString(),
      since: plan.since,
      everyChange: settings.everyChange,
      resume: plan.resume,
      seenAs: plan.pass === "full" ? extractId : undefined,
      onCheckpoint,
      counts: ledger.counts,
      notes: ledger.notes.forSystem("core"),
      progress,
      quarantined: ledger.quarantined,
      onHorizon: p.onHorizon
    })
    progress.phaseDone(phase, ledger.counts)
    ledger.activeMs[sourceName] = Date.now() - extractStarted
    if (store) {
      if (plan.pass === "full") yield* Ref.set(ledger.deletedAtSource, yield* store.deletedAtSource(extractId))
      const watermark = (yield* Ref.get(ledger.unfinished)).watermark
      yield* store.withTransaction(Effect.zipRight(store.clearSeen(), store.completeExtract(run.extractName, watermark, run.runId)))
      failpoints.pass("extract-done", sourceName)
    }
    yield* Ref.set(ledger.completed, true)
  })
