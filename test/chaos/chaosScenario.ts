/**
 * A chaos scenario from start to verdict: start the three sandboxes misbehaving as the scenario says, run the
 * complete migration (with whatever the scenario does meanwhile, e.g. a restart after N requests), and — when the
 * run stops — check that it stopped with a clear error, remove the fault (or do what a user would, e.g. put a
 * new token in the spec) and run again. Then heal the sandboxes, read everything back and hold it to the clean
 * run's: qTest's dump, no duplicates, Snowflake's tables, the store, no open intent, `verify` clean.
 */
import { expect } from "@effect/vitest"
import type { RunReport } from "../../core/report/RunReport.ts"
import type { ReportCounts, SandboxCounts, ScenarioOutcome } from "./ChaosTable.ts"
import { reportCounts } from "./ChaosTable.ts"
import { type ChaosTargets, type Misbehaviour, startTargets, SYSTEMS, type System } from "./ChaosTargets.ts"
import { type ChaosOutcome, readOutcome } from "./chaosOutcome.ts"
import { inLane } from "./lanes.ts"
import { type ChaosRun, type ChaosRunOptions, runChaos } from "./runChaos.ts"

export interface ScenarioSpec {
  readonly misbehaviour: Misbehaviour
  readonly run?: ChaosRunOptions | undefined
  /** Started with the first run, e.g. `t => t.qtest.restartAfter(200)`. */
  readonly during?: ((t: ChaosTargets) => Promise<unknown>) | undefined
  /**
   * After a run that stopped: what a user does before running again (default: the fault goes away — every
   * misbehaving sandbox restarts without it); answers the options of the next run.
   */
  readonly resume?: ((t: ChaosTargets, stopped: ChaosRun) => Promise<ChaosRunOptions>) | undefined
  /** Runs before the one under test, against healthy sandboxes (e.g. a first load the scenario then updates). */
  readonly before?: ((t: ChaosTargets) => Promise<void>) | undefined
  /** How a run is made: in-process (default) or through the CLI (runChaosCli.ts). */
  readonly runner?: ((t: ChaosTargets, o: ChaosRunOptions) => Promise<ChaosRun>) | undefined
}

export interface ScenarioResult {
  readonly runs: ReadonlyArray<ChaosRun>
  readonly outcome: ScenarioOutcome
  readonly end: ChaosOutcome
  /** What each sandbox saw during the runs under test (every instance, restarts included). */
  readonly sandbox: Readonly<Record<System, SandboxCounts>>
  /** The runs' reports summed per system. */
  readonly report: Readonly<Record<System, ReportCounts>>
}

const sum = <S>(instances: ReadonlyArray<S>, f: (s: S) => number) => instances.reduce((n, s) => n + f(s), 0)

/** Counters of every instance, minus what they had before the runs under test. */
const sandboxCounts = (t: ChaosTargets): Record<System, SandboxCounts> => ({
  zephyr: {
    requests: sum(t.zephyr.instances(), (s) => s.stats().requests),
    faults: sum(t.zephyr.instances(), (s) => s.stats().faults),
    throttled: sum(t.zephyr.instances(), (s) => s.stats().throttled)
  },
  qtest: {
    requests: sum(t.qtest.instances(), (s) => s.stats().requests),
    faults: sum(t.qtest.instances(), (s) => s.stats().faults),
    throttled: sum(t.qtest.instances(), (s) => s.stats().throttled)
  },
  snowflake: {
    requests: sum(t.snowflake.instances(), (s) => s.stats().statements),
    faults: sum(t.snowflake.instances(), (s) => s.stats().faults),
    throttled: sum(t.snowflake.instances(), (s) => s.stats().throttled),
    resent: sum(t.snowflake.instances(), (s) => s.stats().resent)
  }
})

const minus = (a: SandboxCounts, b: SandboxCounts): SandboxCounts => ({
  requests: a.requests - b.requests,
  faults: a.faults - b.faults,
  throttled: a.throttled - b.throttled,
  ...(a.resent === undefined ? {} : { resent: a.resent - (b.resent ?? 0) })
})

