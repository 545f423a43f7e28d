/**
 * The estimate of `migrate plan`, through the CLI: on the demo tenant (`--sandbox`: Zephyr → qTest and
 * Snowflake), the requests it expects per system are within 5% of what the run that follows makes — on a first
 * run and on an incremental one — and that run's report sets one against the other; a run no plan preceded says
 * so. With a spec's `runtime.budget`, the plan warns of a budget the run would cross.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import type { RunReport } from "../../core/report/RunReport.ts"
import { runCliProcess, tempDir, type CliResult } from "./cli.ts"
import { migrate, qtestSpec, useSandboxes, workdir } from "./qtestHelpers.ts"

const reportOf = (r: CliResult, event: "plan" | "summary"): RunReport => {
  const line = r.stdout.split("\n").find((l) => l.startsWith(`{"event":"${event}"`))
  if (line === undefined) throw new Error(`no ${event} event in:\n${r.stdout}\n${r.stderr}`)
  return (JSON.parse(line) as { report: RunReport }).report
}

const cli = async (cwd: string, args: ReadonlyArray<string>) => {
  const r = await runCliProcess(args, { cwd, timeoutMs: 120_000 })
  expect(r.code, r.stderr + r.stdout).toBe(0)
  return r
}

/** Plans, runs, and checks the run against the plan: every system within 5%, the plan's file consumed. */
const planThenRun = async (cwd: string) => {
  const planned = reportOf(await cli(cwd, ["plan", "--sandbox", "--json"]), "plan")
  const estimate = planned.estimate!
  expect(Object.keys(estimate.systems).sort()).toEqual(["qtest", "snowflake", "zephyr"])
  const kept = path.join(cwd, ".migrate/sandbox.db.plan.json")
  expect(fs.existsSync(kept)).toBe(true)

  const ran = reportOf(await cli(cwd, ["run", "--sandbox", "--json"]), "summary")
  expect(ran.estimate).toEqual(estimate)
  const made = Object.fromEntries(Object.keys(estimate.systems).map((s) => [s, ran.requests[s]?.requests ?? 0]))
  for (const [system, s] of Object.entries(estimate.systems)) {
    expect(made[system], system).toBeGreaterThan(0)
    expect(Math.abs(s.requests - made[system]!) / made[system]!, `${system}: estimated ${s.requests}, made ${made[system]}`).toBeLessThanOrEqual(0.05)
  }
  expect(fs.existsSync(kept)).toBe(false)
  const markdown = fs.readFileSync(path.join(cwd, ".migrate/runs", ran.runId, "report.md"), "utf8")
  expect(markdown).toContain(`Estimated by the plan at ${estimate.plannedAt}`)
  for (const system of Object.keys(estimate.systems)) expect(markdown).toMatch(new RegExp(`\\| ${system} \\| ${estimate.systems[system]!.requests} \\| ${made[system]} \\|`))
  return { estimate, made }
}

describe("migrate plan: the estimate of the run", () => {
  it("on the demo tenant: within 5% per system, first and incremental; a run without a plan says so", async () => {
    const cwd = tempDir()
    const first = await planThenRun(cwd)
    // a first plan's sinks announce most of their requests (writes, reads of what they create first)
    expect(first.estimate.systems["qtest"]!.planned).toBeGreaterThan(first.estimate.systems["qtest"]!.measured)
    expect(first.estimate.systems["snowflake"]!.planned).toBeGreaterThan(0)

    // an incremental plan: durations now at the first run's pace
    const second = await planThenRun(cwd)
    for (const s of Object.values(second.estimate.systems)) expect(s.rate?.from).toBe("last run")
    expect(second.estimate.pipelinedMs).toBe(Math.max(...Object.values(second.estimate.systems).map((s) => s.durationMs!)))

    const alone = await cli(cwd, ["run", "--sandbox", "--json"])
    const report = reportOf(alone, "summary")
    expect(report.estimate).toBeNull()
    expect(fs.readFileSync(path.join(cwd, ".migrate/runs", report.runId, "report.md"), "utf8")).toContain("No plan preceded this run")
    const human = await cli(cwd, ["run", "--sandbox"])
    expect(human.stdout).toContain("estimate: no plan preceded this run")
  }, 240_000)
})

describe("migrate plan: budgets", () => {
  // a gateway quota, so qTest reports what is left of its month (x-ratelimit-remaining-month)
  const sandboxes = useSandboxes({ rateLimit: 10_000 })

  it("warns of a budget the run would cross, and of one it cannot check; not of one it keeps", async () => {
    const s = sandboxes()
    const spec = (budget: string) => `${qtestSpec(s)}  budget:\n${budget}`
    const over = workdir(spec("    qtest: { requests: 100 }\n    zephyr: { leaveMonthly: 10 }\n"))
    const planned = await migrate(s, over, ["plan"])
    expect(planned.code, planned.stderr + planned.stdout).toBe(0)
    expect(planned.stdout).toMatch(/warning: qtest: the run needs about [\d,]+ requests, more than runtime\.budget\.qtest\.requests \(100\)/)
    // the Zephyr sandbox sends no quota headers
    expect(planned.stdout).toContain("warning: zephyr: runtime.budget.zephyr.leaveMonthly cannot be checked before the run")

    // what the plans themselves read stays above the line (a budget binds a plan too); what the run needs would cross it
    const month = workdir(spec("    qtest: { leaveMonthly: 999800 }\n"))
    const json = reportOf(await migrate(s, month, ["plan", "--json"]), "plan")
    expect(json.estimate!.warnings).toEqual([expect.stringMatching(/^qtest: the run needs about [\d,]+ requests and qtest has [\d,]+ left this month/)])

    const within = workdir(spec("    qtest: { requests: 100000 }\n"))
    const fine = reportOf(await migrate(s, within, ["plan", "--json"]), "plan")
    expect(fine.estimate!.warnings).toEqual([])
    expect(fine.estimate!.systems["qtest"]!.requests).toBeGreaterThan(100)
  }, 180_000)
})
