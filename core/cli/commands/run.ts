/**
 * `migrate run`: extract → store → every sink. Incremental when state exists, a complete pass with
 * `--full` (which also reports records deleted at the source), and a resumption when the last extract did not
 * finish. The summary shows the mode and this run's requests next to a full run's.
 */
import * as path from "node:path"
import { Command, Options } from "@effect/cli"
import { Effect } from "effect"
import type { Registry } from "../../plugin/Registry.ts"
import { newRunId, runMigration, type RunResult } from "../../pipeline/runMigration.ts"
import { makeProjectsReport, projectSection, writeProjectsReport } from "../../report/ProjectsReport.ts"
import { estimateLines, versusLines } from "../../report/RunEstimate.ts"
import type { RunReport } from "../../report/RunReport.ts"
import type { ReportPaths } from "../../report/writeRunReport.ts"
import { ExitCode } from "../ExitCode.ts"
import { loadForCommand, runSettingsFor } from "../loadRun.ts"
import { forEachProject, type ProjectOutcome } from "../forEachProject.ts"
import { configOption, jsonOption, projectOption, sandboxOptions, verboseOption } from "../options.ts"
import type { Output } from "../Output.ts"
import { sandboxExtras, sandboxOptionsFrom } from "../sandboxFlags.ts"

/** One block per sink: outcomes per target object kind, then the gaps (all of them when planning). */
export const loadLines = (report: RunReport): ReadonlyArray<string> =>
  report.load.flatMap((l) => {
    const verb = l.planned ? "would be " : ""
    const lines = [
      `  ${l.planned ? "plan" : "load"} ${l.sink}${l.stoppedBy ? " (stopped)" : ""} in ${(l.durationMs / 1000).toFixed(1)} s`,
      ...Object.entries(l.entities).map(
        ([e, c]) =>
          `    ${e.padEnd(18)} ${String(c.created).padStart(6)} ${verb}created  ${String(c.updated).padStart(6)} ${verb}updated  ${String(c.unchanged).padStart(6)} unchanged${c.adopted ? `  ${c.adopted} adopted` : ""}${c.recovered ? `  ${c.recovered} recovered` : ""}${c.stale ? `  ${c.stale} stale` : ""}${c.rejected ? `  ${c.rejected} refused` : ""}${c.skipped ? `  ${c.skipped} skipped` : ""}`
      )
    ]
    if (l.entities && Object.keys(l.entities).length === 0) lines.push("    nothing to load")
    const shown = l.planned ? l.gaps : l.gaps.slice(0, 10)
    if (l.gaps.length) lines.push(`    mapping gaps (${l.gaps.length}):`)
    for (const g of shown)
      lines.push(`      ${g.kind}${g.field ? ` ${g.field}` : ""}: "${g.value}" ×${g.count}${g.examples.length ? ` (e.g. ${g.examples.slice(0, 3).join(", ")})` : ""}${g.hint ? ` — ${g.hint}` : ""}`)
    if (shown.length < l.gaps.length) lines.push(`      … ${l.gaps.length - shown.length} more in the report`)
    return lines
  })

