/**
 * What `migrate cutover` signs off: the verdict and every reason against it, the source's records (the store after
 * the final pass) beside what each target holds of them as verified, what changed at the source while the cutover
 * ran, what is quarantined, and the gaps and defaults a person accepted. Written as cutover.json (for machines),
 * cutover.md and cutover.html beside the final run's report, with lines to sign.
 */
import { Effect } from "effect"
import type { StoreError } from "../errors.ts"
import type { SinkVerifyReport } from "../pipeline/verifySinks.ts"
import { type Cell, escapeHtml, n, none, page, section, table } from "./html.ts"
import { type ReportPaths, writeReportFiles } from "./writeRunReport.ts"

export interface CutoverSummary {
  readonly runId: string
  readonly specFile: string | null
  readonly statePath: string
  readonly startedAt: string
  readonly finishedAt: string
  readonly passed: boolean
  /** Every reason the cutover did not pass; empty when it passed. */
  readonly reasons: ReadonlyArray<string>
  readonly source: { readonly type: string; readonly project?: string | undefined }
  /** The final run: its status, and where its report is. */
  readonly run: { readonly status: string; readonly report: string | null }
  /** Records per canonical entity in the store after the final pass: what the source holds. */
  readonly store: Readonly<Record<string, number>>
  /** Per sink, what verify found: per object kind, matching / different / missing / extra. */
  readonly sinks: ReadonlyArray<SinkVerifyReport>
  /** Read again at the end: per entity, records new or changed at the source since the final pass read it; null when not read. */
  readonly changedAtSource: Readonly<Record<string, { readonly created: number; readonly updated: number }>> | null
  readonly quarantined: ReadonlyArray<{ readonly entity: string; readonly sourceId: string; readonly reason: string }>
  /** The mapping gaps and notes of the final run, as the run report lists them. */
  readonly gaps: ReadonlyArray<{ readonly sink: string; readonly kind: string; readonly field: string; readonly value: string; readonly count: number; readonly hint: string }>
}

const verdictLine = (s: CutoverSummary) => (s.passed ? "PASSED: the targets hold exactly what the source holds" : "FAILED: not ready for cut-over")

/** `TESTCASE`, `test-case` and `TestCase` are one kind; a target's own kinds (qTest's test-log) have no store count. */
const normal = (kind: string) => kind.replace(/[^a-z]/gi, "").toLowerCase()

const storeCount = (s: CutoverSummary, kind: string): number | string => {
  const entity = Object.keys(s.store).find((e) => normal(e) === normal(kind))
  return entity === undefined ? "—" : s.store[entity]!
}

const targetRows = (s: CutoverSummary, sink: SinkVerifyReport): ReadonlyArray<ReadonlyArray<string | number>> =>
  Object.entries(sink.entities).map(([kind, c]) => [kind, storeCount(s, kind), c.match + c.mismatch, c.match, c.mismatch, c.missing, c.extra])

const TARGET_HEADERS = ["object", "in the store (source)", "on the target", "matching", "different", "missing", "extra"]

const changedTotal = (s: CutoverSummary) => Object.values(s.changedAtSource ?? {}).reduce((sum, c) => sum + c.created + c.updated, 0)

export const renderCutoverMarkdown = (s: CutoverSummary): string => {
  const md = (headers: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string | number>>) =>
    [`| ${headers.join(" | ")} |`, `|${headers.map((_, i) => (i === 0 ? "---" : "---:")).join("|")}|`, ...rows.map((r) => `| ${r.map((c) => String(c).replace(/\|/g, "\\|").replace(/\r?\n/g, " ")).join(" | ")} |`)].join("\n")
  const lines = [`# Cut-over: ${verdictLine(s)}`, ""]
  lines.push(`- **source**: ${s.source.type}${s.source.project ? ` (project ${s.source.project})` : ""}`)
  lines.push(`- **spec**: ${s.specFile ?? "(built-in sandbox spec)"}; **state**: ${s.statePath}`)
  lines.push(`- **started** ${s.startedAt}, **finished** ${s.finishedAt}; final run \`${s.runId}\`: ${s.run.status}${s.run.report ? ` (report: ${s.run.report})` : ""}`)
  if (s.reasons.length > 0) lines.push("", "## Why it did not pass", "", ...s.reasons.map((r) => `- ${r}`))
  lines.push("", "## The source", "", md(["entity", "in the store", "new or changed at the source during the cut-over"], Object.entries(s.store).map(([e, c]) => [e, c, s.changedAtSource === null ? "not read" : (s.changedAtSource[e]?.created ?? 0) + (s.changedAtSource[e]?.updated ?? 0)])))
  for (const sink of s.sinks) {
    lines.push("", `## ${sink.sink}`, "")
    if (!sink.supported) lines.push("This sink cannot read its target back: not verified.")
    else lines.push(md(TARGET_HEADERS, targetRows(s, sink)))
    if (sink.openIntents > 0) lines.push("", `${sink.openIntents} writes never confirmed.`)
    for (const d of sink.differences) lines.push(`- ${d.status}: ${d.entity} ${d.label} (target ${d.targetId})${d.detail ? ` — ${d.detail}` : ""}`)
  }
  lines.push("", "## Quarantined records", "", s.quarantined.length === 0 ? "None." : md(["entity", "record", "reason"], s.quarantined.map((q) => [q.entity, q.sourceId, q.reason])))
  lines.push("", "## Mapping gaps and defaults accepted", "", s.gaps.length === 0 ? "None." : md(["sink", "kind", "field", "value", "records", "how to fix"], s.gaps.map((g) => [g.sink, g.kind, g.field, g.value, g.count, g.hint])))
  lines.push("", "## Sign-off", "", "Checked by: ______________________  Role: ______________  Date: ____________", "")
  return lines.join("\n")
}

