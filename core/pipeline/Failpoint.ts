/**
 * Fault injection for crash tests, in the style of etcd's gofail: `MIGRATE_FAILPOINT=<point>:<n>` kills the
 * process with SIGKILL the n-th time the load passes `<point>`. Only the crash tests set it; it exists so that
 * "killed between the target's confirmation and the id-map commit" is a repeatable test, not a race.
 *
 * Points, in the order one write passes them:
 * - `intent`   the intent is committed, the call not yet sent;
 * - `confirmed` the target confirmed, the id map row not yet committed;
 * - `committed` the id map row is committed.
 * A set-writing sink (Snowflake) passes its own, per batch:
 * - `staged`   the batch is in the staging table, the MERGE not yet sent;
 * - `merged`   the target confirmed the MERGE.
 */
export type FailpointName = "intent" | "confirmed" | "committed" | "staged" | "merged"

const parse = (value: string | undefined): { point: FailpointName; n: number } | undefined => {
  const m = /^(intent|confirmed|committed|staged|merged):(\d+)$/.exec(value ?? "")
  return m ? { point: m[1] as FailpointName, n: Number(m[2]) } : undefined
}

export interface Failpoints {
  readonly pass: (point: FailpointName) => void
}

export const makeFailpoints = (value: string | undefined = process.env["MIGRATE_FAILPOINT"]): Failpoints => {
  const armed = parse(value)
  let hits = 0
  return {
    pass: (point) => {
      if (armed === undefined || point !== armed.point) return
      hits++
      if (hits === armed.n) process.kill(process.pid, "SIGKILL")
    }
  }
}
