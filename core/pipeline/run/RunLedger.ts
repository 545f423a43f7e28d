/**
 * What a run has done so far — the report is made of it, whenever the run ends: counts, requests, notes and
 * quarantine (mutable counters, which the extract and the sinks bump record by record), and where the extract
 * stands and what each sink loaded (Refs, set at the few points where they change).
 */
import { Effect, Ref } from "effect"
import type { Quarantined } from "../../canonical/Canonical.ts"
import { RequestMetrics } from "../../http/RequestMetrics.ts"
import { NoteCollector } from "../../report/NoteCollector.ts"
import type { UnfinishedExtract } from "../../store/ExtractState.ts"
import type { DeletedAtSource } from "../../store/OwnedRows.ts"
import { RunCounts } from "../Counts.ts"
import type { SinkLoadReport } from "../LoadReport.ts"
import type { Progress } from "../Progress.ts"

export interface RunLedger {
  readonly counts: RunCounts
  readonly metrics: RequestMetrics
  readonly notes: NoteCollector
  readonly quarantined: Array<Quarantined["data"]>
  /** The extract as the store records it; its checkpoint state advances with every committed batch. */
  readonly unfinished: Ref.Ref<UnfinishedExtract>
  /** The extract completed and its watermark was stored. */
  readonly completed: Ref.Ref<boolean>
  /** What a full pass found gone at the source. */
  readonly deletedAtSource: Ref.Ref<Record<string, DeletedAtSource> | null>
  /** One report per sink loaded (or planned), in the spec's order. */
  readonly loads: Ref.Ref<ReadonlyArray<SinkLoadReport>>
  /** Milliseconds each system was at work (the source: its extract): with its requests, the pace it achieved. */
  readonly activeMs: Record<string, number>
}

/** The run's notes, from its first step on: every note is also shown as it happens. */
export const makeRunNotes = (progress: Progress): NoteCollector => {
  const notes = new NoteCollector("core")
  notes.onNote((n) => progress.event("note", { ...n }))
  return notes
}

export const makeRunLedger = (notes: NoteCollector, unfinished: UnfinishedExtract) =>
  Effect.gen(function* () {
    return {
      counts: new RunCounts(),
      metrics: new RequestMetrics(),
      notes,
      quarantined: [],
      unfinished: yield* Ref.make(unfinished),
      completed: yield* Ref.make(false),
      deletedAtSource: yield* Ref.make<Record<string, DeletedAtSource> | null>(null),
      loads: yield* Ref.make<ReadonlyArray<SinkLoadReport>>([]),
      activeMs: {}
    } satisfies RunLedger
  })

/** Requests per system: what earlier runs carried plus this run's counters. */
export const addRequests = (carried: Readonly<Record<string, number>> | undefined, own: Readonly<Record<string, { readonly requests: number }>>): Record<string, number> => {
  const out: Record<string, number> = { ...carried }
  for (const [system, c] of Object.entries(own)) out[system] = (out[system] ?? 0) + c.requests
  return out
}
