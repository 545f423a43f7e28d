/**
 * How plugins and core tell the run report about something the user must be able to see: every default
 * applied, every truncation, every skip, every warning — each with the record it touched.
 */
import type { Effect } from "effect"

export type NoteKind = "default" | "truncation" | "skip" | "warning"

export interface Note {
  readonly kind: NoteKind
  /** The system that raised it (plugin name or "core"). */
  readonly system: string
  readonly entity?: string | undefined
  readonly sourceId?: string | undefined
  readonly message: string
}

export interface ReportSink {
  readonly note: (note: Omit<Note, "system"> & { readonly system?: string }) => Effect.Effect<void>
}
