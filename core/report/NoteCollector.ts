/**
 * Collects report notes in memory for the run report, counting repeats so that a default applied to 100,000
 * executions is one line with a count and a few examples, not 100,000 lines. Notes also go to the log.
 */
import { Effect } from "effect"
import type { Note, ReportSink } from "./ReportSink.ts"

export interface NoteSummary extends Note {
  readonly count: number
  /** Source ids of the first records it touched. */
  readonly examples: ReadonlyArray<string>
}

const MAX_EXAMPLES = 20

export class NoteCollector implements ReportSink {
  private readonly byKey = new Map<string, { note: Note; count: number; examples: string[] }>()
  private readonly listeners: Array<(note: Note) => void> = []

  private readonly defaultSystem: string

  constructor(defaultSystem: string = "core") {
    this.defaultSystem = defaultSystem
  }

  onNote(listener: (note: Note) => void): void {
    this.listeners.push(listener)
  }

  readonly note: ReportSink["note"] = (input) =>
    Effect.sync(() => {
      const note: Note = { ...input, system: input.system ?? this.defaultSystem }
      const key = `${note.kind}|${note.system}|${note.entity ?? ""}|${note.message}`
      const entry = this.byKey.get(key)
      if (entry) {
        entry.count++
        if (note.sourceId !== undefined && entry.examples.length < MAX_EXAMPLES) entry.examples.push(note.sourceId)
      } else {
        this.byKey.set(key, { note, count: 1, examples: note.sourceId !== undefined ? [note.sourceId] : [] })
        for (const l of this.listeners) l(note)
      }
    })

  /** A sink bound to one system name, for handing to a plugin. */
  forSystem(system: string): ReportSink {
    return { note: (n) => this.note({ ...n, system: n.system ?? system }) }
  }

  summaries(): ReadonlyArray<NoteSummary> {
    return [...this.byKey.values()].map(({ note, count, examples }) => ({ ...note, count, examples }))
  }
}
