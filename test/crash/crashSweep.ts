/**
 * The crash sweep: a complete sandbox migration (Zephyr extract + qTest + Snowflake) killed with SIGKILL at
 * boundary k, for k over every kind of boundary a run passes, then resumed with `migrate run` — in a share of the
 * cases killed once more at a later point first (a double crash) — and held to what a clean run leaves: the same
 * qTest objects and Snowflake rows, nothing twice (by Zephyr key and by content), `verify` clean, no open intent,
 * no run left `running`.
 *
 * The boundaries are not guessed: a clean run with `MIGRATE_FAILPOINT_TRACE` writes every one it passes
 * (core/pipeline/Failpoint.ts), and the sweep picks points spread over each kind's occurrences. A kind is a
 * point with its detail: `confirmed@test-log` (qTest confirmed a test log, its id map row not yet committed),
 * `merged@TESTEXECUTION`, `checkpoint@zephyr`, `reported@succeeded`, … Adoption is swept too: after the state is
 * lost, the run that adopts what qTest holds is killed at `adopted@<kind>`.
 *
 * A scenario that kills in the load starts from a copy of a store already extracted (its run extracts
 * incrementally, finding nothing new); one that kills in the extract starts with no state at all — and so does a
 * `overlapping` one: a load boundary a clean first run passes before its extract is done (the qTest load follows
 * the extract), so the kill lands while both run; the scenario records whether the extract was indeed unfinished. Workers run
 * scenarios side by side, each on its own three sandboxes and held to its own clean run (the store keeps the
 * sandbox's URLs, an attachment's for one, so two workers' results differ by their ports).
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { expect } from "@effect/vitest"
import type { CliResult } from "../e2e/cli.ts"
import { fullSpec, migrate, openIntents, resetQtest, resetSnowflake, startSystems, stateRows, targetsOf, workdir, type Systems } from "../support/fullMigration.ts"

/** One place to kill: `<point>@<detail>:<n>` (MIGRATE_FAILPOINT). */
export interface CrashPoint {
  readonly kind: string
  readonly n: number
  /** A second kill in the first resumed run, at the n-th pass of that point (any detail). */
  readonly then?: { readonly point: string; readonly n: number } | undefined
  /** The run killed is one that adopts after the state was lost. */
  readonly adopting?: boolean | undefined
  /** A load boundary killed in a first run from no state, while the extract still runs. */
  readonly overlapping?: boolean | undefined
}

export const failpointOf = (p: CrashPoint) => `${p.kind}:${p.n}`

export type Targets = Awaited<ReturnType<typeof targetsOf>>

export interface Outcome {
  readonly point: CrashPoint
  readonly killed: boolean
  readonly killedTwice: boolean
  readonly survived: boolean
  readonly problem?: string | undefined
  readonly recovered: number
  readonly adopted: number
  readonly ms: number
  /** The state after the kill held an unfinished extract (for an `overlapping` point: the kill fell while both ran). */
  readonly extractUnfinished?: boolean | undefined
}

const TRACE_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "migrate-crash-trace-"))

const isExtractPoint = (kind: string) => kind.startsWith("extract-") || kind.startsWith("checkpoint@")

/**
 * Load boundaries a clean first run passes before its extract is done, as points (`<kind>:<n>`, n counting that
 * kind's occurrences): where a kill falls while the extract and the load run together.
 */
export const overlappingPoints = (trace: ReadonlyArray<string>): ReadonlyArray<CrashPoint> => {
  const seen = new Map<string, number>()
  const points: Array<CrashPoint> = []
  for (const line of trace) {
    if (line === "") continue
    if (line.startsWith("extract-done@")) break
    const n = (seen.get(line) ?? 0) + 1
    seen.set(line, n)
    if (!isExtractPoint(line) && !line.startsWith("adopted@")) points.push({ kind: line, n, overlapping: true })
  }
  return points
}

/** Occurrences per kind, in the order a run first passes them. */
export const countKinds = (trace: ReadonlyArray<string>): ReadonlyMap<string, number> => {
  const counts = new Map<string, number>()
  for (const line of trace) if (line !== "") counts.set(line, (counts.get(line) ?? 0) + 1)
  return counts
}

/**
 * How many of a kind's occurrences a scenario surely passes: all of them, except the extract's commits, which
 * are batches of at most 500 records or one second — how many a run makes depends on how fast it runs.
 */
const sure = (kind: string, n: number) => (kind.startsWith("extract-commit@") || kind.startsWith("checkpoint@") ? Math.max(1, Math.floor(n / 2)) : n)

/** Up to `per` points of each kind, spread over its occurrences: the first, the last and evenly between. */
export const spread = (counts: ReadonlyMap<string, number>, per: number): ReadonlyArray<CrashPoint> =>
  [...counts].flatMap(([kind, all]) => {
    const n = sure(kind, all)
    const picks = new Set<number>([1, n])
    for (let i = 1; picks.size < Math.min(per, n); i++) picks.add(Math.max(1, Math.min(n, Math.round((i * n) / per))))
    return [...picks].sort((a, b) => a - b).map((k) => ({ kind, n: k }))
  })

