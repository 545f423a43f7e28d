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
  /** The phase ended; print final figures. */
  readonly phaseDone: (name: string, counts: RunCounts) => void
}

export const silentProgress: Progress = { phase: () => {}, update: () => {}, event: () => {}, phaseDone: () => {} }
