/**
 * The run report: `<stateDir>/runs/<runId>/report.json`, `report.md` and `report.html` (written by
 * writeRunReport.ts). What happened, per entity and system: extracted / created / updated / unchanged / skipped / quarantined, requests and retries per system, every
 * default, truncation and skip with the records it touched, the quarantined records with their reasons.
 */
import type { SinkLoadReport } from "../pipeline/LoadReport.ts"
import type { SystemCounters } from "../http/RequestMetrics.ts"
import type { EntityCounts } from "../pipeline/Counts.ts"
import type { RunMode } from "../pipeline/planExtract.ts"
import type { DeletedAtSource } from "../store/OwnedRows.ts"
import type { BudgetStopDetails } from "../policy/BudgetStopDetails.ts"
import type { NoteSummary } from "./NoteCollector.ts"
import { deviation, formatDuration, type RunEstimate } from "./RunEstimate.ts"

export type RunStatus = "succeeded" | "succeeded-with-quarantine" | "failed" | "interrupted" | "running" | "died"

export interface RunReport {
  readonly runId: string
  readonly command: string
  readonly status: RunStatus
  readonly dryRun: boolean
  readonly sandbox: boolean
  readonly specFile: string | null
  readonly statePath: string | null
  readonly source: { readonly type: string; readonly project?: string | undefined }
  readonly sinks: ReadonlyArray<string>
  readonly startedAt: string
  readonly finishedAt: string
  readonly durationMs: number
  /**
   * What kind of extract this run did: full, incremental or resumed
   * (docs/architecture.md#checkpoints-and-incremental-extraction).
   */
  readonly extract: {
    readonly mode: RunMode
    /** The kind of pass; a resumed extract keeps the kind it began with. */
    readonly pass: "full" | "incremental"
    /** Incremental: changes since this time. */
    readonly since: string | null
    /** Resumed: the run that began the extract. */
    readonly resumedFrom: string | null
    /** The watermark stored when the extract completed in this run (the next incremental run starts there). */
    readonly watermark: string | null
    /** The mode in one phrase, as the Markdown and the CLI show it. */
    readonly description: string
  }
  /** Requests per system of the last full pass (this run's own when it is one), to compare with `requests`. */
  readonly fullRunRequests: Readonly<Record<string, number>> | null
  /**
   * Records in the store that a complete pass did not see: deleted at the source (or moved out of the project).
   * Reported, never deleted from the store or any target. Null when this run was not a complete pass.
   */
  readonly deletedAtSource: Readonly<Record<string, DeletedAtSource>> | null
  readonly entities: Readonly<Record<string, EntityCounts>>
  readonly totals: EntityCounts
  /** Per system: requests, retries, throttles, failed attempts, and requests by the kind of object they were for. */
  readonly requests: Readonly<Record<string, SystemCounters>>
  readonly notes: ReadonlyArray<NoteSummary>
  readonly quarantined: ReadonlyArray<{ readonly entity: string; readonly sourceId: string; readonly reason: string }>
  /** Per sink, what the load did (or, planning, would do): outcomes per target object kind, gaps, refusals. */
  readonly load: ReadonlyArray<SinkLoadReport>
  /** Milliseconds each system was at work (the source: its extract; a sink: its load). */
  readonly activeMs?: Readonly<Record<string, number>> | undefined
  /**
   * A plan (dry run): its estimate of the run — requests and duration per system, budget warnings. A run: the
   * estimate of the plan that preceded it, to set against `requests`; null when no plan did.
   */
  readonly estimate?: RunEstimate | null | undefined
  readonly error?:
    | {
        readonly tag: string
        readonly message: string
        readonly hint?: string | undefined
        /** Set when a budget stopped the run (exit 4): which system, which rule, its requests in this run, what remains. */
        readonly budget?: BudgetStopDetails | undefined
      }
    | undefined
}

