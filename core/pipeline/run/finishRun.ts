/**
 * The end of every run, whatever ended it: the report made of the ledger, the run row closed with what the next
 * run needs (the pass, the requests a full pass cost), the report's notes kept as events, report.json and
 * report.md written. A dry run writes nothing and returns the report it would have written.
 */
import * as path from "node:path"
import { Clock, Effect, Ref } from "effect"
import type { StoreError } from "../../errors.ts"
import { estimateRun, type ObservedActivity, type RunEstimate } from "../../report/RunEstimate.ts"
import type { RunReport, RunStatus } from "../../report/RunReport.ts"
import { writeRunReport } from "../../report/writeRunReport.ts"
import { forgetPlanEstimate, keepPlanEstimate, readPlanEstimate } from "../../store/PlanEstimateFile.ts"
import type { StateStoreShape } from "../../store/StateStore.ts"
import { failpoints } from "../Failpoint.ts"
import { quarantineEntity } from "../loadSink.ts"
import { describeMode, type ExtractPlan } from "../planExtract.ts"
import { addRequests, type RunLedger } from "./RunLedger.ts"
import type { RunResult, RunSettings } from "./RunSettings.ts"

export interface RunIdentity {
  readonly runId: string
  readonly started: Date
  /** The checkpoint row of this source's extract (`extract:<plugin>:<scope>`). */
  readonly extractName: string
  /** The part of the source the run reads (Zephyr: the project key), for the report. */
  readonly scope: string | undefined
}

export const finishRun = (
  settings: RunSettings,
  run: RunIdentity,
  plan: ExtractPlan,
  ledger: RunLedger,
  state: {
    readonly store: StateStoreShape | undefined
    readonly isCopy: boolean
    readonly previousFullRequests: Readonly<Record<string, number>> | null
    /** A plan's: the last completed run's pace per system, for the estimate's durations. */
    readonly lastRun?: ObservedActivity | null | undefined
    /** What a system last reported of its monthly quota (its throttle's pacer), for the estimate's budget check. */
    readonly monthRemaining?: ((system: string) => number | undefined) | undefined
  },
  status: RunStatus,
  error?: RunReport["error"]
): Effect.Effect<RunResult, StoreError> =>
  Effect.gen(function* () {
    const finished = new Date(yield* Clock.currentTimeMillis)
    const requests = ledger.metrics.snapshot()
    const completed = yield* Ref.get(ledger.completed)
    const unfinished = yield* Ref.get(ledger.unfinished)
    const loads = yield* Ref.get(ledger.loads)
    // A completed full pass costs what every run that worked on it asked: the earlier ones' up to their last
    // checkpoint (what they did after it, this run did again) plus this run's.
    const fullPassRequests = completed && plan.pass === "full" ? addRequests(plan.resumes?.requests, requests) : null
    const activeMs: Record<string, number> = { ...ledger.activeMs }
    for (const l of loads) activeMs[l.sink] = l.durationMs
    const succeeded = status === "succeeded" || status === "succeeded-with-quarantine"
    // a plan estimates the run (and keeps it for that run's report); a run is set against the plan before it
    const estimate: RunEstimate | null | undefined = settings.dryRun
      ? succeeded
        ? estimateRun({
            planRunId: run.runId,
            plannedAt: run.started.toISOString(),
            source: settings.source.type,
            requests,
            loads,
            activeMs,
            rateLimits: settings.runtime.rateLimits,
            lastRun: state.lastRun ?? null,
            budget: settings.runtime.budget ?? {},
            remainingMonthly: (system) => state.monthRemaining?.(system)
          })
        : undefined
      : yield* readPlanEstimate(settings.statePath).pipe(Effect.map((e) => (e !== null && e.plannedAt <= run.started.toISOString() ? e : null)))
    // a run stopped at a budget: what the plan before it expected of that system, less what the run made
    const budget = error?.budget
    const expected = budget === undefined || !estimate ? undefined : estimate.systems[budget.system]?.requests
    const made = budget === undefined ? 0 : (requests[budget.system]?.requests ?? 0) - (requests[budget.system]?.retries ?? 0)
    if (budget !== undefined && expected !== undefined && error !== undefined)
      error = { ...error, budget: { ...budget, remainingToFinish: Math.max(0, expected - made) }, message: error.message.replace("unknown (see migrate plan)", `about ${Math.max(0, expected - made)} (the plan's estimate less this run's)`) }
    const report: RunReport = {
      runId: run.runId,
      command: settings.command,
      status,
      dryRun: settings.dryRun,
      sandbox: settings.sandbox !== undefined,
      specFile: settings.specFile,
      statePath: settings.dryRun ? null : path.resolve(settings.statePath),
      source: { type: settings.source.type, project: run.scope },
      sinks: settings.sinks.map((s) => s.type),
      startedAt: run.started.toISOString(),
      finishedAt: finished.toISOString(),
      durationMs: finished.getTime() - run.started.getTime(),
      extract: {
        mode: plan.mode,
        pass: plan.pass,
        since: plan.since ?? null,
        resumedFrom: plan.resumes?.extractId ?? null,
        watermark: completed && state.store ? unfinished.watermark : null,
        description: describeMode({ mode: plan.mode, pass: plan.pass, since: plan.since ?? null, resumedFrom: plan.resumes?.extractId ?? null })
      },
      entities: ledger.counts.toJSON(),
      totals: ledger.counts.total(),
      requests,
      fullRunRequests: fullPassRequests ?? state.previousFullRequests,
      deletedAtSource: yield* Ref.get(ledger.deletedAtSource),
      notes: ledger.notes.summaries(),
      quarantined: [
        ...ledger.quarantined.map((q) => ({ entity: q.of as string, sourceId: q.source_id, reason: q.reason })),
        ...loads.flatMap((l) => l.rejected.map((r) => ({ entity: quarantineEntity(l.sink, r.entity), sourceId: r.key, reason: r.message })))
      ],
      load: [...loads],
      activeMs,
      ...(estimate === undefined ? {} : { estimate }),
      error
    }
    const store = state.store
    if (settings.dryRun && settings.keepEstimate && estimate) yield* keepPlanEstimate(settings.statePath, estimate)
    if (!store || state.isCopy) return { report, reportPaths: undefined }
    yield* store.finishRun(run.runId, status, {
      extract: run.extractName,
      mode: plan.mode,
      pass: plan.pass,
      fullPassRequests,
      totals: report.totals,
      entities: report.entities,
      requests: report.requests,
      activeMs
    })
    yield* store.addEvents(run.runId, report.notes.map((n) => ({ ...n, sourceId: n.examples[0] })))
    failpoints.pass("finished", status)
    const reportPaths = yield* writeRunReport(path.join(path.dirname(path.resolve(settings.statePath)), "runs", run.runId), report)
    failpoints.pass("reported", status)
    if (estimate !== undefined) yield* forgetPlanEstimate(settings.statePath)
    return { report, reportPaths }
  })
