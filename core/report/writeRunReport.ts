/**
 * Writes a run's report files into `<stateDir>/runs/<runId>/`: report.json (every figure, for machines),
 * report.md (RunReport.ts) and report.html (renderHtml.ts, with the trend over the earlier runs beside it).
 */
import * as fs from "node:fs/promises"
import * as path from "node:path"
import { Effect } from "effect"
import type { StoreError } from "../errors.ts"
import { classifyStoreError } from "../store/classifyStoreError.ts"
import { ensureDirectory } from "../store/ensureDirectory.ts"
import { renderHtml } from "./renderHtml.ts"
import { renderMarkdown, type RunReport } from "./RunReport.ts"
import { readTrend, trendPoint } from "./RunTrend.ts"

export interface ReportPaths {
  readonly json: string
  readonly markdown: string
  readonly html: string
}

/**
 * Writes report.json, report.md and report.html into `dir` (`<stateDir>/runs/<runId>`); the HTML page shows the
 * trend over the earlier runs beside it.
 */
export const writeRunReport = (dir: string, report: RunReport): Effect.Effect<ReportPaths, StoreError> =>
  Effect.tryPromise({
    try: async () => {
      ensureDirectory(dir)
      const json = path.join(dir, "report.json")
      const markdown = path.join(dir, "report.md")
      const html = path.join(dir, "report.html")
      await fs.writeFile(json, JSON.stringify(report, null, 2) + "\n")
      await fs.writeFile(markdown, renderMarkdown(report))
      await fs.writeFile(html, renderHtml(report, readTrend(path.dirname(dir), report.runId), trendPoint(report)))
      return { json, markdown, html }
    },
    catch: (e) => classifyStoreError(e, { action: "cannot write the run report in", path: dir, kind: "report" })
  })