/** A stop a user can act on: a SystemError naming the system, a hint saying what to do, no stack trace. */
export const expectClearStop = (run: ChaosRun): void => {
  const f = run.failure
  expect(f, "the run stopped").toBeDefined()
  expect(f!.tag).toBe("SystemError")
  expect(f!.hint ?? "").not.toBe("")
  expect(`${f!.message}\n${f!.hint}`).not.toMatch(/\n\s+at .+:\d+:\d+/)
  expect(run.report.status).toBe("failed")
  expect(run.report.error?.hint).toBe(f!.hint)
  expect(f!.message).toContain(run.report.error?.message ?? "")
}

/** Runs the scenario when a lane is free (lanes.ts); its sandboxes are stopped whatever happens. */
export const runScenario = (spec: ScenarioSpec): Promise<ScenarioResult> =>
  inLane(async () => {
    // the scenario's misbehaviour starts with the runs under test, after any healthy run before them
    const t = await startTargets(spec.before === undefined ? spec.misbehaviour : {})
    try {
      return await scenarioOn(t, spec)
    } finally {
      await t.stop()
    }
  })

const scenarioOn = async (t: ChaosTargets, spec: ScenarioSpec): Promise<ScenarioResult> => {
  if (spec.before !== undefined) {
    await spec.before(t)
    for (const system of SYSTEMS) {
      const change = spec.misbehaviour[system]
      if (change !== undefined) await (t[system] as { restart: (c: object, d: number) => Promise<void> }).restart(change, 0)
    }
  }
  const before = sandboxCounts(t)
  const runs: Array<ChaosRun> = []
  const run = spec.runner ?? runChaos
  const meanwhile = spec.during?.(t)
  runs.push(await run(t, spec.run ?? {}))
  for (const system of SYSTEMS) t[system].cancel()
  await meanwhile
  let outcome: ScenarioOutcome = "converged"
  if (runs[0]!.failure !== undefined) {
    expectClearStop(runs[0]!)
    outcome = "stopped-and-resumed"
    const next = spec.resume === undefined ? (await t.heal(), {}) : await spec.resume(t, runs[0]!)
    runs.push(await run(t, next))
  }
  const last = runs[runs.length - 1]!
  expect(last.failure, `the last run failed: ${last.failure?.message}\n${last.failure?.hint}`).toBeUndefined()
  expect(last.report.status).toBe("succeeded")
  const after = sandboxCounts(t)
  const sandbox = { zephyr: minus(after.zephyr, before.zephyr), qtest: minus(after.qtest, before.qtest), snowflake: minus(after.snowflake, before.snowflake) }
  const reports: ReadonlyArray<RunReport> = runs.map((r) => r.report)
  const report = { zephyr: reportCounts(reports, "zephyr"), qtest: reportCounts(reports, "qtest"), snowflake: reportCounts(reports, "snowflake") }
  await t.heal()
  const end = await readOutcome(t)
  return { runs, outcome, end, sandbox, report }
}

/** The scenario ended as the clean run did: the same targets, the same store, and `verify` saying the same. */
export const expectSameEnd = (end: ChaosOutcome, clean: ChaosOutcome): void => {
  expect(end.openIntents, "open intents").toEqual([])
  expect(end.store.quarantined, "quarantined").toEqual(clean.store.quarantined)
  for (const [entity, rows] of Object.entries(clean.store.records)) expect(end.store.records[entity], `store ${entity}`).toEqual(rows)
  expect(end.qtestDuplicates, "qTest objects twice").toEqual([])
  // as clean as the clean run's (whose own verify is held to be clean where the sinks are: see cleanRun)
  expect(end.verify, "verify").toEqual(clean.verify)
  expect(end.qtestCounts).toEqual(clean.qtestCounts)
  expect(end.qtest).toEqual(clean.qtest)
  expect(end.snowflake).toEqual(clean.snowflake)
  expect(end.store).toEqual(clean.store)
}

/**
 * A sink's load counts summed over a scenario's runs — but for the values added to picklists, which the load adds
 * in batches as the passes that follow the extract find them (how many batches depends on timing; the values, on
 * the data: qTest's dump compares them). Given `only`, that entity's alone.
 */
