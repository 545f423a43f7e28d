/**
 * What `migrate plan` expects the next run to cost, per system: requests and duration, and whether that crosses
 * a budget (docs/architecture.md#the-estimate). A plan is a dry run of the real code, so the figures are counted,
 * not guessed: the source's requests are what the dry-run extract made; a sink's are the reads its planning pass
 * made plus what its planned work would send (SinkLoadReport.plannedRequests: each planned create or update, and
 * what the sink announced through LoadContext.willSend). The duration divides them by a rate — the configured
 * `runtime.rateLimits.<system>`, else the one the last run of this state achieved, else (the source) this plan's
 * own — and extract and loads overlap, so the run takes about as long as its slowest system. Retries are not in
 * the estimate (the plan's own are left out): a run's 429s and failures come on top, and its report says how many.
 */
import type { BudgetRule } from "../policy/RequestBudget.ts"
import type { SystemCounters } from "../http/RequestMetrics.ts"
import type { SinkLoadReport } from "../pipeline/LoadReport.ts"
import { parseRate } from "../policy/RateLimiter.ts"


export type RateSource = "configured" | "last run" | "this plan"

export interface SystemEstimate {
  readonly role: "source" | "sink"
  /** Requests the run will make: `measured` + `planned`. */
  readonly requests: number
  /** Made by the plan itself, retries left out: the source's whole extract, a sink's reads. */
  readonly measured: number
  /** What the planned work would send besides (a sink's writes, and reads of objects it creates first). */
  readonly planned: number
  /** Requests per second the duration is computed at; null when no rate is known. */
  readonly rate: { readonly perSecond: number; readonly from: RateSource } | null
  readonly durationMs: number | null
}

export interface RunEstimate {
  /** The plan that made it, and when. */
  readonly planRunId: string
  readonly plannedAt: string
  readonly systems: Readonly<Record<string, SystemEstimate>>
  /** Extract and loads overlap: the slowest system's duration (of those whose rate is known); null when none is. */
  readonly pipelinedMs: number | null
  /** Budgets the run would cross, and budgets that cannot be checked. */
  readonly warnings: ReadonlyArray<string>
}

/** Requests and active time per system of a finished run (its run row's summary). */
export interface ObservedActivity {
  readonly requests: Readonly<Record<string, number>>
  readonly activeMs: Readonly<Record<string, number>>
}

export interface EstimateInput {
  readonly planRunId: string
  readonly plannedAt: string
  readonly source: string
  readonly requests: Readonly<Record<string, SystemCounters>>
  readonly loads: ReadonlyArray<SinkLoadReport>
  /** This plan's active time per system (the source's: its dry-run extract). */
  readonly activeMs: Readonly<Record<string, number>>
  readonly rateLimits: Readonly<Record<string, string>>
  /** The last completed run of this state, if any. */
  readonly lastRun: ObservedActivity | null
  readonly budget: Readonly<Record<string, BudgetRule>>
  /** What each API said is left of its monthly budget during the plan (`x-ratelimit-remaining-month`). */
  readonly remainingMonthly: (system: string) => number | undefined
}

const n = (x: number) => Math.round(x).toLocaleString("en-US")

const rateOf = (input: EstimateInput, system: string, role: SystemEstimate["role"]): SystemEstimate["rate"] => {
  const configured = input.rateLimits[system]
  const perSecond = configured === undefined ? undefined : parseRate(configured)
  if (perSecond !== undefined && perSecond > 0) return { perSecond, from: "configured" }
  const observed = (requests: number | undefined, ms: number | undefined) => (requests !== undefined && requests > 0 && ms !== undefined && ms > 0 ? (requests * 1000) / ms : undefined)
  const last = input.lastRun ? observed(input.lastRun.requests[system], input.lastRun.activeMs[system]) : undefined
  if (last !== undefined) return { perSecond: last, from: "last run" }
  // the dry-run extract is the run's extract: its pace is the run's; a sink's few planning reads tell nothing
  const own = role === "source" ? observed(input.requests[system]?.requests, input.activeMs[system]) : undefined
  return own === undefined ? null : { perSecond: own, from: "this plan" }
}

const budgetWarning = (input: EstimateInput, system: string, requests: number): string | undefined => {
  const budget = input.budget[system]
  if (budget === undefined) return undefined
  if ("requests" in budget)
    return requests > budget.requests
      ? `${system}: the run needs about ${n(requests)} requests, more than runtime.budget.${system}.requests (${n(budget.requests)}): it will stop at the budget and take about ${Math.ceil(requests / budget.requests)} runs — raise the budget to finish in one`
      : undefined
  const remaining = input.remainingMonthly(system)
  if (remaining === undefined)
    return `${system}: runtime.budget.${system}.leaveMonthly cannot be checked before the run: ${system} reported no remaining monthly budget during the plan`
  return remaining - requests < budget.leaveMonthly
    ? `${system}: the run needs about ${n(requests)} requests and ${system} has ${n(remaining)} left this month, so it would leave fewer than runtime.budget.${system}.leaveMonthly (${n(budget.leaveMonthly)}): it will stop at that line and resume when the month's budget allows`
    : undefined
}

