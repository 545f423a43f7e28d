/**
 * One `migrate run` (or a dry run, `plan`): take the state's lock, start the sandboxes when asked, open the
 * store and check what it is bound to, decide the kind of extract (full, incremental or resumed — planExtract.ts),
 * extract into the store with checkpoints (run/extractPhase.ts) while every sink loads from it (run/loadPhase.ts:
 * following the extract where the sink can, after it otherwise), and
 * write the run row and the report (run/finishRun.ts). Whatever happens — success, failure, Ctrl-C, SIGKILL — the
 * next run knows: the unfinished extract is recorded before the first batch and its checkpoint advances with
 * every committed batch; finalisation runs on every exit the process survives.
 */
import { randomBytes } from "node:crypto"
import * as path from "node:path"
import { Cause, Clock, Effect, Exit, Option, Ref, type Scope } from "effect"
import type { PluginError, SpecError, StateLocked, StateMismatch, StoreError, SystemError } from "../errors.ts"
import { makePluginContext } from "../plugin/PluginContext.ts"
import { budgetOf, stopAtBudget } from "../policy/RequestBudget.ts"
import { makeSystemThrottles } from "../policy/SystemThrottles.ts"
import type { RunReport, RunStatus } from "../report/RunReport.ts"
import { planExtract } from "./planExtract.ts"
import { extractPhase } from "./run/extractPhase.ts"
import { finishRun, type RunIdentity } from "./run/finishRun.ts"
import { makeExtractFeed } from "./run/ExtractFeed.ts"
import { lastRunActivity } from "./run/lastRunActivity.ts"
import { loadPhase } from "./run/loadPhase.ts"
import { lockState, openState } from "./run/openState.ts"
import { prepareSystems } from "./run/prepareSystems.ts"
import { makeRunLedger, makeRunNotes } from "./run/RunLedger.ts"
import type { RunResult, RunSettings } from "./run/RunSettings.ts"

export type { PluginSection, RunResult, RunSettings, RuntimeSettings } from "./run/RunSettings.ts"

export const newRunId = (now: Date = new Date()): string =>
  `${now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z")}-${randomBytes(3).toString("hex")}`