export const loadTotals = (r: ScenarioResult, sink: string, only?: string) =>
  r.runs
    .map((run) => {
      const load = run.report.load.find((l) => l.sink === sink)
      const counted = Object.entries(load?.entities ?? {}).filter(([entity]) => entity !== "field-values" && (only === undefined || entity === only))
      const sum = (k: "created" | "updated" | "unchanged" | "recovered") => counted.reduce((n, [, c]) => n + c[k], 0)
      return { created: sum("created"), updated: sum("updated"), unchanged: sum("unchanged"), recovered: sum("recovered") }
    })
    .reduce(
      (sum, t) => ({ created: sum.created + (t?.created ?? 0), updated: sum.updated + (t?.updated ?? 0), unchanged: sum.unchanged + (t?.unchanged ?? 0), recovered: sum.recovered + (t?.recovered ?? 0) }),
      { created: 0, updated: 0, unchanged: 0, recovered: 0 }
    )

/**
 * Every object counted once: a scenario that converged reports what the clean run reports — an object whose
 * answer was lost and that was found again is one created object, not two, nor an unchanged one. One that
 * stopped and resumed created, between its runs, what the clean run created (found again after the stop:
 * recovered), and updated what it updated.
 */
export const expectSameCounts = (r: ScenarioResult, clean: ScenarioResult): void => {
  for (const sink of ["qtest", "snowflake"]) {
    const got = loadTotals(r, sink)
    const want = loadTotals(clean, sink)
    if (r.outcome === "converged") expect(got, `${sink} load counts`).toEqual(want)
    else {
      // A pass that followed the extract may have written a qTest test run while only some of its pair's executions
      // were in the store (a pair's executions are not adjacent in the source's id order); the resumed run then
      // updates it to the pair's latest execution (StoreHorizon.ts). Such updates are the test runs' only licence.
      const runsUpdated = loadTotals(r, sink, "test-run").updated - loadTotals(clean, sink, "test-run").updated
      expect({ written: got.created + got.recovered, updated: got.updated - Math.max(0, runsUpdated) }, `${sink} load counts`).toEqual({
        written: want.created + want.recovered,
        updated: want.updated
      })
    }
  }
}

/** The clean run every scenario of a file is compared with. */
export const cleanRun = async () => {
  const r = await runScenario({ misbehaviour: {} })
  expect(r.outcome).toBe("converged")
  expect(r.end.openIntents).toEqual([])
  expect(r.end.qtestDuplicates).toEqual([])
  expect(r.end.verify.every((v) => v.ok)).toBe(true)
  return r
}

/**
 * The run reports told the truth about `system`: every request the sandbox saw was counted, and a request the
 * sandbox never saw (a connection reset or refused on the way) only as a failed attempt; and, when the runs
 * converged without a stop (which interrupts requests in flight), every 429 as a throttle, every injected
 * failure as a failed attempt, and every failed attempt retried. Snowflake's requests are the statements sent;
 * the driver's own re-sends of them (the sandbox's `resent`) are among its retries.
 */
export const expectTruthfulCounts = (r: ScenarioResult, system: System): void => {
  const report = r.report[system]
  const sandbox = r.sandbox[system]
  const unseen = report.requests - sandbox.requests
  expect(unseen, `${system}: requests the sandbox saw but the report did not count`).toBeGreaterThanOrEqual(0)
  // a statement the driver refuses on a lost connection never leaves the process
  if (system === "snowflake") expect(report.failed, "snowflake statements that never reached the sandbox failed").toBeGreaterThanOrEqual(unseen)
  // a run that stopped interrupted its requests in flight: sent and counted, neither failed nor answered
  if (r.outcome !== "converged") return
  // A 429 is counted when it is retried. An attempt that timed out on a loaded machine may have been answered 429
  // after the client stopped waiting: the sandbox counted a throttle that the client saw as a time-out.
  expect(report.throttled, `${system} throttles`).toBeLessThanOrEqual(sandbox.throttled)
  expect(sandbox.throttled, `${system} throttles, with the time-outs that may have hidden one`).toBeLessThanOrEqual(report.throttled + report.timedOut)
  expect(report.failed, `${system} failed attempts`).toBeGreaterThanOrEqual(sandbox.faults + sandbox.throttled + unseen)
  // the driver's own re-sends of a statement are among the report's retries
  if (system === "snowflake") expect(report.retries, "snowflake retries").toBeGreaterThanOrEqual(sandbox.resent ?? 0)
  else expect(report.retries, `${system} retries`).toBe(report.failed)
}