export const estimateRun = (input: EstimateInput): RunEstimate => {
  const systems: Record<string, SystemEstimate> = {}
  const add = (system: string, role: SystemEstimate["role"], planned: number) => {
    // the plan's own retries are not work the run needs: it may meet its own
    const measured = (input.requests[system]?.requests ?? 0) - (input.requests[system]?.retries ?? 0)
    const requests = measured + planned
    const rate = rateOf(input, system, role)
    systems[system] = { role, requests, measured, planned, rate, durationMs: rate === null ? null : (requests * 1000) / rate.perSecond }
  }
  add(input.source, "source", 0)
  for (const l of input.loads) add(l.sink, "sink", l.plannedRequests ?? 0)
  const known = Object.values(systems).flatMap((s) => (s.durationMs === null ? [] : [s.durationMs]))
  const warnings = Object.entries(systems).flatMap(([system, s]) => budgetWarning(input, system, s.requests) ?? [])
  return { planRunId: input.planRunId, plannedAt: input.plannedAt, systems, pipelinedMs: known.length === 0 ? null : Math.max(...known), warnings }
}

/** "1 min 05 s", "12.3 s". */
export const formatDuration = (ms: number): string => {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`
  const s = Math.round(ms / 1000)
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const rest = String(s % 60).padStart(2, "0")
  return h > 0 ? `${h} h ${String(m).padStart(2, "0")} min` : `${m} min ${rest} s`
}

const pipelinedLine = (e: RunEstimate): string => {
  const unknown = Object.entries(e.systems).flatMap(([system, s]) => (s.durationMs === null ? [system] : []))
  const total = e.pipelinedMs === null ? "unknown" : `about ${formatDuration(e.pipelinedMs)}`
  return `    ${"pipelined".padEnd(12)} ${total} (extract and loads overlap: the slowest system${unknown.length > 0 && e.pipelinedMs !== null ? `, of those whose rate is known — not ${unknown.join(", ")}` : ""})`
}

/** The lines `plan` prints: per system, requests and duration at which rate; the pipelined total; the warnings. */
export const estimateLines = (e: RunEstimate): ReadonlyArray<string> => [
  "  estimate of the run:",
  ...Object.entries(e.systems).map(([system, s]) => {
    const parts = s.role === "source" ? "as this plan's extract" : `${n(s.measured)} reads + ${n(s.planned)} for the planned work`
    const time =
      s.rate === null || s.durationMs === null
        ? "duration unknown (no rate configured in runtime.rateLimits, and no earlier run)"
        : `about ${formatDuration(s.durationMs)} at ${s.rate.perSecond >= 10 ? n(s.rate.perSecond) : s.rate.perSecond.toFixed(2)}/s (${s.rate.from === "configured" ? "runtime.rateLimits" : s.rate.from === "last run" ? "the last run's pace" : "this plan's pace"})`
    return `    ${system.padEnd(12)} ${n(s.requests).padStart(8)} requests (${parts}), ${time}`
  }),
  pipelinedLine(e),
  ...e.warnings.map((w) => `  warning: ${w}`)
]

/** Estimate against what the run made: "zephyr estimated 267, made 270 (-1.1%), 3 of them retries". */
export const versusLines = (estimate: RunEstimate | null | undefined, made: Readonly<Record<string, SystemCounters>>): ReadonlyArray<string> => {
  if (estimate === undefined) return []
  if (estimate === null) return ["  estimate: no plan preceded this run (`migrate plan` estimates a run's requests and duration)"]
  return [
    `  estimate (plan at ${estimate.plannedAt}): ${Object.entries(estimate.systems)
      .map(([system, s]) => {
        const c = made[system]
        const retries = c?.retries ? `, ${n(c.retries)} of them retries` : ""
        return `${system} estimated ${n(s.requests)}, made ${n(c?.requests ?? 0)}${deviation(s.requests, c?.requests ?? 0)}${retries}`
      })
      .join("; ")}`
  ]
}

/** The relative error of an estimate, as " (+3.1%)". */
export const deviation = (estimated: number, made: number): string => (made === 0 ? "" : ` (${estimated >= made ? "+" : ""}${(((estimated - made) / made) * 100).toFixed(1)}%)`)
