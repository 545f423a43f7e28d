/**
 * The trend over the past runs of a state: one point per earlier run, read from the `report.json` each run left
 * in `<stateDir>/runs/<runId>/`. A report that cannot be read (a run killed while writing it, a hand-edited file)
 * is left out of the trend, never an error: the trend is context, the run's own report is the record.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import type { RunReport, RunStatus } from "./RunReport.ts"

export interface TrendPoint {
  readonly runId: string
  readonly command: string
  readonly status: RunStatus
  readonly dryRun: boolean
  readonly startedAt: string
  readonly durationMs: number
  readonly extracted: number
  readonly quarantined: number
  /** Objects the sinks created or updated, per sink. */
  readonly written: Readonly<Record<string, number>>
  /** Requests per system. */
  readonly requests: Readonly<Record<string, number>>
}

/** How many earlier runs the trend shows. */
export const TREND_RUNS = 30

export const trendPoint = (r: RunReport): TrendPoint => ({
  runId: r.runId,
  command: r.command,
  status: r.status,
  dryRun: r.dryRun,
  startedAt: r.startedAt,
  durationMs: r.durationMs,
  extracted: r.totals.extracted,
  quarantined: r.totals.quarantined,
  written: Object.fromEntries(r.load.filter((l) => !l.planned).map((l) => [l.sink, l.totals.created + l.totals.updated])),
  requests: Object.fromEntries(Object.entries(r.requests).map(([s, c]) => [s, c.requests]))
})

/** The runs before `runId` in `runsDir`, oldest first, at most `TREND_RUNS` of them. */
export const readTrend = (runsDir: string, runId: string): ReadonlyArray<TrendPoint> => {
  let names: Array<string>
  try {
    names = fs.readdirSync(runsDir)
  } catch {
    return []
  }
  // run ids begin with their start time (newRunId), so their order is the runs' order
  const earlier = names.filter((n) => n < runId).sort().slice(-TREND_RUNS)
  const points: Array<TrendPoint> = []
  for (const name of earlier) {
    try {
      const report = JSON.parse(fs.readFileSync(path.join(runsDir, name, "report.json"), "utf8")) as RunReport
      points.push(trendPoint(report))
    } catch {
      // unreadable or from a much older version: not part of the trend
    }
  }
  return points
}
