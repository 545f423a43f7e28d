/**
 * One run at a time per state, for real: two CLI processes on one state file, the second started while the first
 * is at each phase — it has just taken the state, it extracts, it loads qTest, it loads Snowflake, it verifies.
 * The second exits 75 naming the holder (its command, process and start) and changes nothing; the first finishes,
 * and the targets hold exactly what a clean run leaves, nothing twice. A holder killed with SIGKILL leaves no lock
 * in the way: the next run takes the state over, closes the dead run as `died`, and converges. `plan` may read
 * while a run holds the state (it plans from a snapshot and writes nothing), and says so.
 *
 * The sandboxes answer with a little latency, so each phase lasts long enough to be caught; the phase a run is in
 * is read from its progress lines on stderr (`→ extract zephyr`, `→ load qtest`, …).
 */
import type { ChildProcess } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { runCliProcess, type CliResult } from "./cli.ts"
import { envOf, fullSpec, migrate, openIntents, resetQtest, resetSnowflake, startSystems, stateRows, targetsOf, workdir, type Systems } from "../support/fullMigration.ts"

let systems: Systems
let reference: Awaited<ReturnType<typeof targetsOf>>

beforeAll(async () => {
  systems = await startSystems({ zephyr: { latencyMs: 8 }, qtest: { latencyMs: 4, requirements: ["DEMO-1 Login story", "DEMO-2 Checkout story"] }, snowflake: { latencyMs: 60 } })
  const clean = await migrate(systems, workdir(fullSpec(systems)), ["run"])
  expect(clean.code, clean.stderr + clean.stdout).toBe(0)
  reference = await targetsOf(systems)
}, 240_000)

afterAll(() => systems?.close())

/** Starts `migrate <args>` in cwd and resolves once its stderr shows `marker` (or the holder file appears). */
const startUntil = (cwd: string, args: ReadonlyArray<string>, marker: string | "locked") => {
  let child: ChildProcess | undefined
  let stderr = ""
  const done = runCliProcess(args, {
    cwd,
    env: envOf(systems),
    timeoutMs: 240_000,
    onStarted: (c) => {
      child = c
      c.stderr?.on("data", (d: Buffer) => (stderr += d.toString()))
    }
  })
  const reached = new Promise<void>((resolve, reject) => {
    const started = Date.now()
    const poll = setInterval(() => {
      const seen = marker === "locked" ? fs.existsSync(path.join(cwd, ".migrate/state.db.lock.json")) : stderr.includes(marker)
      if (seen) {
        clearInterval(poll)
        resolve()
      } else if (Date.now() - started > 120_000) {
        clearInterval(poll)
        reject(new Error(`never reached ${marker}:\n${stderr}`))
      }
    }, 5)
    void done.then(() => {
      clearInterval(poll)
      if (!(marker === "locked" ? true : stderr.includes(marker))) reject(new Error(`ended before ${marker}:\n${stderr}`))
      else resolve()
    })
  })
  return { done, reached, pid: () => child?.pid }
}

const expectRefused = (r: CliResult, holderPid: number | undefined, holderCommand: string) => {
  expect(r.code, r.stderr + r.stdout).toBe(75)
  expect(r.stderr).toMatch(new RegExp(`is in use by \`migrate ${holderCommand}[^\`]*\` \\(process ${holderPid} on [^,]+(, run \\S+)?\\) since \\d{4}-\\d\\d-\\d\\dT`))
  expect(r.stderr).toContain("wait for it to finish and run again")
  expect(r.stderr).not.toMatch(/^\s+at /m)
}

const fresh = async () => {
  await resetQtest(systems.qtest)
  await resetSnowflake(systems.snowflake)
  return workdir(fullSpec(systems))
}

const expectClean = async (cwd: string) => {
  const after = await targetsOf(systems)
  expect(after.duplicates).toEqual([])
  expect(after.qtest).toEqual(reference.qtest)
  expect(after.snowflake).toEqual(reference.snowflake)
  expect(openIntents(cwd)).toEqual([])
}

describe("one run at a time: a second process on the same state", () => {
  it.each([
    ["has just taken the state", "locked"],
    ["extracts", "→ extract zephyr"],
    ["loads qTest", "→ load qtest"],
    ["loads Snowflake", "→ load snowflake"]
  ] as const)(
    "while the first %s: the second exits 75 naming it, the first finishes, nothing twice",
    async (_phase, marker) => {
      const cwd = await fresh()
      const first = startUntil(cwd, ["run"], marker)
      await first.reached
      const second = await migrate(systems, cwd, ["run"])
      expectRefused(second, first.pid(), "run")
      const result = await first.done
      expect(result.code, result.stderr + result.stdout).toBe(0)
      expect(stateRows<{ status: string }>(cwd, `SELECT status FROM runs`).map((r) => r.status)).toEqual(["succeeded"])
      await expectClean(cwd)
    },
    240_000
  )

  it("a run and a verify exclude each other; plan reads alongside, and says so", async () => {
    const cwd = await fresh()
    const first = startUntil(cwd, ["run"], "→ load qtest")
    await first.reached
    expectRefused(await migrate(systems, cwd, ["verify"]), first.pid(), "run")
    const plan = await migrate(systems, cwd, ["plan"])
    expect(plan.code, plan.stderr + plan.stdout).toBe(0)
    expect(plan.stdout + plan.stderr).toMatch(/is in use by `migrate run[^`]*` \(process \d+[^)]*\) since \S+: this plan reads the state as it is now/)
    expect((await first.done).code).toBe(0)

    const verify = startUntil(cwd, ["verify"], "locked")
    await verify.reached
    expectRefused(await migrate(systems, cwd, ["run"]), verify.pid(), "verify")
    expect((await verify.done).code).toBe(0)
    await expectClean(cwd)
  }, 240_000)

  it("a holder killed with SIGKILL: the next run takes the state over, closes the dead run as died, and converges", async () => {
    const cwd = await fresh()
    const first = startUntil(cwd, ["run"], "→ load qtest")
    await first.reached
    await new Promise((r) => setTimeout(r, 300))
    process.kill(first.pid()!, "SIGKILL")
    expect((await first.done).signal).toBe("SIGKILL")
    const status = await migrate(systems, cwd, ["status"])
    expect(status.stdout).toContain("not in use")
    expect(status.stdout).toMatch(/\S+\s+died\s/)
    const next = await migrate(systems, cwd, ["run"])
    expect(next.code, next.stderr + next.stdout).toBe(0)
    expect(stateRows<{ status: string }>(cwd, `SELECT status FROM runs ORDER BY started_at`).map((r) => r.status)).toEqual(["died", "succeeded"])
    await expectClean(cwd)
  }, 240_000)
})
