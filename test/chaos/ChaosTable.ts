/**
 * The suite's summary: one row per scenario and system — how the scenario ended (converged in one run, or
 * stopped with a clear error and converged when resumed) and what the run reports said of the system (requests,
 * retries, throttles, summed over the runs) beside what the sandbox saw (requests, injected faults, 429s).
 */
import type { RunReport } from "../../core/report/RunReport.ts"
import { SYSTEMS, type System } from "./ChaosTargets.ts"

export type ScenarioOutcome = "converged" | "stopped-and-resumed"

export interface SandboxCounts {
  /** Requests the sandbox received (Snowflake: distinct statements). */
  readonly requests: number
  readonly faults: number
  readonly throttled: number
  /** Snowflake: query-requests the driver sent again on its own. */
  readonly resent?: number | undefined
}

export interface ReportCounts {
  readonly requests: number
  readonly retries: number
  readonly throttled: number
  readonly failed: number
  /** Failed attempts that timed out: the sandbox may have answered them (with a 429 too) after the client gave up. */
  readonly timedOut: number
}

export interface TableRow {
  readonly scenario: string
  readonly system: System
  readonly outcome: ScenarioOutcome
  readonly report: ReportCounts
  readonly sandbox: SandboxCounts
}

/** A system's counters summed over the runs of a scenario. */
export const reportCounts = (reports: ReadonlyArray<RunReport>, system: System): ReportCounts =>
  reports.reduce(
    (sum, r) => {
      const c = r.requests[system]
      return c === undefined
        ? sum
        : {
            requests: sum.requests + c.requests,
            retries: sum.retries + c.retries,
            throttled: sum.throttled + c.throttled,
            failed: sum.failed + c.failed,
            // a report written before the counter existed has none
            timedOut: sum.timedOut + (c.timedOut ?? 0)
          }
    },
    { requests: 0, retries: 0, throttled: 0, failed: 0, timedOut: 0 }
  )

export const makeChaosTable = () => {
  const rows: Array<TableRow> = []
  return {
    add: (row: TableRow) => void rows.push(row),
    /** A row per system of a scenario's result. */
    record: (scenario: string, r: { readonly outcome: ScenarioOutcome; readonly report: Readonly<Record<System, ReportCounts>>; readonly sandbox: Readonly<Record<System, SandboxCounts>> }) => {
      for (const system of SYSTEMS) rows.push({ scenario, system, outcome: r.outcome, report: r.report[system], sandbox: r.sandbox[system] })
    },
    rows: () => [...rows],
    print: (title: string) => {
      console.log(`\n${title}`)
      // scenarios finish in any order (two run at once): the table is sorted by scenario, systems in their order
      const sorted = [...rows].sort((a, b) => (a.scenario === b.scenario ? SYSTEMS.indexOf(a.system) - SYSTEMS.indexOf(b.system) : a.scenario < b.scenario ? -1 : 1))
      console.table(
        sorted.map((r) => ({
          scenario: r.scenario,
          system: r.system,
          outcome: r.outcome,
          "report: requests": r.report.requests,
          "failed attempts": r.report.failed,
          retries: r.report.retries,
          throttles: r.report.throttled,
          "sandbox: requests": r.sandbox.requests,
          faults: r.sandbox.faults,
          "429s": r.sandbox.throttled,
          ...(r.sandbox.resent === undefined ? {} : { "driver resent": r.sandbox.resent })
        }))
      )
    }
  }
}

export type ChaosTable = ReturnType<typeof makeChaosTable>
