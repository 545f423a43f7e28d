/** What one sink's load did (or, planning, would do): per target object kind, the outcomes; gaps; refusals. */
import type { LoadOutcome, MappingGap } from "../plugin/Plugin.ts"

export interface LoadCounts {
  created: number
  updated: number
  unchanged: number
  /** Found on the target after an unconfirmed earlier create, and mapped instead of created again. */
  recovered: number
  /** Found already migrated on the target (a lost or foreign state, LoadContext.adopt) and taken into the id map. */
  adopted: number
  /** Changed at the source, but the target object cannot be updated (reported). */
  stale: number
  /** Gone from the store (deleted at the source), so removed from a target that mirrors it (a warehouse). */
  removed: number
  rejected: number
  skipped: number
}

export const emptyLoadCounts = (): LoadCounts => ({ created: 0, updated: 0, unchanged: 0, recovered: 0, adopted: 0, stale: 0, removed: 0, rejected: 0, skipped: 0 })

export interface GapSummary extends MappingGap {
  readonly count: number
  readonly examples: ReadonlyArray<string>
}

export interface SinkLoadReport {
  readonly sink: string
  /** `plan` / `--dry-run`: the counts are what a run would do; nothing was sent. */
  readonly planned: boolean
  readonly entities: Readonly<Record<string, LoadCounts>>
  readonly totals: LoadCounts
  readonly gaps: ReadonlyArray<GapSummary>
  readonly rejected: ReadonlyArray<{ readonly entity: string; readonly key: string; readonly label: string; readonly message: string }>
  readonly skipped: ReadonlyArray<{ readonly entity: string; readonly label: string; readonly reason: string }>
  readonly durationMs: number
  /**
   * Planning: the requests the planned work would send — each planned create or update (TargetWrite.requests, 1
   * by default) and what the sink announced (LoadContext.willSend). The reads planning made are in the run's
   * request counts. Absent on a run.
   */
  readonly plannedRequests?: number | undefined
  /** Set when the load stopped (401, unreachable): the next run resumes it. */
  readonly stoppedBy?: string | undefined
}

const MAX_EXAMPLES = 20
const MAX_LISTED = 200

/** Collects a sink's outcomes while it loads. */
export class LoadTally {
  readonly byEntity = new Map<string, LoadCounts>()
  private readonly gaps = new Map<string, { gap: MappingGap; count: number; examples: string[] }>()
  readonly rejected: Array<SinkLoadReport["rejected"][number]> = []
  readonly skipped: Array<SinkLoadReport["skipped"][number]> = []
  /** Planning: requests the planned work would send (SinkLoadReport.plannedRequests). */
  plannedRequests = 0
  private rejectedTotal = 0
  private skippedTotal = 0

  of(entity: string): LoadCounts {
    let c = this.byEntity.get(entity)
    if (!c) this.byEntity.set(entity, (c = emptyLoadCounts()))
    return c
  }

  readonly record = (entity: string, outcome: LoadOutcome, n = 1): void => {
    this.of(entity)[outcome] += n
  }

  gap(gap: MappingGap): boolean {
    // a missing field is one gap, whatever values it would have held (the first one is shown)
    const key = gap.kind === "field" || gap.kind === "unsupported" ? `${gap.kind}|${gap.field ?? ""}` : `${gap.kind}|${gap.field ?? ""}|${gap.value}`
    const entry = this.gaps.get(key)
    if (entry) {
      entry.count++
      if (gap.object !== undefined && entry.examples.length < MAX_EXAMPLES) entry.examples.push(gap.object)
      return false
    }
    this.gaps.set(key, { gap, count: 1, examples: gap.object === undefined ? [] : [gap.object] })
    return true
  }

  /** Records refused so far: a record refused again (a later pass of the same run) is one refusal. */
  private readonly refusedKeys = new Set<string>()

  /** Answers false for a record already refused. */
  reject(r: SinkLoadReport["rejected"][number]): boolean {
    const id = `${r.entity}\u0000${r.key}`
    if (this.refusedKeys.has(id)) return false
    this.refusedKeys.add(id)
    this.of(r.entity).rejected++
    this.rejectedTotal++
    if (this.rejected.length < MAX_LISTED) this.rejected.push(r)
    return true
  }

  skip(s: SinkLoadReport["skipped"][number]): void {
    this.of(s.entity).skipped++
    this.skippedTotal++
    if (this.skipped.length < MAX_LISTED) this.skipped.push(s)
  }

  totals(): LoadCounts {
    const t = emptyLoadCounts()
    for (const c of this.byEntity.values()) for (const k of Object.keys(t) as Array<keyof LoadCounts>) t[k] += c[k]
    return t
  }

  report(sink: string, planned: boolean, durationMs: number, stoppedBy?: string): SinkLoadReport {
    return {
      sink,
      planned,
      entities: Object.fromEntries([...this.byEntity].map(([k, v]) => [k, { ...v }])),
      totals: this.totals(),
      gaps: [...this.gaps.values()].map(({ gap, count, examples }) => ({ ...gap, count, examples })),
      rejected: this.rejected,
      skipped: this.skipped,
      durationMs,
      ...(planned ? { plannedRequests: this.plannedRequests } : {}),
      stoppedBy
    }
  }
}
