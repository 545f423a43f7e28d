/**
 * What the pipeline tells the person (or machine) watching. The CLI picks the implementation: a live line on a
 * terminal, periodic plain lines in CI, JSON events with `--json`, nothing in tests.
 */
import type { RunCounts } from "./Counts.ts"

export interface Progress {
  /** A phase starts (`extract zephyr`, `load qtest`). */
  readonly phase: (name: string) => void
  /** Counts changed; called after every committed batch. */
  readonly update: (counts: RunCounts) => void
  /** A notable event: a note, a quarantined record, a retry storm. */
  readonly event: (kind: string, fields: Readonly<Record<string, unknown>>) => void
  /**
   * What the source expects to emit, per entity (its `estimate()`), so progress can show a share done and an ETA.
   * Optional: without it progress shows counts and rates only.
   */
  readonly expect?: (estimate: Readonly<Record<string, number>>) => void
  /** The phase ended; print final figures. */
  readonly phaseDone: (name: string, counts: RunCounts) => void
}

export const silentProgress: Progress = { phase: () => {}, update: () => {}, event: () => {}, phaseDone: () => {} }
