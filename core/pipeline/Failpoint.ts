/**
 * Fault injection for crash tests, in the style of etcd's gofail: `MIGRATE_FAILPOINT=<point>[@<detail>]:<n>`
 * kills the process with SIGKILL the n-th time the run passes `<point>` (of that detail, when one is given:
 * `confirmed@test-log:3` is the third confirmed test log). Only the crash tests set it; it exists so that "killed
 * between the target's confirmation and the id-map commit" is a repeatable test, not a race.
 * `MIGRATE_FAILPOINT_TRACE=<file>` appends every point passed, as `<point>@<detail>`, to the file: how the crash
 * sweep learns the boundaries of a clean run before it picks where to kill.
 *
 * Points, in the order a run passes them:
 * - `extract-commit`  a batch of extracted records is committed (detail: the extract's name);
 * - `checkpoint`      …and that batch carried the source's checkpoint;
 * - `extract-done`    the extract completed (its watermark is committed);
 * - per exactly-once write (detail: the sink's object kind, e.g. `test-case`):
 *   - `intent`     the intent is committed, the call not yet sent;
 *   - `confirmed`  the target confirmed, the id map row not yet committed;
 *   - `committed`  the id map row is committed;
 * - `adopted`         an object found on the target is in the id map (detail: its kind);
 * - per batch of a set-writing sink (detail: the table):
 *   - `staged`     the batch is in the staging table, the MERGE not yet sent;
 *   - `merged`     the target confirmed the MERGE;
 * - `finished`        the run row says how the run ended, the report not yet written;
 * - `reported`        the report is written.
 */
import * as fs from "node:fs"

export type FailpointName =
  | "extract-commit"
  | "checkpoint"
  | "extract-done"
  | "intent"
  | "confirmed"
  | "committed"
  | "adopted"
  | "staged"
  | "merged"
  | "finished"
  | "reported"

const POINTS: ReadonlyArray<FailpointName> = ["extract-commit", "checkpoint", "extract-done", "intent", "confirmed", "committed", "adopted", "staged", "merged", "finished", "reported"]

interface Armed {
  readonly point: FailpointName
  readonly detail: string | undefined
  readonly n: number
}

export const parseFailpoint = (value: string | undefined): Armed | undefined => {
  const m = /^([a-z-]+)(?:@([^:]+))?:(\d+)$/.exec(value ?? "")
  if (!m || !POINTS.includes(m[1] as FailpointName)) return undefined
  return { point: m[1] as FailpointName, detail: m[2], n: Number(m[3]) }
}

export interface Failpoints {
  readonly pass: (point: FailpointName, detail?: string) => void
}

/**
 * A failpoint set armed from `value` (default: the environment). Counting is per set; the run's code shares one
 * (`failpoints`), so "the n-th" counts across every sink and phase of the process.
 */
export const makeFailpoints = (value: string | undefined = process.env["MIGRATE_FAILPOINT"], trace: string | undefined = process.env["MIGRATE_FAILPOINT_TRACE"]): Failpoints => {
  const armed = parseFailpoint(value)
  let hits = 0
  return {
    pass: (point, detail) => {
      if (trace !== undefined && trace !== "") fs.appendFileSync(trace, `${point}@${detail ?? ""}\n`)
      if (armed === undefined || point !== armed.point || (armed.detail !== undefined && armed.detail !== detail)) return
      hits++
      if (hits === armed.n) process.kill(process.pid, "SIGKILL")
    }
  }
}

/** The process's failpoints, shared by every phase and sink of a run. */
export const failpoints: Failpoints = makeFailpoints()
