/**
 * `migrate cutover`: the last run before the source is switched off, and the proof that nothing was left behind.
 * 1. a final incremental run (extract what changed, load every sink), as `run` does;
 * 2. every sink verified: each object the id map knows read back from its target and compared;
 * 3. the source read again since the final run's watermark, into a throw-away copy of the store: a record new or
 *    changed there was written at the source while the cut-over ran, and is on no target;
 * 4. the quarantine, of the source and of every sink.
 * It passes only when the run succeeded without quarantine, every sink matches (nothing missing, different,
 * extra or unconfirmed), nothing changed at the source and nothing is quarantined. Each step runs whatever the
 * one before found, so the summary lists every reason at once; a step that cannot run is one of them.
 * (An incremental read cannot see deletions at the source: `run --full` before the cut-over reports them.)
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { Clock, Effect, Either, type Scope } from "effect"
import type { StoreError } from "../errors.ts"
import type { CutoverSummary } from "../report/CutoverSummary.ts"
import { writeCutoverSummary } from "../report/CutoverSummary.ts"
import type { RunReport } from "../report/RunReport.ts"
import { StateStore } from "../store/StateStore.ts"
import { newRunId, runMigration } from "./runMigration.ts"
import type { RunSettings } from "./run/RunSettings.ts"
import { verifySinks, type SinkVerifyReport, type VerifySettings } from "./verifySinks.ts"

export interface CutoverSettings {
  readonly run: RunSettings
  readonly verify: VerifySettings
  /** Tells the person watching which step runs. */
  readonly step: (text: string) => void
}

export interface CutoverResult {
  readonly summary: CutoverSummary
  readonly paths: { readonly json: string; readonly markdown: string; readonly html: string }
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String((e as { message?: unknown } | null)?.message ?? e))

const sinkProblems = (r: SinkVerifyReport): string | undefined => {
  if (!r.supported) return `${r.sink} cannot read its target back, so it was not verified`
  if (r.ok) return undefined
  const sum = (k: "mismatch" | "missing" | "extra") => Object.values(r.entities).reduce((n, c) => n + c[k], 0)
  const parts = [
    sum("missing") > 0 ? `${sum("missing")} missing` : "",
    sum("mismatch") > 0 ? `${sum("mismatch")} different` : "",
    sum("extra") > 0 ? `${sum("extra")} extra (duplicates)` : "",
    r.openIntents > 0 ? `${r.openIntents} writes never confirmed` : ""
  ].filter((p) => p !== "")
  return `${r.sink}: ${parts.join(", ")} — see the list below; run again, then cut over`
}

export const cutover = (s: CutoverSettings): Effect.Effect<CutoverResult, StoreError, Scope.Scope> =>
  Effect.gen(function* () {
    const startedAt = new Date(yield* Clock.currentTimeMillis).toISOString()
    const reasons: Array<string> = []
    const runsDir = path.join(path.dirname(path.resolve(s.run.statePath)), "runs")

    const listRuns = () => (fs.existsSync(runsDir) ? fs.readdirSync(runsDir) : [])
    const earlierRuns = new Set(listRuns())
    s.step("cutover 1/4: the final incremental run")
    // both reads of the source must see every change: a source that can only approximate reads everything
    const ran = yield* Effect.either(Effect.scoped(runMigration({ ...s.run, everyChange: true })))
    let report: RunReport | undefined
    let reportPath: string | null = null
    if (Either.isLeft(ran)) reasons.push(`the final run failed: ${messageOf(ran.left)}`)
    else {
      report = ran.right.report
      reportPath = ran.right.reportPaths?.markdown ?? null
      if (report.status !== "succeeded") reasons.push(`the final run ended ${report.status}${report.totals.quarantined > 0 ? ` (${report.totals.quarantined} records quarantined)` : ""}`)
    }
    // a run that failed once it had begun wrote its report, in a directory that was not there before; one that
    // could not begin (the state held by another run) wrote none, and the summary gets a directory of its own
    const runId = report?.runId ?? listRuns().filter((name) => !earlierRuns.has(name)).sort().at(-1) ?? newRunId()

    s.step("cutover 2/4: verifying every sink against the store")
    const verified = yield* Effect.either(Effect.scoped(verifySinks(s.verify)))
    const sinks = Either.isRight(verified) ? verified.right : []
    if (Either.isLeft(verified)) reasons.push(`verify could not run: ${messageOf(verified.left)}`)
    for (const r of sinks) {
      const problem = sinkProblems(r)
      if (problem !== undefined) reasons.push(problem)
    }

    s.step("cutover 3/4: reading the source again for changes made during the cut-over")
    const reread = yield* Effect.either(
      Effect.scoped(runMigration({ ...s.run, command: `${s.run.command} (reading the source again)`, dryRun: true, full: false, sinks: [], compareWithStore: true, keepEstimate: false, everyChange: true }))
    )
    let changedAtSource: CutoverSummary["changedAtSource"] = null
    if (Either.isLeft(reread)) reasons.push(`the source could not be read again: ${messageOf(reread.left)}`)
    else {
      changedAtSource = Object.fromEntries(Object.entries(reread.right.report.entities).map(([e, c]) => [e, { created: c.created, updated: c.updated }]))
      const changed = Object.entries(changedAtSource).filter(([, c]) => c.created + c.updated > 0)
      if (changed.length > 0)
        reasons.push(
          `the source changed while the cut-over ran: ${changed.map(([e, c]) => `${e} ${c.created} new, ${c.updated} changed`).join("; ")} — freeze the source (read-only) and run cutover again`
        )
    }

    s.step("cutover 4/4: quarantine and counts")
    const state = yield* Effect.either(
      Effect.scoped(
        Effect.gen(function* () {
          const store = yield* StateStore.open(s.run.statePath)
          return { counts: yield* store.counts, quarantined: yield* store.quarantined() }
        })
      )
    )
    const quarantined = Either.isRight(state) ? state.right.quarantined.map((q) => ({ entity: q.entity, sourceId: q.source_id, reason: q.reason })) : []
    if (Either.isLeft(state)) reasons.push(`the state store could not be read: ${messageOf(state.left)}`)
    else if (quarantined.length > 0) reasons.push(`${quarantined.length} records are quarantined — fix them at the source or in the maps, run again, then cut over`)

    const summary: CutoverSummary = {
      runId,
      specFile: s.run.specFile,
      statePath: path.resolve(s.run.statePath),
      startedAt,
      finishedAt: new Date(yield* Clock.currentTimeMillis).toISOString(),
      passed: reasons.length === 0,
      reasons,
      source: report?.source ?? { type: s.run.source.type },
      run: { status: report?.status ?? "failed", report: reportPath },
      store: Either.isRight(state) ? state.right.counts : {},
      sinks,
      changedAtSource,
      quarantined,
      gaps: (report?.load ?? []).flatMap((l) => l.gaps.map((g) => ({ sink: l.sink, kind: g.kind, field: g.field ?? "", value: g.value, count: g.count, hint: g.hint ?? "" })))
    }
    // a summary that cannot be written fails the command: a cut-over nobody can show did not happen
    const paths = yield* writeCutoverSummary(path.join(runsDir, runId), summary)
    return { summary, paths }
  })
