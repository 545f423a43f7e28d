/**
 * A kill at every boundary (crashSweep.ts). By default (`npm test`) a quick subset: one point of every kind of
 * boundary type — extract commit, checkpoint, extract completed, a write's intent / confirmation / id-map commit
 * across the qTest object kinds, a Snowflake staging and MERGE, the run's end and its report, an adoption — and two
 * double crashes — and three kills in a first run's load while its extract still runs. `npm run test:crash`
 * (CRASH_SWEEP=full) sweeps every kind, up to four points each spread over its occurrences, and about 24 load
 * boundaries passed during the extract, a fifth of them with a second kill, and prints boundary kind × tried × survived.
 */
import * as fs from "node:fs"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { type CrashPoint, failpointOf, type Outcome, prepareSweep, spread, type Sweep, sweepAll, table, withDoubleCrashes } from "./crashSweep.ts"

const FULL = process.env["CRASH_SWEEP"] === "full"
/**
 * `CRASH_POINTS="confirmed@test-log:30,adopted@attachment:1,during:intent@test-case:3"` replays chosen points (a
 * point of an adopting run: its kind starts with `adopted@`; `during:` kills a first run while its extract runs) —
 * how a failure the sweep printed is reproduced.
 */
const ONLY: ReadonlyArray<CrashPoint> | undefined = process.env["CRASH_POINTS"]?.split(",").map((p) => {
  const [kind, n] = p.trim().split(/:(?=\d+$)/)
  const during = kind!.startsWith("during:")
  const name = during ? kind!.slice("during:".length) : kind!
  return { kind: name, n: Number(n), ...(name.startsWith("adopted@") ? { adopting: true } : {}), ...(during ? { overlapping: true } : {}) }
})
const WORKERS = Number(process.env["CRASH_WORKERS"] ?? 2)

/** The quick subset: a point of each boundary type, over different object kinds and tables. */
const QUICK: ReadonlyArray<CrashPoint> = [
  { kind: "extract-commit@zephyr", n: 1 },
  { kind: "checkpoint@zephyr", n: 2 },
  { kind: "extract-done@zephyr", n: 1, then: { point: "confirmed", n: 40 } },
  { kind: "confirmed@field", n: 1 },
  { kind: "committed@module", n: 3 },
  { kind: "intent@test-case", n: 4 },
  { kind: "confirmed@approval", n: 2 },
  { kind: "confirmed@test-run", n: 9, then: { point: "merged", n: 3 } },
  { kind: "confirmed@test-log", n: 30 },
  { kind: "confirmed@attachment", n: 2 },
  { kind: "staged@TESTCASE", n: 1 },
  { kind: "merged@TESTEXECUTION", n: 1 },
  { kind: "finished@succeeded", n: 1 },
  { kind: "reported@succeeded", n: 1 },
  { kind: "adopted@test-log", n: 20, adopting: true }
]

let workers: Array<Sweep> = []

beforeAll(async () => {
  workers = await Promise.all(Array.from({ length: WORKERS }, () => prepareSweep()))
}, 300_000)

afterAll(async () => {
  for (const w of workers) await w.close()
})

const report = (outcomes: ReadonlyArray<Outcome>) => {
  const rows = table(outcomes)
  console.table(rows)
  const failed = outcomes.filter((o) => !o.survived)
  const file = process.env["CRASH_SWEEP_REPORT"]
  if (file) fs.writeFileSync(file, JSON.stringify({ rows, outcomes }, null, 2))
  return failed.map((o) => `${o.point.adopting ? "(adopting) " : ""}${failpointOf(o.point)}${o.point.then ? ` then ${o.point.then.point}:${o.point.then.n}` : ""}: ${o.problem}`)
}

describe("a kill at every boundary, then resume: the result equals a clean run's", () => {
  it.runIf(!FULL)(
    "the quick subset: every boundary type once, two double crashes",
    async () => {
      const { kinds, adoptingKinds, overlapping } = workers[0]!
      for (const p of QUICK) expect((p.adopting ? adoptingKinds : kinds).get(p.kind) ?? 0, `${p.kind} is a boundary of a clean run`).toBeGreaterThanOrEqual(p.n)
      // the load follows the extract: some of its boundaries come before the extract is done — three of them
      expect(overlapping.length, "load boundaries passed while the extract runs").toBeGreaterThan(10)
      // from the first half: a loaded machine slows the load against the extract, and a late point may then fall after its end
      const during = [overlapping[0]!, overlapping[Math.floor(overlapping.length / 6)]!, overlapping[Math.floor(overlapping.length / 2)]!]
      const outcomes = await sweepAll(workers, [...QUICK, ...during])
      expect(report(outcomes)).toEqual([])
      // the kills fell while both ran (timing may move the last one past the extract's end, not the first two)
      expect(outcomes.filter((o) => o.point.overlapping === true && o.extractUnfinished === true).length).toBeGreaterThanOrEqual(2)
      expect(outcomes.filter((o) => o.killedTwice).length).toBe(2)
      // a create qTest confirmed but the state never recorded is found by its recovery key, not made again
      for (const o of outcomes.filter((x) => x.point.then === undefined && /^confirmed@(field|test-log|attachment|test-run)$/.test(x.point.kind)))
        expect(o.recovered, `${failpointOf(o.point)}: recovered on resume`).toBeGreaterThan(0)
    },
    900_000
  )

  it.runIf(FULL)(
    "the full sweep: every kind of boundary, at least 200 points, a fifth of them killed twice",
    async () => {
      const { kinds, adoptingKinds, overlapping } = workers[0]!
      // about 24 kills while the extract runs, spread over the load boundaries that come before its end
      const during = overlapping.filter((_, i) => i % Math.max(1, Math.floor(overlapping.length / 24)) === 0)
      const points = ONLY ?? withDoubleCrashes([...spread(kinds, 4), ...spread(adoptingKinds, 4).map((p) => ({ ...p, adopting: true })), ...during], 5)
      if (ONLY === undefined) expect(points.length).toBeGreaterThanOrEqual(200)
      const started = Date.now()
      const outcomes = await sweepAll(workers, points, (o, i) => {
        if (!o.survived || i % 20 === 0) console.log(`${i}/${points.length} ${failpointOf(o.point)} ${o.survived ? "survived" : `FAILED: ${o.problem}`} (${Math.round((Date.now() - started) / 1000)} s)`)
      })
      const failures = report(outcomes)
      console.log(`${outcomes.length} points over ${new Set(points.map((p) => p.kind)).size} kinds; ${outcomes.filter((o) => o.survived).length} survived; ${outcomes.filter((o) => o.killedTwice).length} killed twice; ${Math.round((Date.now() - started) / 1000)} s`)
      expect(failures).toEqual([])
    },
    6 * 3600_000
  )
})