export const runMigration = (settings: RunSettings): Effect.Effect<RunResult, SystemError | StoreError | PluginError | SpecError | StateLocked | StateMismatch, Scope.Scope> =>
  Effect.gen(function* () {
    // from the Clock, so a test can pin it: the run's start stamps the records whose times the source omits
    const started = new Date(yield* Clock.currentTimeMillis)
    const runId = newRunId(started)
    const notes = makeRunNotes(settings.progress)

    // one run at a time per state, taken before anything is started or asked
    yield* lockState(settings, runId, notes)
    const systems = yield* prepareSystems(settings)
    const { store, reader, isCopy } = yield* openState(settings, runId, notes, systems)

    const { source, sinks } = systems
    const scope = source.plugin.scope?.(source.config)
    const run: RunIdentity = { runId, started, extractName: `extract:${source.plugin.name}:${scope ?? ""}`, scope }
    const previous = reader ? yield* reader.extractState(run.extractName) : { watermark: null, unfinished: null }
    const plan = planExtract({ full: settings.full, dryRun: settings.dryRun, state: previous, runId, startedAt: started, safetyMs: settings.watermarkSafetyMs })
    const previousFullRequests = reader ? yield* reader.lastFullRunRequests(run.extractName) : null
    const lastRun = settings.dryRun && reader ? yield* lastRunActivity(reader) : null
    const ledger = yield* makeRunLedger(notes, plan.unfinished)

    const stateDir = path.dirname(path.resolve(settings.statePath))
    // one throttle per system for the whole run (shared by the projects of a spec that run at once)
    const throttles = settings.throttles ?? makeSystemThrottles(settings.runtime)
    const contextFor = (system: string) =>
      Effect.gen(function* () {
        return yield* makePluginContext({
          system,
          stateDir,
          dryRun: settings.dryRun,
          concurrency: settings.runtime.concurrency,
          requestTimeoutMs: settings.runtime.requestTimeoutMs,
          retry: settings.runtime.retry,
          metrics: ledger.metrics,
          notes,
          throttle: yield* throttles.of(system)
        })
      })
    const finish = (status: RunStatus, error?: RunReport["error"]) => finishRun(settings, run, plan, ledger, { store, isCopy, previousFullRequests, lastRun, monthRemaining: (system) => throttles.known(system)?.pacer.monthRemaining() }, status, error)

    // Whether the last run ended with its loads done. A run that died or failed may have left a sink's work on
    // records it had extracted half done (a test case created, its approval not sent): then this run's passes
    // follow the whole store, so those come before what this run's extract adds; otherwise only the additions.
    let lastRunFinished = true
    if (store) {
      yield* store.markDied(runId)
      const last = (yield* store.runs(1))[0]
      lastRunFinished = last === undefined || last.status === "succeeded" || last.status === "succeeded-with-quarantine"
      yield* store.startRun({ runId, command: settings.command, specFile: settings.specFile, startedAt: started.toISOString(), dryRun: settings.dryRun, full: plan.pass === "full" })
      // Seen keys of an abandoned earlier pass would make this one miss deletions: only this extract's stay.
      if (plan.pass === "full") yield* store.clearSeen(plan.unfinished.extractId)
      yield* store.beginExtract(run.extractName, previous.watermark, plan.unfinished, runId)
    }

    // The sinks load while the extract runs (run/loadPhase.ts): a sink that follows the extract loads what each
    // committed checkpoint made whole. A sink's stop never cuts the extract short; the extract's failure wins.
    const work = Effect.gen(function* () {
      if (!store) return yield* extractPhase({ settings, run, plan, ledger, source, store, reader, previousWatermark: previous.watermark, contextFor })
      const feed = yield* makeExtractFeed
      const start = lastRunFinished ? yield* store.horizon : {}
      const extract = extractPhase({ settings, run, plan, ledger, source, store, reader, previousWatermark: previous.watermark, contextFor, onHorizon: feed.advance }).pipe(
        Effect.onExit((exit) => feed.end(Exit.isSuccess(exit) ? "done" : "failed"))
      )
      const [extracted, loaded] = yield* Effect.all([Effect.exit(extract), Effect.exit(loadPhase({ settings, runId, ledger, sinks, store, contextFor, feed, start }))], { concurrency: 2 })
      yield* extracted
      yield* loaded
    }).pipe(stopAtBudget)

    // Finalisation runs on every exit, also when the fiber is interrupted (Ctrl-C): the run row and the report
    // must say what happened, and a finaliser is the only code an interrupted fiber still runs.
    yield* work.pipe(
      Effect.onExit((exit) => {
        if (Exit.isSuccess(exit)) return Effect.void
        const interrupted = Cause.isInterruptedOnly(exit.cause)
        const error = Option.match(Cause.failureOption(exit.cause), {
          onNone: () =>
            interrupted
              ? { tag: "Interrupted", message: "interrupted; state saved up to the last committed batch" }
              : { tag: "Defect", message: Cause.pretty(exit.cause) },
          onSome: (e) => ({ tag: e._tag, message: e.message, hint: "hint" in e ? (e as SystemError).hint : undefined, budget: budgetOf(e) })
        })
        if (interrupted) settings.progress.event("interrupted", { runId, message: "state saved up to the last committed batch; run again to continue" })
        return finish(interrupted ? "interrupted" : "failed", error).pipe(Effect.ignore)
      })
    )
    const refused = (yield* Ref.get(ledger.loads)).some((l) => l.totals.rejected > 0)
    return yield* finish(ledger.counts.total().quarantined > 0 || refused ? "succeeded-with-quarantine" : "succeeded")
  })