const summary = (out: Output, report: RunReport, paths: ReportPaths | undefined) => {
  const t = report.totals
  const n = (x: number) => x.toLocaleString("en-US")
  const requests = Object.entries(report.requests)
    .map(([s, c]) => {
      const full = report.fullRunRequests?.[s]
      const extras = [
        ...(c.retries ? [`${n(c.retries)} retries`] : []),
        ...(full !== undefined && report.extract.mode !== "full" ? [`a full run took ${n(full)}`] : [])
      ]
      return `${s} ${n(c.requests)} requests${extras.length ? ` (${extras.join("; ")})` : ""}`
    })
    .join(", ")
  const deleted = Object.entries(report.deletedAtSource ?? {})
  out.event("summary", { report, reportPaths: paths ?? null }, [
    "",
    `run ${report.runId}: ${report.status}${report.dryRun ? " — dry run, nothing written" : ""} — ${report.extract.description}`,
    ...Object.entries(report.entities).map(
      ([e, c]) =>
        `  ${e.padEnd(20)} ${String(c.extracted).padStart(7)} extracted  ${String(c.created).padStart(6)} new  ${String(c.updated).padStart(6)} changed  ${String(c.unchanged).padStart(6)} unchanged${c.quarantined ? `  ${c.quarantined} quarantined` : ""}${c.skipped ? `  ${c.skipped} skipped` : ""}${c.removed ? `  ${c.removed} removed` : ""}`
    ),
    `  ${"total".padEnd(20)} ${String(t.extracted).padStart(7)} extracted  ${String(t.created).padStart(6)} new  ${String(t.updated).padStart(6)} changed  ${String(t.unchanged).padStart(6)} unchanged`,
    `  ${requests || "no requests"} in ${(report.durationMs / 1000).toFixed(1)} s`,
    ...(deleted.length
      ? [`  deleted at the source (kept in the store): ${deleted.map(([e, d]) => `${e} ${n(d.count)}`).join(", ")} — see the report`]
      : []),
    ...loadLines(report),
    ...(report.dryRun ? (report.estimate ? estimateLines(report.estimate) : []) : versusLines(report.estimate, report.requests)),
    ...(report.notes.length ? [`  ${report.notes.length} notes (defaults, skips, warnings) — see the report`] : []),
    ...(report.quarantined.length ? [`  ${report.quarantined.length} records quarantined — see the report`] : []),
    ...(paths ? [`  report: ${paths.markdown} (for people: ${path.basename(paths.html)} beside it)`] : [])
  ].join("\n"))
}

export { summary as runSummary }

export const runCommand = (registry: Registry) =>
  Command.make(
    "run",
    {
      config: configOption,
      project: projectOption,
      dryRun: Options.boolean("dry-run").pipe(Options.withDescription("extract and plan every sink; write nothing to the store or any target")),
      full: Options.boolean("full").pipe(Options.withDescription("a complete pass instead of an incremental one")),
      rebind: Options.boolean("rebind").pipe(
        Options.withDescription("let the state follow the spec to another source project or target (a re-pointed sink forgets the old target's ids and adopts what the new one holds)")
      ),
      sandbox: Options.boolean("sandbox").pipe(Options.withDescription("start the built-in sandboxes in-process, seeded with a demo project, and run against them")),
      json: jsonOption,
      verbose: verboseOption,
      ...sandboxOptions,
      extras: sandboxExtras(registry)
    },
    (flags) =>
      Effect.gen(function* () {
        const all = yield* loadForCommand(registry, flags.config, flags.sandbox)
        // each project of a spec with projects: in its own run, runtime.projects of them at once
        const started = new Date()
        // the report over the projects, beside the configured state file (each project's own is under projects/)
        const after = (outcomes: ReadonlyArray<ProjectOutcome<RunResult>>) =>
          Effect.gen(function* () {
            const dir = path.join(all.spec.stateDir, "runs", newRunId(started))
            const report = makeProjectsReport(
              "run",
              started,
              outcomes.map((o) => projectSection(o.key, o.code, o.message, o.value, dir))
            )
            const paths = yield* writeProjectsReport(dir, report)
            return [`  report over the projects: ${paths.markdown} (for people: ${path.basename(paths.html)} beside it)`]
          })
        yield* forEachProject(all, flags.project, { json: flags.json, concurrency: all.spec.runtime.projects, command: "run", sandbox: flags.sandbox, after, codeOf: (r: RunResult) => (r.report.quarantined.length > 0 ? ExitCode.quarantined : ExitCode.ok) }, (loaded, out, project) =>
          Effect.gen(function* () {
            const result = yield* runMigration({
              ...runSettingsFor("run", loaded, { dryRun: flags.dryRun, full: flags.full, rebind: flags.rebind, sandbox: flags.sandbox ? sandboxOptionsFrom(flags) : undefined, progress: out.progress }),
              throttles: project?.throttles,
              project: project?.key
            }).pipe(Effect.scoped)
            summary(out, result.report, result.reportPaths)
            return result
          })
        )
      }).pipe(Effect.withSpan("migrate.run"))
  ).pipe(Command.withDescription("extract from the source into the state store, then load every sink"))
