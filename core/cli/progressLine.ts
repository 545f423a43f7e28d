/**
 * The text of one progress line: counts per entity, and — when the source gave an estimate — a bar, the share done
 * and an ETA over the entities it estimated. Pure, so it is tested without a terminal.
 */
import type { RunCounts } from "../pipeline/Counts.ts"

export interface ProgressSnapshot {
  readonly phase: string
  readonly counts: RunCounts
  readonly estimate: Readonly<Record<string, number>> | undefined
  readonly elapsedMs: number
  /** Width of the bar in characters (0: no bar). */
  readonly barWidth: number
}

const n = (x: number) => x.toLocaleString("en-US")

export const formatDuration = (ms: number): string => {
  const s = Math.max(0, Math.round(ms / 1000))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const sec = s % 60
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${String(sec).padStart(2, "0")}` : `${m}:${String(sec).padStart(2, "0")}`
}

/** Share of the estimated entities extracted so far, 0..1; undefined without a usable estimate. */
export const shareDone = (counts: RunCounts, estimate: Readonly<Record<string, number>> | undefined): number | undefined => {
  if (!estimate) return undefined
  let expected = 0
  let done = 0
  for (const [entity, total] of Object.entries(estimate)) {
    if (!(total > 0)) continue
    expected += total
    done += Math.min(total, counts.byEntity.get(entity)?.extracted ?? 0)
  }
  return expected > 0 ? done / expected : undefined
}

export const progressLine = (s: ProgressSnapshot): string => {
  const total = s.counts.total().extracted
  const rate = s.elapsedMs > 0 ? (total * 1000) / s.elapsedMs : 0
  const entities = [...s.counts.byEntity]
    .filter(([, c]) => c.extracted > 0)
    .map(([e, c]) => {
      const expected = s.estimate?.[e]
      return expected !== undefined && expected > 0 ? `${e} ${n(c.extracted)}/${n(expected)}` : `${e} ${n(c.extracted)}`
    })
    .join(" · ")
  const share = shareDone(s.counts, s.estimate)
  const parts: Array<string> = [`${s.phase}:`]
  if (share !== undefined) {
    if (s.barWidth > 0) {
      const filled = Math.round(share * s.barWidth)
      parts.push(`[${"█".repeat(filled)}${"░".repeat(s.barWidth - filled)}]`)
    }
    parts.push(`${Math.floor(share * 100)}%`)
  }
  parts.push(entities || "starting…")
  parts.push(`${n(Math.round(rate))} rec/s`, formatDuration(s.elapsedMs))
  if (share !== undefined && share > 0.01 && share < 1) parts.push(`ETA ${formatDuration((s.elapsedMs * (1 - share)) / share)}`)
  return parts.join("  ")
}