const table = (headers: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string | number>>): string =>
  [`| ${headers.join(" | ")} |`, `|${headers.map((_, i) => (i === 0 ? "---" : "---:")).join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n")

/** Markdown pipes and newlines inside cells would break the table. */
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ")

/** A plan: what it expects per system. A run: the plan's figures against what the run made. */
const estimateSection = (r: RunReport): ReadonlyArray<string> => {
  const e = r.estimate
  if (e === undefined) return []
  const lines = ["", "## Estimate", ""]
  if (e === null) return [...lines, "No plan preceded this run: `migrate plan` before a run estimates its requests and duration, and the run's report sets them against what it made."]
  const rate = (s: RunEstimate["systems"][string]) => (s.rate === null ? "unknown" : `${s.rate.perSecond.toFixed(2)}/s (${s.rate.from === "configured" ? "runtime.rateLimits" : s.rate.from})`)
  const duration = (ms: number | null) => (ms === null ? "unknown" : formatDuration(ms))
  if (r.dryRun) {
    lines.push("What a run would cost: the extract's requests as this plan made them; each sink's reads plus what its planned work sends.", "")
    lines.push(
      table(
        ["system", "requests", "made by the plan", "planned work", "rate", "expected duration"],
        Object.entries(e.systems).map(([system, s]) => [system, s.requests, s.measured, s.planned, rate(s), duration(s.durationMs)])
      )
    )
    lines.push("", `Pipelined (extract and loads overlap; the slowest system): ${duration(e.pipelinedMs)}.`)
  } else {
    lines.push(`Estimated by the plan at ${e.plannedAt} (${e.planRunId}); made by this run.`, "")
    lines.push(
      table(
        ["system", "estimated", "made", "of which retries", "difference", "expected duration", "active"],
        Object.entries(e.systems).map(([system, s]) => {
          const made = r.requests[system]?.requests ?? 0
          const active = r.activeMs?.[system]
          return [system, s.requests, made, r.requests[system]?.retries ?? 0, deviation(s.requests, made).replace(/[ ()]/g, "") || "—", duration(s.durationMs), active === undefined ? "—" : duration(active)]
        })
      )
    )
  }
  for (const w of e.warnings) lines.push("", `${r.dryRun ? "Warning" : "The plan warned"}: ${cell(w)}`)
  return lines
}

export const renderMarkdown = (r: RunReport): string => {
  const lines: Array<string> = []
  lines.push(`# migrate run ${r.runId}`, "")
  lines.push(`- **status**: ${r.status}${r.dryRun ? " (dry run: nothing written)" : ""}${r.sandbox ? " (sandbox)" : ""}`)
  lines.push(`- **command**: \`${r.command}\``)
  lines.push(`- **source**: ${r.source.type}${r.source.project ? ` (${r.source.project})` : ""}; **sinks**: ${r.sinks.length ? r.sinks.join(", ") : "none (extract only)"}`)
  lines.push(`- **started** ${r.startedAt}, **finished** ${r.finishedAt}, **duration** ${(r.durationMs / 1000).toFixed(1)} s`)
  lines.push(`- **mode**: ${r.extract.description}${r.extract.watermark ? `; next incremental run reads changes since ${r.extract.watermark}` : ""}`)
  if (r.error) lines.push(`- **error** (${r.error.tag}): ${r.error.message}${r.error.hint ? ` — ${r.error.hint}` : ""}`)
  const budget = r.error?.budget
  if (budget)
    lines.push(
      `- **stopped at the budget** of ${budget.system} (${budget.rule === "requests" ? `runtime.budget.${budget.system}.requests ${budget.limit}` : budget.rule === "leaveMonthly" ? `runtime.budget.${budget.system}.leaveMonthly ${budget.limit}` : "the month's quota reported spent"}): ${budget.requests} ${budget.system} requests made in this run; ${budget.monthRemaining ?? "unknown"} left this month as ${budget.system} reports it; requests remaining to finish: ${budget.remainingToFinish ?? "unknown"}`
    )
  lines.push("", "## Records", "")
  const entityRows = Object.entries(r.entities).map(([e, c]) => [e, c.extracted, c.created, c.updated, c.unchanged, c.skipped, c.quarantined, c.removed])
  const t = r.totals
  entityRows.push(["**total**", t.extracted, t.created, t.updated, t.unchanged, t.skipped, t.quarantined, t.removed])
  lines.push(table(["entity", "extracted", "created", "updated", "unchanged", "skipped", "quarantined", "removed (gone from a re-read parent)"], entityRows))
  lines.push("", "## Requests", "")
  const full = r.fullRunRequests
  lines.push(
    table(
      ["system", "requests", "retries", "throttled (429)", "failed attempts", "of them timed out", "a full run"],
      Object.entries(r.requests).map(([s, c]) => [s, c.requests, c.retries, c.throttled, c.failed, c.timedOut ?? 0, full?.[s] !== undefined ? full[s] : "unknown"])
    )
  )
  for (const [system, c] of Object.entries(r.requests)) {
    const kinds = Object.entries(c.byKind ?? {}).sort(([, a], [, b]) => b - a)
    if (kinds.length === 0) continue
    // objects written: what the system's load created or updated of each kind (none for reads or a source)
    const load = r.load.find((l) => l.sink === system && !l.planned)
    const written = (kind: string) => (load?.entities[kind] ? load.entities[kind].created + load.entities[kind].updated : 0)
    lines.push("", `### Requests by kind of object (${system})`, "")
    lines.push(
      table(
        ["kind", "objects written", "requests", "requests per object"],
        kinds.map(([kind, n]) => [kind, written(kind), n, written(kind) > 0 ? (n / written(kind)).toFixed(2) : "—"])
      )
    )
  }
  lines.push(...estimateSection(r))
  for (const l of r.load) {
    lines.push("", `## ${l.planned ? "Plan" : "Load"}: ${l.sink}${l.stoppedBy ? " (stopped)" : ""}`, "")
    if (l.planned) lines.push("What a run would do; nothing was sent.", "")
    const rows = Object.entries(l.entities).map(([e, c]) => [e, c.created, c.updated, c.unchanged, c.adopted, c.recovered, c.stale, c.removed, c.rejected, c.skipped])
    const lt = l.totals
    rows.push(["**total**", lt.created, lt.updated, lt.unchanged, lt.adopted, lt.recovered, lt.stale, lt.removed, lt.rejected, lt.skipped])
    lines.push(
      table(
        [l.planned ? "object (would be)" : "object", "created", "updated", "unchanged", "adopted (already on the target)", "recovered", "stale (changed, not updatable)", "removed (gone from the store)", "refused", "skipped"],
        rows
      )
    )
    lines.push("", `### Mapping gaps (${l.sink})`, "")
    if (l.gaps.length === 0) lines.push("None.")
    else
      lines.push(
        table(
          ["kind", "field", "value", "count", "hint", "records (first 20)"],
          l.gaps.map((g) => [g.kind, cell(g.field ?? ""), cell(g.value), g.count, cell(g.hint ?? ""), cell(g.examples.join(", "))])
        )
      )
    if (l.skipped.length > 0) {
      lines.push("", `### Skipped (${l.sink})`, "")
      lines.push(table(["object", "record", "reason"], l.skipped.map((x) => [x.entity, cell(x.label), cell(x.reason)])))
    }
    if (l.stoppedBy) lines.push("", `Stopped: ${cell(l.stoppedBy)}`)
  }
  lines.push("", "## Deleted at the source", "")
  if (r.deletedAtSource === null) lines.push("Not checked: only a full pass (`migrate run --full`) can tell.")
  else if (Object.keys(r.deletedAtSource).length === 0) lines.push("None: the store holds nothing this full pass did not see.")
  else {
    lines.push("In the store, not seen by this full pass. Kept in the store and on every target; delete them there if intended.", "")
    lines.push(table(["entity", "count", "source ids (first 20)"], Object.entries(r.deletedAtSource).map(([e, d]) => [e, d.count, cell(d.examples.join(", "))])))
  }
  lines.push("", "## Defaults, truncations, skips and warnings", "")
  if (r.notes.length === 0) lines.push("None.")
  else
    lines.push(
      table(
        ["kind", "system", "entity", "count", "message", "records (first 20)"],
        r.notes.map((n) => [n.kind, n.system, n.entity ?? "", n.count, cell(n.message), cell(n.examples.join(", "))])
      )
    )
  lines.push("", "## Quarantined records", "")
  if (r.quarantined.length === 0) lines.push("None.")
  else lines.push(table(["entity", "source id", "reason"], r.quarantined.map((q) => [q.entity, cell(q.sourceId), cell(q.reason)])))
  lines.push("")
  return lines.join("\n")
}
