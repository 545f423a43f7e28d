/**
 * The report of one command over a spec with `projects:`: a section per project — how it ended, its extract, its
 * records, what each sink did, its requests — and the figures summed over the organisation, with a link to each
 * project's own full report. Written as report.json, report.md and report.html into `runs/<id>/` beside the
 * configured state file (each project's reports stay under projects/<KEY>/runs/).
 */
import * as path from "node:path"
import type { Effect } from "effect"
import type { StoreError } from "../errors.ts"
import { escapeHtml, n, page, section, table } from "./html.ts"
import type { RunReport } from "./RunReport.ts"
import { type ReportPaths, writeReportFiles } from "./writeRunReport.ts"

export interface ProjectSection {
  readonly key: string
  readonly exitCode: number
  /** "ok", "quarantined", "failed", "invalid", "budget", "locked", "interrupted". */
  readonly outcome: string
  /** The failure's first line, when the project failed. */
  readonly message: string
  readonly runId: string | null
  readonly extract: string | null
  readonly records: { readonly extracted: number; readonly created: number; readonly updated: number; readonly quarantined: number } | null
  readonly sinks: ReadonlyArray<{ readonly sink: string; readonly created: number; readonly updated: number; readonly unchanged: number; readonly refused: number; readonly gaps: number }>
  readonly requests: Readonly<Record<string, number>>
  /** The project's own report.html, relative to this report's directory. */
  readonly report: string | null
}

export interface ProjectsReport {
  readonly command: string
  readonly startedAt: string
  readonly finishedAt: string
  readonly projects: ReadonlyArray<ProjectSection>
  /** Requests per system summed over the projects (they shared each system's rate limit and budget). */
  readonly requests: Readonly<Record<string, number>>
}

const OUTCOMES: Readonly<Record<number, string>> = { 0: "ok", 1: "failed", 2: "invalid", 3: "quarantined", 4: "budget", 75: "locked", 130: "interrupted" }

/** One project's section from how its command ended and, when it got that far, its run report. */
export const projectSection = (
  key: string,
  exitCode: number,
  message: string,
  run: { readonly report: RunReport; readonly reportPaths: ReportPaths | undefined } | undefined,
  reportDir: string
): ProjectSection => {
  const r = run?.report
  return {
    key,
    exitCode,
    outcome: OUTCOMES[exitCode] ?? "failed",
    message,
    runId: r?.runId ?? null,
    extract: r?.extract.description ?? null,
    records: r === undefined ? null : { extracted: r.totals.extracted, created: r.totals.created, updated: r.totals.updated, quarantined: r.quarantined.length },
    sinks: (r?.load ?? []).map((l) => ({ sink: l.sink, created: l.totals.created, updated: l.totals.updated, unchanged: l.totals.unchanged, refused: l.totals.rejected, gaps: l.gaps.length })),
    requests: Object.fromEntries(Object.entries(r?.requests ?? {}).map(([system, c]) => [system, c.requests])),
    report: run?.reportPaths === undefined ? null : path.relative(reportDir, run.reportPaths.html)
  }
}

export const makeProjectsReport = (command: string, startedAt: Date, projects: ReadonlyArray<ProjectSection>): ProjectsReport => {
  const requests: Record<string, number> = {}
  for (const p of projects) for (const [system, count] of Object.entries(p.requests)) requests[system] = (requests[system] ?? 0) + count
  return { command, startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), projects, requests }
}

const done = (p: ProjectSection) => p.outcome === "ok" || p.outcome === "quarantined"

export const renderProjectsMarkdown = (r: ProjectsReport): string => {
  const lines = [
    `# migrate ${r.command}: ${r.projects.filter(done).length} of ${r.projects.length} projects done`,
    "",
    `Started ${r.startedAt}, finished ${r.finishedAt}. Requests over all projects: ${Object.entries(r.requests).map(([s, c]) => `${s} ${n(c)}`).join(", ") || "none"}.`,
    "",
    "| project | outcome | extract | extracted | new | changed | quarantined | report |",
    "|---|---|---|---:|---:|---:|---:|---|",
    ...r.projects.map(
      (p) =>
        `| ${p.key} | ${p.outcome}${p.message ? ` — ${p.message.replace(/\|/g, "\\|")}` : ""} | ${p.extract ?? "—"} | ${n(p.records?.extracted ?? 0)} | ${n(p.records?.created ?? 0)} | ${n(p.records?.updated ?? 0)} | ${n(p.records?.quarantined ?? 0)} | ${p.report === null ? "—" : `[report](${p.report.replace(/\.html$/, ".md")})`} |`
    )
  ]
  for (const p of r.projects) {
    lines.push("", `## ${p.key}`, "")
    if (p.message) lines.push(`${p.outcome}: ${p.message}`, "")
    if (p.sinks.length === 0) lines.push("No sink loaded.")
    else {
      lines.push("| sink | created | updated | unchanged | refused | mapping gaps |", "|---|---:|---:|---:|---:|---:|")
      for (const s of p.sinks) lines.push(`| ${s.sink} | ${n(s.created)} | ${n(s.updated)} | ${n(s.unchanged)} | ${n(s.refused)} | ${n(s.gaps)} |`)
    }
    const requests = Object.entries(p.requests)
    if (requests.length > 0) lines.push("", `Requests: ${requests.map(([s, c]) => `${s} ${n(c)}`).join(", ")}.`)
  }
  return lines.join("\n") + "\n"
}

export const renderProjectsHtml = (r: ProjectsReport): string => {
  const link = (p: ProjectSection) => (p.report === null ? "—" : { html: `<a href="${escapeHtml(p.report)}">${escapeHtml(p.key)} report</a>` })
  const overview = table(
    ["project", "outcome", "extract", "extracted", "new", "changed", "quarantined", "report"],
    r.projects.map((p) => [p.key, p.message ? `${p.outcome} — ${p.message}` : p.outcome, p.extract ?? "—", p.records?.extracted ?? 0, p.records?.created ?? 0, p.records?.updated ?? 0, p.records?.quarantined ?? 0, link(p)])
  )
  const perProject = r.projects
    .map((p) =>
      section(
        `project-${p.key}`,
        `${p.key}: ${p.outcome}`,
        [
          p.message ? `<p>${escapeHtml(p.message)}</p>` : "",
          p.sinks.length === 0
            ? "<p>No sink loaded.</p>"
            : table(["sink", "created", "updated", "unchanged", "refused", "mapping gaps"], p.sinks.map((s) => [s.sink, s.created, s.updated, s.unchanged, s.refused, s.gaps])),
          table(["system", "requests"], Object.entries(p.requests).map(([s, c]) => [s, c]))
        ].join("\n")
      )
    )
    .join("\n")
  return page(
    `migrate ${r.command}: ${r.projects.filter(done).length} of ${r.projects.length} projects done`,
    [
      `<p>Started ${escapeHtml(r.startedAt)}, finished ${escapeHtml(r.finishedAt)}.</p>`,
      section("projects", "Projects", overview),
      section("requests", "Requests over all projects", table(["system", "requests"], Object.entries(r.requests).map(([s, c]) => [s, c]))),
      perProject
    ].join("\n")
  )
}

export const writeProjectsReport = (dir: string, report: ProjectsReport): Effect.Effect<ReportPaths, StoreError> =>
  writeReportFiles(dir, "report", { json: report, markdown: () => renderProjectsMarkdown(report), html: () => renderProjectsHtml(report) }, "cannot write the projects report in")