export interface Sweep {
  readonly systems: Systems
  /** What a clean run leaves in qTest and Snowflake. */
  readonly reference: Targets
  /** Boundary kinds of a clean run from no state, and of an adopting run after the state was lost. */
  readonly kinds: ReadonlyMap<string, number>
  readonly adoptingKinds: ReadonlyMap<string, number>
  /** Load boundaries of a clean run that fall before its extract is done (overlappingPoints). */
  readonly overlapping: ReadonlyArray<CrashPoint>
  /** A working directory whose store holds the demo extracted, to copy for load scenarios. */
  readonly extracted: string
  readonly close: () => Promise<void>
}

const traced = async (systems: Systems, cwd: string, name: string): Promise<{ readonly run: CliResult; readonly trace: ReadonlyArray<string> }> => {
  const file = path.join(TRACE_DIR, `${name}-${process.pid}-${Date.now()}.trace`)
  const run = await migrate(systems, cwd, ["run"], { env: { MIGRATE_FAILPOINT_TRACE: file } })
  expect(run.code, run.stderr + run.stdout).toBe(0)
  return { run, trace: fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n") : [] }
}

const resetTargets = async (systems: Systems) => {
  await resetQtest(systems.qtest)
  await resetSnowflake(systems.snowflake)
}

/** Starts a worker's sandboxes and learns the boundaries and the clean result. */
export const prepareSweep = async (): Promise<Sweep> => {
  const systems = await startSystems()
  const clean = workdir(fullSpec(systems), "migrate-crash-clean-")
  const { trace } = await traced(systems, clean, "clean")
  const reference = await targetsOf(systems)
  expect(reference.duplicates).toEqual([])
  // the state lost: a run that adopts everything qTest holds
  fs.rmSync(path.join(clean, ".migrate"), { recursive: true })
  const { trace: adopting } = await traced(systems, clean, "adopting")
  const extracted = workdir(fullSpec(systems, { sinks: [] }), "migrate-crash-extracted-")
  const extract = await migrate(systems, extracted, ["run"])
  expect(extract.code, extract.stderr + extract.stdout).toBe(0)
  return {
    systems,
    reference,
    kinds: countKinds(trace),
    adoptingKinds: countKinds(adopting.filter((l) => l.startsWith("adopted@"))),
    overlapping: overlappingPoints(trace),
    extracted,
    close: () => systems.close()
  }
}

const reportTotals = (r: CliResult) => {
  const m = /report: (\S+)report\.md/.exec(r.stdout)
  if (!m) return { recovered: 0, adopted: 0 }
  const report = JSON.parse(fs.readFileSync(`${m[1]}report.json`, "utf8")) as { load: ReadonlyArray<{ totals: { recovered: number; adopted: number } }> }
  return report.load.reduce((t, l) => ({ recovered: t.recovered + l.totals.recovered, adopted: t.adopted + l.totals.adopted }), { recovered: 0, adopted: 0 })
}

/** Where two dumps first part: the collection, and the first element that differs (as JSON, shortened). */
const firstDifference = (after: Readonly<Record<string, unknown>>, clean: Readonly<Record<string, unknown>>): string => {
  for (const key of Object.keys(clean)) {
    const a = (after[key] ?? []) as ReadonlyArray<unknown>
    const c = (clean[key] ?? []) as ReadonlyArray<unknown>
    if (JSON.stringify(a) === JSON.stringify(c)) continue
    if (!Array.isArray(a) || !Array.isArray(c)) return key
    const i = c.findIndex((x, k) => JSON.stringify(x) !== JSON.stringify(a[k]))
    return `${key} (${a.length} vs ${c.length}), first at ${i}: ${JSON.stringify(a[i]).slice(0, 400)} ≠ clean ${JSON.stringify(c[i]).slice(0, 400)}`
  }
  return "(order only)"
}

/** One scenario: kill at the point (and maybe again), resume, and hold the result to the clean run's. */
export const runScenario = async (sweep: Sweep, point: CrashPoint): Promise<Outcome> => {
  const started = Date.now()
  const { systems } = sweep
  const fail = (problem: string, killed = false, killedTwice = false): Outcome => ({ point, killed, killedTwice, survived: false, problem, recovered: 0, adopted: 0, ms: Date.now() - started })
  await resetTargets(systems)
  const cwd = workdir(fullSpec(systems), "migrate-crash-")
  if (point.adopting) {
    // a complete migration, then its state lost: the run to kill is the one that adopts
    const first = await migrate(systems, cwd, ["run"])
    if (first.code !== 0) return fail(`the first run failed: ${first.stderr}`)
    fs.rmSync(path.join(cwd, ".migrate"), { recursive: true })
  } else if (!isExtractPoint(point.kind) && point.overlapping !== true) fs.cpSync(path.join(sweep.extracted, ".migrate"), path.join(cwd, ".migrate"), { recursive: true, filter: (p) => !p.includes(`${path.sep}runs`) })

  const killed = await migrate(systems, cwd, ["run"], { env: { MIGRATE_FAILPOINT: failpointOf(point) } })
  if (killed.signal !== "SIGKILL") return fail(`not killed at ${failpointOf(point)} (exit ${killed.code}): the boundary was not reached\n${killed.stderr}`)
  const extractUnfinished = stateRows<{ state_json: string | null }>(cwd, `SELECT state_json FROM checkpoints WHERE name LIKE 'extract:%'`).some(
    (r) => (JSON.parse(r.state_json ?? "null") as { unfinished?: unknown } | null)?.unfinished != null
  )
  let killedTwice = false
  if (point.then) {
    const again = await migrate(systems, cwd, ["run"], { env: { MIGRATE_FAILPOINT: `${point.then.point}:${point.then.n}` } })
    killedTwice = again.signal === "SIGKILL"
    if (!killedTwice && again.code !== 0) return fail(`the run after the first kill failed: exit ${again.code}\n${again.stderr}`, true)
  }
  const resumed = await migrate(systems, cwd, ["run"])
  if (resumed.code !== 0) return fail(`the resumed run failed: exit ${resumed.code}\n${resumed.stderr}\n${resumed.stdout.slice(-2000)}`, true, killedTwice)
  const verify = await migrate(systems, cwd, ["verify"])
  if (verify.code !== 0) return fail(`verify failed after the resume:\n${verify.stdout.slice(0, 3000)}`, true, killedTwice)
  const after = await targetsOf(systems)
  const problems: Array<string> = []
  if (after.duplicates.length > 0) problems.push(`duplicates: ${after.duplicates.slice(0, 5).join("; ")}`)
  if (JSON.stringify(after.counts) !== JSON.stringify(sweep.reference.counts)) problems.push(`counts ${JSON.stringify(after.counts)} ≠ clean ${JSON.stringify(sweep.reference.counts)}`)
  if (JSON.stringify(after.qtest) !== JSON.stringify(sweep.reference.qtest)) problems.push(`qTest differs from a clean run's: ${firstDifference(after.qtest, sweep.reference.qtest)}`)
  if (JSON.stringify(after.snowflake) !== JSON.stringify(sweep.reference.snowflake)) problems.push("Snowflake differs from a clean run's")
  const intents = openIntents(cwd)
  if (intents.length > 0) problems.push(`open intents: ${intents.join(", ")}`)
  const running = stateRows<{ run_id: string }>(cwd, `SELECT run_id FROM runs WHERE status = 'running'`)
  if (running.length > 0) problems.push(`runs left running: ${running.map((r) => r.run_id).join(", ")}`)
  const totals = reportTotals(resumed)
  return { point, killed: true, killedTwice, survived: problems.length === 0, problem: problems.join("; ") || undefined, ...totals, ms: Date.now() - started, extractUnfinished }
}

/** Runs the points over the workers, each taking the next point when it is free. */
export const sweepAll = async (workers: ReadonlyArray<Sweep>, points: ReadonlyArray<CrashPoint>, onDone?: (o: Outcome, i: number) => void): Promise<ReadonlyArray<Outcome>> => {
  const outcomes: Array<Outcome> = []
  let next = 0
  await Promise.all(
    workers.map(async (w) => {
      for (;;) {
        const i = next++
        if (i >= points.length) return
        const outcome = await runScenario(w, points[i]!).catch((e: unknown): Outcome => ({ point: points[i]!, killed: false, killedTwice: false, survived: false, problem: String(e), recovered: 0, adopted: 0, ms: 0 }))
        outcomes.push(outcome)
        onDone?.(outcome, outcomes.length)
      }
    })
  )
  return outcomes
}

/** Boundary kind × points tried × survived, by kind and by point. */
export const table = (outcomes: ReadonlyArray<Outcome>) => {
  const rows = new Map<string, { tried: number; survived: number; twice: number }>()
  for (const o of outcomes) {
    const key = `${o.point.adopting ? "(adopting) " : o.point.overlapping ? "(during extract) " : ""}${o.point.kind}`
    const r = rows.get(key) ?? { tried: 0, survived: 0, twice: 0 }
    r.tried++
    if (o.survived) r.survived++
    if (o.killedTwice) r.twice++
    rows.set(key, r)
  }
  return [...rows].sort(([a], [b]) => a.localeCompare(b)).map(([kind, r]) => ({ "boundary kind": kind, tried: r.tried, survived: r.survived, "killed twice": r.twice }))
}

/** A second kill for every `every`-th point: a boundary the first resumed run surely passes, a little later. */
export const withDoubleCrashes = (points: ReadonlyArray<CrashPoint>, every: number): ReadonlyArray<CrashPoint> =>
  points.map((p, i) => {
    if (i % every !== every - 1) return p
    // the resumed run of a kill in the extract still loads everything; after a kill in the load, it loads what is left
    const later = p.kind.startsWith("staged@") || p.kind.startsWith("merged@") || p.kind.startsWith("finished@") || p.kind.startsWith("reported@")
      ? { point: "reported", n: 1 }
      : isExtractPoint(p.kind)
        ? { point: "confirmed", n: 40 }
        : { point: "merged", n: 3 }
    return { ...p, then: later }
  })
