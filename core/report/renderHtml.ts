/**
 * The run report as one self-contained HTML page (`report.html`), for the people who are not at the terminal:
 * QA leads, auditors. It carries its style inline and loads nothing — no script, font, image or stylesheet from
 * anywhere — so it opens the same from a CI artifact, an e-mail or a file share. It shows what report.md shows,
 * ordered for a reader: the verdict first, then what moved per project, entity and sink, the trend over the
 * state's earlier runs, what needs a person (mapping gaps and defaults with the records they touched and the fix,
 * quarantined records with their reasons), and the cost: requests, retries and throttles per API, time per phase.
 */
import type { SinkLoadReport } from "../pipeline/LoadReport.ts"
import type { RunReport } from "./RunReport.ts"
import { type Cell, escapeHtml, n, none, page, section, table } from "./html.ts"
import { deviation, formatDuration } from "./RunEstimate.ts"
import type { TrendPoint } from "./RunTrend.ts"

const records = (examples: ReadonlyArray<string>, count: number): Cell => ({
  html: `${examples.map((e) => `<code>${escapeHtml(e)}</code>`).join(" ")}${count > examples.length ? ` <span class="more">and ${n(count - examples.length)} more</span>` : ""}`
})

const STATUS_TEXT: Readonly<Record<RunReport["status"], string>> = {
  succeeded: "succeeded",
  "succeeded-with-quarantine": "succeeded, with quarantined records",
  failed: "failed",
  interrupted: "interrupted",
  running: "running",
  died: "died"
}

const statusClass = (s: RunReport["status"]): string => (s === "succeeded" ? "ok" : s === "succeeded-with-quarantine" ? "warn" : "bad")

const header = (r: RunReport): string => {
  const facts: Array<[string, string]> = [
    ["command", r.command],
    ["source", `${r.source.type}${r.source.project ? ` (project ${r.source.project})` : ""}`],
    ["sinks", r.sinks.length ? r.sinks.join(", ") : "none (extract only)"],
    ["started", r.startedAt],
    ["finished", r.finishedAt],
    ["duration", formatDuration(r.durationMs)],
    ["extract", r.extract.description],
    ...(r.extract.watermark ? [["next incremental run reads changes since", r.extract.watermark] as [string, string]] : [])
  ]
  const error = r.error
    ? `<div class="error" role="alert"><strong>${escapeHtml(r.error.tag)}</strong>: ${escapeHtml(r.error.message)}${r.error.hint ? `<br><span class="hint">What to do: ${escapeHtml(r.error.hint)}</span>` : ""}</div>`
    : ""
  return `<header>
<h1>migrate run <code>${escapeHtml(r.runId)}</code></h1>
<p class="status ${statusClass(r.status)}" id="status">${escapeHtml(STATUS_TEXT[r.status])}${r.dryRun ? " — dry run: nothing was written" : ""}${r.sandbox ? " — against the sandboxes" : ""}</p>
${error}
<dl>${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join("")}</dl>
</header>`
}

/** The few figures a reader looks for first. */
const cards = (r: RunReport): string => {
  const written = r.load.filter((l) => !l.planned).reduce((sum, l) => sum + l.totals.created + l.totals.updated, 0)
  const requests = Object.values(r.requests).reduce((sum, c) => sum + c.requests, 0)
  const items: Array<[string, number, string]> = [
    ["extracted", r.totals.extracted, ""],
    ["new or changed in the store", r.totals.created + r.totals.updated, ""],
    ["written to targets", written, ""],
    ["quarantined", r.totals.quarantined + r.load.reduce((sum, l) => sum + l.totals.rejected, 0), r.totals.quarantined > 0 || r.load.some((l) => l.totals.rejected > 0) ? "warn" : ""],
    ["notes to read", r.notes.length + r.load.reduce((sum, l) => sum + l.gaps.length, 0), ""],
    ["requests", requests, ""]
  ]
  return `<div class="cards">${items.map(([label, value, cls]) => `<div class="card ${cls}"><div class="value">${n(value)}</div><div class="label">${escapeHtml(label)}</div></div>`).join("")}</div>`
}

const projects = (r: RunReport): string =>
  section(
    "projects",
    "Totals per project",
    table(
      ["project", "extracted", "new", "changed", "unchanged", "quarantined", ...r.load.filter((l) => !l.planned).map((l) => `written to ${l.sink}`)],
      [[r.source.project ?? r.source.type, r.totals.extracted, r.totals.created, r.totals.updated, r.totals.unchanged, r.totals.quarantined, ...r.load.filter((l) => !l.planned).map((l) => l.totals.created + l.totals.updated)]]
    )
  )

const entities = (r: RunReport): string => {
  const rows: Array<ReadonlyArray<Cell>> = Object.entries(r.entities).map(([e, c]) => [e, c.extracted, c.created, c.updated, c.unchanged, c.skipped, c.quarantined, c.removed])
  const t = r.totals
  rows.push(["total", t.extracted, t.created, t.updated, t.unchanged, t.skipped, t.quarantined, t.removed])
  return section("entities", "Records in the store, per entity", table(["entity", "extracted", "new", "changed", "unchanged", "skipped", "quarantined", "removed"], rows, { total: true }))
}

