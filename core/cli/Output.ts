/**
 * Where the CLI writes. Human mode: results on stdout, progress on stderr (a live line on a terminal, a plain
 * line every few seconds elsewhere, e.g. CI). `--json`: one JSON object per event on stdout, nothing else there.
 */
import type { RunCounts } from "../pipeline/Counts.ts"
import type { Progress } from "../pipeline/Progress.ts"
import { progressLine } from "./progressLine.ts"

export interface Output {
  readonly json: boolean
  /** A result line for people (ignored in JSON mode). */
  readonly line: (text: string) => void
  /** One machine event (JSON mode) — in human mode printed by `human` if given. */
  readonly event: (event: string, fields: Readonly<Record<string, unknown>>, human?: string) => void
  readonly progress: Progress
}

const countsLine = (counts: RunCounts): string =>
  [...counts.byEntity]
    .filter(([, c]) => c.extracted > 0)
    .map(([e, c]) => `${e} ${c.extracted.toLocaleString("en-US")}`)
    .join(" · ")

export interface OutputOptions {
  readonly json: boolean
  readonly stdout?: NodeJS.WriteStream
  readonly stderr?: NodeJS.WriteStream
  readonly intervalMs?: number
  /** The project of a spec with `projects:` this output is for: its events carry it, its lines start with `[KEY]`. */
  readonly project?: string | undefined
  /** false: lines without the `[KEY]` mark (the command runs for that one project only). Default true. */
  readonly mark?: boolean | undefined
  /** false: never a live line, even on a terminal (projects running at once would fight over it). Default true. */
  readonly live?: boolean | undefined
}

export const makeOutput = (options: OutputOptions): Output => {
  // JSON lines stay JSON: the project is a field of each event there
  const mark = options.project === undefined || options.json || options.mark === false ? "" : `[${options.project}] `
  const write = (stream: NodeJS.WriteStream) => ({
    write: (text: string) => {
      if (mark === "") return stream.write(text)
      // every line of a project's output says whose it is; a live line's leading \r stays first
      const lead = text.startsWith("\r\x1b[K") ? "\r\x1b[K" : ""
      const lines = text.slice(lead.length).split("\n")
      return stream.write(lead + lines.map((line) => (line === "" ? line : mark + line)).join("\n"))
    },
    get columns() {
      return stream.columns
    },
    isTTY: stream.isTTY
  })
  const stdout = write(options.stdout ?? process.stdout)
  const stderr = write(options.stderr ?? process.stderr)
  const live = options.live !== false && !options.json && stderr.isTTY === true && process.env["CI"] === undefined
  const intervalMs = options.intervalMs ?? 5000
  // The progress line is the extract's (its counts are what `update` shows); loads run beside it and print their
  // own lines, so a phase that starts while the extract runs does not take the line over.
  let phaseName = ""
  let phaseStart = Date.now()
  let extracting = false
  const starts = new Map<string, number>()
  let lastPlain = 0
  let liveShown = false
  let estimate: Readonly<Record<string, number>> | undefined

  const clearLive = () => {
    if (liveShown) {
      stderr.write("\r\x1b[K")
      liveShown = false
    }
  }
  const emit = (event: string, fields: Readonly<Record<string, unknown>>) =>
    stdout.write(JSON.stringify({ event, at: new Date().toISOString(), ...(options.project === undefined ? {} : { project: options.project }), ...fields }) + "\n")

  const progress: Progress = {
    phase: (name) => {
      starts.set(name, Date.now())
      const extract = name.startsWith("extract ")
      if (extract || !extracting) {
        phaseName = name
        phaseStart = Date.now()
        estimate = undefined
        extracting = extract
      }
      if (options.json) emit("phase", { phase: name })
      else {
        clearLive()
        stderr.write(`→ ${name}\n`)
      }
    },
    expect: (e) => {
      estimate = e
      if (options.json) emit("estimate", { phase: phaseName, estimate: e })
    },
    update: (counts) => {
      const elapsedMs = Date.now() - phaseStart
      if (options.json) emit("progress", { phase: phaseName, counts: counts.toJSON() })
      else if (live) {
        const width = stderr.columns ?? 120
        stderr.write(`\r\x1b[K  ${progressLine({ phase: phaseName, counts, estimate, elapsedMs, barWidth: 20 })}`.slice(0, width - 1))
        liveShown = true
      } else if (Date.now() - lastPlain >= intervalMs) {
        // CI and pipes: a plain line every few seconds, no control characters.
        lastPlain = Date.now()
        stderr.write(`  ${progressLine({ phase: phaseName, counts, estimate, elapsedMs, barWidth: 0 })}\n`)
      }
    },
    event: (kind, fields) => {
      if (options.json) return emit(kind, fields)
      clearLive()
      if (kind === "quarantined") stderr.write(`  ! quarantined ${String(fields["entity"])} ${String(fields["sourceId"])}: ${String(fields["reason"])}\n`)
      else if (kind === "note") {
        // the first record a note touches, so a data problem is findable from the terminal (the report lists all)
        const record = fields["sourceId"] === undefined ? "" : ` (${fields["entity"] === undefined ? "" : `${String(fields["entity"])} `}${String(fields["sourceId"])})`
        stderr.write(`  · ${String(fields["kind"])}${record}: ${String(fields["message"])}\n`)
      }
      else if (kind === "rejected")
        // one line per refused record, named as the user finds it (its key), with the target's message
        stderr.write(`  ! ${String(fields["sink"])} refused ${String(fields["entity"])} ${String(fields["label"])}: ${String(fields["message"]).replace(/\s*\n\s*/g, " ")}\n`)
      else if (kind === "interrupted") stderr.write(`  interrupted: ${String(fields["message"])}\n`)
      else if (kind === "sandbox") stderr.write(`  sandbox ${String(fields["plugin"])} at ${String(fields["baseUrl"])}\n`)
    },
    phaseDone: (name, counts) => {
      if (name === phaseName) extracting = false
      const elapsed = ((Date.now() - (starts.get(name) ?? phaseStart)) / 1000).toFixed(1)
      if (options.json) return emit("phaseDone", { phase: name, seconds: Number(elapsed), counts: counts.toJSON() })
      clearLive()
      stderr.write(`  ${name}: done in ${elapsed} s — ${countsLine(counts)}\n`)
    }
  }

  return {
    json: options.json,
    line: (text) => {
      if (!options.json) {
        clearLive()
        stdout.write(text + "\n")
      }
    },
    event: (event, fields, human) => {
      if (options.json) emit(event, fields)
      else if (human !== undefined) {
        clearLive()
        stdout.write(human + "\n")
      }
    },
    progress
  }
}
