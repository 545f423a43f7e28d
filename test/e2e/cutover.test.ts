/**
 * `migrate cutover` against the sandboxes of `migrate sandbox` (the same Zephyr throughout, so a change made to
 * it during the cut-over stays there):
 * - after nightly runs, with nothing changing, it passes: exit 0, every sink matches, the signed-off summary
 *   (cutover.md / .html / .json) shows the source beside each target;
 * - when Zephyr is changed while it runs (after its final run read the source), it fails with exit 1 and says
 *   the source changed — and the next cutover, with the source left alone, carries the change and passes.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { servedSecrets, servedSpec } from "../../bench/common.ts"
import { servedSandboxes } from "../support/servedSandboxes.ts"
import type { CutoverSummary } from "../../core/report/CutoverSummary.ts"
import { runCliProcess, tempDir } from "./cli.ts"

const served = servedSandboxes()

const env = () => servedSecrets(served())

/** A migration's directory, its spec pointed at the sandboxes; the qTest project is one of its own. */
const migration = (qtestProject: string): string => {
  const dir = tempDir("migrate-cutover-")
  fs.writeFileSync(path.join(dir, "migration.config.yaml"), servedSpec(served(), { qtestProjectId: qtestProject, snowflakeSchema: `CUTOVER_${qtestProject}` }))
  return dir
}

/** Changes records in the Zephyr sandbox, as a tester still at work would. */
const mutateZephyr = async (body: Record<string, number>) => {
  const z = served()["zephyr"]!
  const r = await fetch(`${new URL(z.baseUrl).origin}/__sandbox/mutate`, {
    method: "POST",
    headers: { authorization: `Bearer ${z.connect["token"]}`, "content-type": "application/json" },
    body: JSON.stringify(body)
  })
  expect(r.status, await r.clone().text()).toBeLessThan(300)
}

const summaryOf = (stdout: string): CutoverSummary => {
  const m = /summary to sign: (\S+)cutover\.md/.exec(stdout)
  expect(m, stdout).not.toBeNull()
  return JSON.parse(fs.readFileSync(`${m![1]}cutover.json`, "utf8")) as CutoverSummary
}

describe("migrate cutover", () => {
  it("passes when nothing changes, fails when the source changes during it, then passes once it is frozen", async () => {
    const cwd = migration(served()["qtest"]!.connect["projectId"]!)
    const nightly = await runCliProcess(["run"], { cwd, env: env(), timeoutMs: 180_000 })
    expect(nightly.code, nightly.stderr).toBe(0)

    // cut-over day, nothing changing
    const quiet = await runCliProcess(["cutover"], { cwd, env: env(), timeoutMs: 180_000 })
    expect(quiet.code, quiet.stdout + quiet.stderr).toBe(0)
    expect(quiet.stdout).toContain("cutover: PASSED")
    const passed = summaryOf(quiet.stdout)
    expect(passed.passed).toBe(true)
    expect(passed.reasons).toEqual([])
    expect(passed.sinks.map((s) => [s.sink, s.ok])).toEqual([["qtest", true], ["snowflake", true]])
    expect(Object.values(passed.changedAtSource ?? { x: { created: 1, updated: 0 } }).every((c) => c.created + c.updated === 0)).toBe(true)
    // the source beside the target: Snowflake holds every test case the store holds
    expect(passed.sinks.find((s) => s.sink === "snowflake")!.entities["TESTCASE"]?.match).toBe(passed.store["TestCase"])
    const dir = path.dirname(/summary to sign: (\S+)/.exec(quiet.stdout)![1]!)
    expect(fs.readFileSync(path.join(dir, "cutover.md"), "utf8")).toMatch(/^# Cut-over: PASSED/)
    expect(fs.readFileSync(path.join(dir, "cutover.html"), "utf8")).toContain('id="verdict"')

    // a tester still at work: Zephyr changes after the final run read it, while the sinks are verified
    let mutated: Promise<void> | undefined
    const busy = await runCliProcess(["cutover"], {
      cwd,
      env: env(),
      timeoutMs: 180_000,
      onStarted: (child) => {
        let out = ""
        child.stdout!.on("data", (d: Buffer) => {
          out += d.toString()
          if (mutated === undefined && out.includes("cutover 2/4")) mutated = mutateZephyr({ changeFraction: 0.2, addCount: 3, seed: 11 })
        })
      }
    })
    expect(mutated, "the source was changed during the cut-over").toBeDefined()
    await mutated
    expect(busy.code, busy.stdout + busy.stderr).toBe(1)
    expect(busy.stdout).toContain("cutover: FAILED")
    expect(busy.stdout).toContain("the source changed while the cut-over ran")
    const failed = summaryOf(busy.stdout)
    expect(failed.passed).toBe(false)
    expect(Object.values(failed.changedAtSource!).reduce((n, c) => n + c.created + c.updated, 0)).toBeGreaterThan(0)
    // the targets themselves still match what the store held: only the source moved on
    expect(failed.sinks.every((s) => s.ok)).toBe(true)

    // the source frozen now: the next cut-over carries the change, and passes
    const again = await runCliProcess(["cutover"], { cwd, env: env(), timeoutMs: 180_000 })
    expect(again.code, again.stdout + again.stderr).toBe(0)
    const final = summaryOf(again.stdout)
    expect(final.passed).toBe(true)
  }, 600_000)
})
