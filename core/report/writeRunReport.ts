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

/** Writes `<name>.json`, `<name>.md` and `<name>.html` into `dir` (made if missing); `action` names the failure. */
export const writeReportFiles = (
  dir: string,
  name: string,
  contents: { readonly json: unknown; readonly markdown: () => string; readonly html: () => string },
  action: string
): Effect.Effect<ReportPaths, StoreError> =>
  Effect.tryPromise({
    try: async () => {
      ensureDirectory(dir)
      const paths: ReportPaths = { json: path.join(dir, `${name}.json`), markdown: path.join(dir, `${name}.md`), html: path.join(dir, `${name}.html`) }
      await fs.writeFile(paths.json, JSON.stringify(contents.json, null, 2) + "\n")
      await fs.writeFile(paths.markdown, contents.markdown())
      await fs.writeFile(paths.html, contents.html())
      return paths
    },
    catch: (e) => classifyStoreError(e, { action, path: dir, kind: "report" })
  })

/**
 * Writes report.json, report.md and report.html into `dir` (`<stateDir>/runs/<runId>`); the HTML page shows the
 * trend over the earlier runs beside it.
 */
export const writeRunReport = (dir: string, report: RunReport): Effect.Effect<ReportPaths, StoreError> =>
  writeReportFiles(
    dir,
    "report",
    { json: report, markdown: () => renderMarkdown(report), html: () => renderHtml(report, readTrend(path.dirname(dir), report.runId), trendPoint(report)) },
    "cannot write the run report in"
  )