const sinkSection = (l: SinkLoadReport): string => {
  const rows: Array<ReadonlyArray<Cell>> = Object.entries(l.entities).map(([e, c]) => [e, c.created, c.updated, c.unchanged, c.adopted, c.recovered, c.stale, c.removed, c.rejected, c.skipped])
  const t = l.totals
  rows.push(["total", t.created, t.updated, t.unchanged, t.adopted, t.recovered, t.stale, t.removed, t.rejected, t.skipped])
  const parts = [
    l.planned ? `<p>What a run would do; nothing was sent.</p>` : "",
    table([l.planned ? "object (would be)" : "object", "created", "updated", "unchanged", "adopted", "recovered", "stale", "removed", "refused", "skipped"], rows, { total: true }),
    l.stoppedBy ? `<div class="error" role="alert">Stopped: ${escapeHtml(l.stoppedBy)}. The next run resumes it.</div>` : ""
  ]
  return section(`sink-${l.sink}`, `${l.planned ? "Plan" : "Load"}: ${l.sink}`, parts.join("\n"))
}

/** Bars of what each run wrote to the targets, this run last; the table beside it has the figures. */
const trendChart = (points: ReadonlyArray<TrendPoint>): string => {
  const width = 640
  const height = 120
  const values = points.map((p) => Object.values(p.written).reduce((a, b) => a + b, 0))
  const max = Math.max(1, ...values)
  const step = width / points.length
  const bar = Math.max(2, Math.min(40, step * 0.7))
  const bars = points
    .map((p, i) => {
      const h = Math.round((values[i]! / max) * (height - 20))
      const x = Math.round(i * step + (step - bar) / 2)
      const cls = p.status === "succeeded" ? "ok" : p.status === "succeeded-with-quarantine" ? "warn" : "bad"
      return `<rect class="${cls}" x="${x}" y="${height - h}" width="${Math.round(bar)}" height="${Math.max(h, 1)}"><title>${escapeHtml(`${p.runId}: ${n(values[i]!)} written, ${p.status}`)}</title></rect>`
    })
    .join("")
  return `<svg class="trend" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="objects written to the targets per run">${bars}</svg>`
}

const trend = (r: RunReport, earlier: ReadonlyArray<TrendPoint>, current: TrendPoint): string => {
  if (earlier.length === 0) return section("trend", "Trend over the runs of this state", none("This is the first run of this state."))
  const points = [...earlier, current]
  const sinks = [...new Set(points.flatMap((p) => Object.keys(p.written)))]
  const systems = [...new Set(points.flatMap((p) => Object.keys(p.requests)))]
  const rows = points
    .slice()
    .reverse()
    .map((p): ReadonlyArray<Cell> => [
      { html: `<code>${escapeHtml(p.runId)}</code>${p.runId === r.runId ? " <strong>(this run)</strong>" : ""}` },
      { html: `<span class="${p.status === "succeeded" ? "ok" : p.status === "succeeded-with-quarantine" ? "warn" : "bad"}">${escapeHtml(p.status)}</span>${p.dryRun ? " (dry run)" : ""}` },
      formatDuration(p.durationMs),
      p.extracted,
      p.quarantined,
      ...sinks.map((s) => p.written[s] ?? 0),
      ...systems.map((s) => p.requests[s] ?? 0)
    ])
  return section(
    "trend",
    "Trend over the runs of this state",
    `<p>Objects written to the targets per run, oldest first (${n(points.length)} runs).</p>\n${trendChart(points)}\n${table(["run", "status", "duration", "extracted", "quarantined", ...sinks.map((s) => `written to ${s}`), ...systems.map((s) => `${s} requests`)], rows)}`
  )
}

const NOTE_KINDS: ReadonlyArray<[RunReport["notes"][number]["kind"], string]> = [
  ["warning", "Warnings"],
  ["default", "Defaults applied"],
  ["truncation", "Truncations"],
  ["skip", "Skipped"]
]

/** What needs a person: each gap and note with the records it touched and what to change. */
const attention = (r: RunReport): string => {
  const parts: Array<string> = []
  for (const l of r.load) {
    parts.push(`<h3>Mapping gaps: ${escapeHtml(l.sink)}</h3>`)
    parts.push(
      l.gaps.length === 0
        ? none()
        : table(
            ["kind", "field", "value", "records", "how to fix", "records touched"],
            l.gaps.map((g) => [g.kind, g.field ?? "", g.value, g.count, g.hint ?? "", records(g.examples, g.count)])
          )
    )
    if (l.skipped.length > 0) parts.push(`<h3>Skipped by ${escapeHtml(l.sink)}</h3>`, table(["object", "record", "reason"], l.skipped.map((x) => [x.entity, x.label, x.reason])))
  }
  for (const [kind, title] of NOTE_KINDS) {
    const notes = r.notes.filter((x) => x.kind === kind)
    if (notes.length === 0) continue
    parts.push(`<h3>${escapeHtml(title)}</h3>`, table(["system", "entity", "what happened", "records", "records touched"], notes.map((x) => [x.system, x.entity ?? "", x.message, x.count, records(x.examples, x.count)])))
  }
  if (r.notes.length === 0) parts.push("<h3>Defaults, truncations, skips and warnings</h3>", none())
  return section("attention", "What needs a person", parts.join("\n"))
}

