/**
 * Budgets through the CLI against the three sandboxes (issue 12, "a budget test"):
 *
 * - a qTest whose month (`quotaPerMonth`) is smaller than the migration needs: `migrate run` stops before
 *   crossing it — qTest never had to answer a 429 — with exit 4 and a message naming qTest and what remains;
 *   the month reset (`POST /__sandbox/quota/reset`), the next run finishes, and the targets equal a clean run's:
 *   nothing lost, nothing twice, no intent left open;
 * - `runtime.budget.zephyr: { requests: N }` below what the extract needs: the run stops mid-extract with exit 4,
 *   and the next ones, within the same budget, resume the extract and finish with the same result.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import type { RunReport } from "../../core/report/RunReport.ts"
import { fullSpec, migrate, openIntents, reportOf, resetQtest, resetSnowflake, startSystems, targetsOf, workdir, type Systems } from "../support/fullMigration.ts"
import * as fs from "node:fs"
import { lastReport } from "./cli.ts"

let clean: Systems
let reference: Awaited<ReturnType<typeof targetsOf>>
let cleanRequests: RunReport["requests"]

beforeAll(async () => {
  clean = await startSystems()
  const cwd = workdir(fullSpec(clean), "migrate-budget-clean-")
  const run = await migrate(clean, cwd, ["run"])
  expect(run.code, run.stderr + run.stdout).toBe(0)
  cleanRequests = reportOf(run).requests
  reference = await targetsOf(clean)
  expect(reference.duplicates).toEqual([])
}, 300_000)

afterAll(() => clean?.close())

/** The report.json of the run that wrote `<state>/runs/*`, the latest. */

describe("runtime.budget and a monthly quota", () => {
  it("a qTest month smaller than the run: stops before it with exit 4; with a fresh month the next run finishes, equal to a clean run", async () => {
    const needed = cleanRequests["qtest"]!.requests
    const month = Math.floor(needed * 0.6)
    const systems = await startSystems({ qtest: { quotaPerMonth: month, requirements: ["DEMO-1 Login story", "DEMO-2 Checkout story"] } })
    try {
      const cwd = workdir(fullSpec(systems), "migrate-budget-month-")
      const stopped = await migrate(systems, cwd, ["run"])
      expect(stopped.code, stopped.stderr + stopped.stdout).toBe(4)
      expect(stopped.stderr).toContain("qtest: stopped at the budget: qtest reports this month's requests spent")
      expect(stopped.stderr).toMatch(/this run made \d+ qtest requests; requests remaining to finish: /)
      expect(stopped.stderr).toContain("run again when qtest's monthly quota resets")
      // stopped before crossing it: every request qTest got was within the month, none refused; the stop
      // interrupts the (at most four) requests in flight, some before they reach qTest
      expect(systems.qtest.stats().throttled).toBe(0)
      expect(systems.qtest.stats().requests).toBeLessThanOrEqual(month)
      expect(systems.qtest.stats().requests).toBeGreaterThanOrEqual(month - 4)
      const report = lastReport(cwd)
      expect(report.status).toBe("failed")
      expect(report.error?.budget).toMatchObject({ system: "qtest", rule: "monthSpent", monthRemaining: 0, remainingToFinish: null })
      expect(report.error?.budget?.requests).toBe(report.requests["qtest"]?.requests)
      const markdown = fs.readFileSync(`${cwd}/.migrate/runs/${report.runId}/report.md`, "utf8")
      expect(markdown).toContain(`- **stopped at the budget** of qtest (the month's quota reported spent): ${report.error?.budget?.requests} qtest requests made in this run; 0 left this month`)
      // read back through qTest's API, which the spent month would refuse: a fresh month for the reading, another for the run
      systems.qtest.resetQuota()
      expect((await targetsOf(systems)).duplicates).toEqual([])
      systems.qtest.resetQuota()
      const resumed = await migrate(systems, cwd, ["run"])
      expect(resumed.code, resumed.stderr + resumed.stdout).toBe(0)
      expect(systems.qtest.stats().throttled).toBe(0)
      systems.qtest.resetQuota()
      const after = await targetsOf(systems)
      expect(after.duplicates).toEqual([])
      expect(after.counts).toEqual(reference.counts)
      expect(after.qtest).toEqual(reference.qtest)
      // the tables name the Zephyr they came from (attachment URLs): another sandbox here, on another port
      const zephyrNeutral = (tables: object, zephyrBaseUrl: string) => JSON.parse(JSON.stringify(tables).replaceAll(new URL(zephyrBaseUrl).origin, "<zephyr>")) as unknown
      expect(zephyrNeutral(after.snowflake, systems.zephyr.baseUrl)).toEqual(zephyrNeutral(reference.snowflake, clean.zephyr.baseUrl))
      expect(openIntents(cwd)).toEqual([])
      const verify = await migrate(systems, cwd, ["verify"])
      expect(verify.code, verify.stdout + verify.stderr).toBe(0)
    } finally {
      await systems.close()
    }
  }, 600_000)

  it("runtime.budget.zephyr.requests below the extract's needs: stops mid-extract with exit 4, the next runs resume and finish", async () => {
    await resetQtest(clean.qtest)
    await resetSnowflake(clean.snowflake)
    const needed = cleanRequests["zephyr"]!.requests
    const budget = Math.floor(needed * 0.6)
    const cwd = workdir(`${fullSpec(clean)}  budget:\n    zephyr:\n      requests: ${budget}\n`, "migrate-budget-zephyr-")
    clean.zephyr.resetStats()
    const stopped = await migrate(clean, cwd, ["run"])
    expect(stopped.code, stopped.stderr + stopped.stdout).toBe(4)
    expect(stopped.stderr).toContain(`zephyr: stopped at the budget: the budget of ${budget} requests (runtime.budget.zephyr.requests) is spent; this run made ${budget} zephyr requests`)
    expect(stopped.stderr).toContain("raise runtime.budget.zephyr.requests")
    // the request past the budget was not sent (and a request in flight beside it may be cut off before Zephyr saw it)
    expect(clean.zephyr.stats().requests).toBeLessThanOrEqual(budget)
    expect(clean.zephyr.stats().requests).toBeGreaterThanOrEqual(budget - 4)
    expect(lastReport(cwd).error?.budget).toMatchObject({ system: "zephyr", rule: "requests", limit: budget, requests: budget })

    // run again to continue: each run resumes the extract where the last one stopped, within the same budget
    const modes: Array<string> = []
    let resumed = await migrate(clean, cwd, ["run"])
    modes.push(lastReport(cwd).extract.mode)
    for (let i = 0; i < 3 && resumed.code === 4; i++) {
      resumed = await migrate(clean, cwd, ["run"])
      modes.push(lastReport(cwd).extract.mode)
    }
    expect(resumed.code, resumed.stderr + resumed.stdout).toBe(0)
    expect(modes[0]).toBe("resumed")
    expect(reportOf(resumed).requests["zephyr"]!.requests).toBeLessThanOrEqual(budget)
    const after = await targetsOf(clean)
    expect(after.duplicates).toEqual([])
    expect(after.counts).toEqual(reference.counts)
    expect(after.qtest).toEqual(reference.qtest)
    expect(after.snowflake).toEqual(reference.snowflake)
    expect(openIntents(cwd)).toEqual([])
  }, 600_000)
})
