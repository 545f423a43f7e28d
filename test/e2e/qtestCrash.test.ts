/**
 * The qTest load killed with SIGKILL at a dozen points and resumed. `MIGRATE_FAILPOINT=<point>:<n>` kills the
 * real CLI process the n-th time a write passes `intent` (committed, not sent), `confirmed` (qTest created the
 * object, the id map row not yet committed) or `committed`. The next run, without the failpoint, must finish
 * and leave qTest exactly as a clean run into an empty project does — compared through the API, with qTest's ids
 * replaced by stable names — with nothing twice. The sandboxes live in the test process, so they survive the
 * kills; the qTest project is emptied between scenarios.
 */
import * as path from "node:path"
import Database from "better-sqlite3"
import { beforeAll, describe, expect, it } from "vitest"
import type { RunReport } from "../../core/report/RunReport.ts"
import { extractOnce, migrate, qtestSpec, readBack, reportOf, resetQtest, useSandboxes } from "./qtestHelpers.ts"

const sandboxes = useSandboxes()

/** Writes of a clean load of the demo, in the order the sink makes them (fields … attachments). */
const DEMO_WRITES = 257

/**
 * Spread over the load: fields (1–26), modules, test cases and their approvals, releases and cycles, test runs
 * and logs, attachments (the last eight writes); each of the three points at least three times; twelve in all.
 */
const POINTS = [
  "intent:1",
  "confirmed:1",
  "committed:1",
  "confirmed:30",
  "intent:40",
  "confirmed:60",
  "committed:90",
  "confirmed:120",
  "confirmed:200",
  "intent:230",
  "committed:250",
  `confirmed:${DEMO_WRITES}`
] as const

const openIntents = (cwd: string): ReadonlyArray<string> => {
  const db = new Database(path.join(cwd, ".migrate/state.db"), { readonly: true })
  try {
    return (db.prepare(`SELECT entity FROM intents WHERE sink = 'qtest' ORDER BY entity`).all() as Array<{ entity: string }>).map((r) => r.entity)
  } finally {
    db.close()
  }
}

const totalsOf = (report: RunReport) => report.load.find((l) => l.sink === "qtest")!.totals

describe("qTest load: SIGKILL at a dozen points, then resume", () => {
  let copy: (spec: string) => string
  let reference: Awaited<ReturnType<typeof readBack>>
  const killedAt: Array<{ point: string; openIntents: ReadonlyArray<string>; recovered: number }> = []

  beforeAll(async () => {
    const s = sandboxes()
    copy = await extractOnce(s)
    const clean = await migrate(s, copy(qtestSpec(s)), ["run"])
    expect(clean.code, clean.stderr + clean.stdout).toBe(0)
    // the points above are chosen for this many writes
    expect(totalsOf(reportOf(clean)).created).toBe(DEMO_WRITES)
    reference = await readBack(s.qtest)
    expect(reference.duplicates).toEqual([])
    expect(reference.counts).toMatchObject({ cases: 25, runs: 52, logs: 96, attachments: 8 })
  }, 120_000)

  it.each(POINTS)(
    "killed at %s: the next run finishes and qTest equals a clean run's, nothing twice",
    async (point) => {
      const s = sandboxes()
      await resetQtest(s.qtest)
      const cwd = copy(qtestSpec(s))
      const killed = await migrate(s, cwd, ["run"], { env: { MIGRATE_FAILPOINT: point } })
      expect(killed.signal, `${point}: not killed\n${killed.stdout}\n${killed.stderr}`).toBe("SIGKILL")
      const open = openIntents(cwd)
      // killed between intent and commit: the write it was in is still open
      if (!point.startsWith("committed")) expect(open.length, point).toBeGreaterThan(0)

      const resumed = await migrate(s, cwd, ["run"])
      expect(resumed.code, `${point}: ${resumed.stderr}\n${resumed.stdout}`).toBe(0)
      expect(openIntents(cwd), point).toEqual([])
      const totals = totalsOf(reportOf(resumed))
      expect(totals.rejected).toBe(0)
      killedAt.push({ point, openIntents: open, recovered: totals.recovered })

      const after = await readBack(s.qtest)
      expect(after.duplicates, point).toEqual([])
      expect(after.counts, point).toEqual(reference.counts)
      expect(after.dump, point).toEqual(reference.dump)
    },
    90_000
  )

  it("the points fell on every kind of object, and an object confirmed but not committed was found, not created again", () => {
    const entities = new Set(killedAt.flatMap((k) => k.openIntents))
    for (const e of ["field", "module", "test-case", "test-log", "attachment"]) expect([...entities], e).toContain(e)
    // a confirmed create whose id map row was lost is recovered by looking qTest up (an approval has nothing to
    // look up: approving again is harmless, and it is sent again)
    const confirmed = killedAt.filter((k) => k.point.startsWith("confirmed"))
    expect(confirmed).toHaveLength(POINTS.filter((p) => p.startsWith("confirmed")).length)
    for (const k of confirmed) if (!k.openIntents.includes("approval")) expect(k.recovered, `${k.point} (open: ${k.openIntents.join(", ")})`).toBeGreaterThan(0)
    expect(confirmed.filter((k) => k.recovered > 0).length).toBeGreaterThanOrEqual(4)
    console.table(killedAt.map((k) => ({ point: k.point, "open intents at the kill": k.openIntents.join(", "), "recovered on resume": k.recovered })))
  })
})