const quarantine = (r: RunReport): string => {
  const refused = r.load.flatMap((l) => l.rejected.map((x) => [`${l.sink}: ${x.entity}`, x.label, x.message] as ReadonlyArray<Cell>))
  const rows: Array<ReadonlyArray<Cell>> = [...r.quarantined.map((q) => [q.entity, q.sourceId, q.reason] as ReadonlyArray<Cell>), ...refused]
  return section(
    "quarantine",
    "Quarantined records",
    rows.length === 0
      ? none()
      : `<p>Kept aside with the payload in the state store; the run went on. Fix the source record (or the map the reason names) and run again.</p>\n${table(["entity", "record", "reason"], rows)}`
  )
}

const requests = (r: RunReport): string => {
  const rows = Object.entries(r.requests).map(([s, c]): ReadonlyArray<Cell> => [s, c.requests, c.retries, c.throttled, c.failed, c.timedOut ?? 0, r.fullRunRequests?.[s] ?? "unknown"])
  const kinds = Object.entries(r.requests).flatMap(([s, c]) =>
    Object.entries(c.byKind ?? {})
      .sort(([, a], [, b]) => b - a)
      .map(([kind, count]): ReadonlyArray<Cell> => [s, kind, count])
  )
  const e = r.estimate
  const estimate =
    e && !r.dryRun
      ? `<h3>Estimated by the plan and made</h3>${table(
          ["system", "estimated", "made", "difference"],
          Object.entries(e.systems).map(([s, x]) => [s, x.requests, r.requests[s]?.requests ?? 0, deviation(x.requests, r.requests[s]?.requests ?? 0).replace(/[ ()]/g, "") || "—"])
        )}`
      : ""
  return section(
    "requests",
    "Requests per API",
    `${rows.length === 0 ? none("No requests.") : table(["system", "requests", "retries", "throttled (429)", "failed attempts", "timed out", "a full run"], rows)}${kinds.length ? `<h3>By kind of object</h3>${table(["system", "kind", "requests"], kinds)}` : ""}${estimate}`
  )
}

const phases = (r: RunReport): string => {
  const active = Object.entries(r.activeMs ?? {})
  if (active.length === 0) return section("time", "Time per phase", none("Not recorded."))
  const max = Math.max(r.durationMs, ...active.map(([, ms]) => ms), 1)
  const rows = [["whole run", r.durationMs] as const, ...active.map(([system, ms]) => [system === r.source.type ? `extract (${system})` : `load (${system})`, ms] as const)]
  const bars = rows
    .map(([label, ms]) => `<div class="phase"><span class="phase-label">${escapeHtml(label)}</span><span class="phase-bar" style="width:${Math.max(1, Math.round((ms / max) * 100))}%"></span><span class="phase-time">${escapeHtml(formatDuration(ms))}</span></div>`)
    .join("\n")
  return section("time", "Time per phase", `<p>The extract and the loads overlap: a sink that follows the extract loads while it runs.</p>\n${bars}`)
}

const deleted = (r: RunReport): string => {
  if (r.deletedAtSource === null) return section("deleted", "Deleted at the source", none("Not checked: only a full pass (migrate run --full) can tell."))
  const rows = Object.entries(r.deletedAtSource).map(([e, d]): ReadonlyArray<Cell> => [e, d.count, records(d.examples, d.count)])
  return section(
    "deleted",
    "Deleted at the source",
    rows.length === 0 ? none("None: the store holds nothing this full pass did not see.") : `<p>Kept in the store and on every target; delete them there if intended.</p>${table(["entity", "records", "source ids"], rows)}`
  )
}


/** The whole page. `earlier`: the state's earlier runs (RunTrend.ts), oldest first. */
export const renderHtml = (r: RunReport, earlier: ReadonlyArray<TrendPoint>, current: TrendPoint): string => {
  const nav = [["projects", "Projects"], ["entities", "Entities"], ...r.load.map((l) => [`sink-${l.sink}`, l.sink]), ["trend", "Trend"], ["attention", "Needs a person"], ["quarantine", "Quarantine"], ["requests", "Requests"], ["time", "Time"]]
  return page(
    `migrate run ${r.runId}: ${STATUS_TEXT[r.status]}`,
    `${header(r)}
<nav>${nav.map(([id, label]) => `<a href="#${escapeHtml(id!)}">${escapeHtml(label!)}</a>`).join("")}</nav>
${cards(r)}
${projects(r)}
${entities(r)}
${r.load.map(sinkSection).join("\n")}
${trend(r, earlier, current)}
${attention(r)}
${quarantine(r)}
${requests(r)}
${phases(r)}
${deleted(r)}
<footer>Written by migrate with report.json (every figure, for machines) and report.md beside it.</footer>`
  )
}