export const renderCutoverHtml = (s: CutoverSummary): string => {
  const sourceRows = Object.entries(s.store).map(([e, c]): ReadonlyArray<Cell> => [e, c, s.changedAtSource === null ? "not read" : (s.changedAtSource[e]?.created ?? 0) + (s.changedAtSource[e]?.updated ?? 0)])
  const sinks = s.sinks
    .map((sink) =>
      section(
        `target-${sink.sink}`,
        `${sink.sink}: source and target side by side`,
        [
          sink.supported ? table(TARGET_HEADERS, targetRows(s, sink)) : none("This sink cannot read its target back: not verified."),
          sink.openIntents > 0 ? `<p class="error">${n(sink.openIntents)} writes never confirmed.</p>` : "",
          sink.differences.length > 0 ? table(["status", "object", "record", "target id", "detail"], sink.differences.map((d) => [d.status, d.entity, d.label, d.targetId, d.detail ?? ""])) : ""
        ].join("\n")
      )
    )
    .join("\n")
  const body = `<header>
<h1>Cut-over of ${escapeHtml(s.source.project ?? s.source.type)}</h1>
<p class="status ${s.passed ? "ok" : "bad"}" id="verdict">${escapeHtml(verdictLine(s))}</p>
${s.reasons.length > 0 ? `<div class="error" role="alert"><strong>Why it did not pass</strong><ul>${s.reasons.map((r) => `<li>${escapeHtml(r)}</li>`).join("")}</ul></div>` : ""}
<dl><dt>spec</dt><dd>${escapeHtml(s.specFile ?? "(built-in sandbox spec)")}</dd><dt>state</dt><dd>${escapeHtml(s.statePath)}</dd><dt>started</dt><dd>${escapeHtml(s.startedAt)}</dd><dt>finished</dt><dd>${escapeHtml(s.finishedAt)}</dd><dt>final run</dt><dd><code>${escapeHtml(s.runId)}</code>: ${escapeHtml(s.run.status)}</dd></dl>
</header>
${section("source", "The source", `<p>${changedTotal(s) === 0 && s.changedAtSource !== null ? "Read again at the end: nothing changed while the cut-over ran." : s.changedAtSource === null ? "The source was not read again." : `Read again at the end: ${n(changedTotal(s))} records changed while the cut-over ran.`}</p>${table(["entity", "in the store", "new or changed during the cut-over"], sourceRows)}`)}
${sinks}
${section("quarantine", "Quarantined records", s.quarantined.length === 0 ? none() : table(["entity", "record", "reason"], s.quarantined.map((q) => [q.entity, q.sourceId, q.reason])))}
${section("gaps", "Mapping gaps and defaults accepted", s.gaps.length === 0 ? none() : table(["sink", "kind", "field", "value", "records", "how to fix"], s.gaps.map((g) => [g.sink, g.kind, g.field, g.value, g.count, g.hint])))}
${section("sign-off", "Sign-off", "<p>Checked by: ______________________ &nbsp; Role: ______________ &nbsp; Date: ____________</p>")}`
  return page(`cut-over: ${s.passed ? "passed" : "failed"}`, body)
}

/** Writes cutover.json, cutover.md and cutover.html into `dir`. */
export const writeCutoverSummary = (dir: string, s: CutoverSummary): Effect.Effect<ReportPaths, StoreError> =>
  writeReportFiles(dir, "cutover", { json: s, markdown: () => renderCutoverMarkdown(s), html: () => renderCutoverHtml(s) }, "cannot write the cut-over summary in")
