/**
 * No loss of state can make a run create its objects twice. A state emptied (`: > state.db`), deleted with its
 * directory, never there (a new CI runner without the cached state) or restored from an older copy still finds
 * what the migration already made in qTest — by Zephyr Key, Zephyr Execution Key, module and cycle paths — and
 * adopts it into the id map before it creates anything: 0 objects made twice, the report says how many of each
 * kind were adopted, and qTest and Snowflake end exactly as a clean run leaves them. `verify` counts what a
 * state does not map but that carries one of its Zephyr keys as extra: a duplicate, whatever made it.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import type { RunReport } from "../../core/report/RunReport.ts"
import { fullSpec, loadOf, migrate, openIntents, reportOf, resetQtest, resetSnowflake, startSystems, targetsOf, workdir, type Systems } from "../support/fullMigration.ts"

let systems: Systems
let reference: Awaited<ReturnType<typeof targetsOf>>

const qtestTotals = (report: RunReport) => loadOf(report, "qtest")!.totals

beforeAll(async () => {
  systems = await startSystems()
  const clean = await migrate(systems, workdir(fullSpec(systems)), ["run"])
  expect(clean.code, clean.stderr + clean.stdout).toBe(0)
  reference = await targetsOf(systems)
  expect(reference.duplicates).toEqual([])
}, 180_000)

afterAll(() => systems?.close())

/** A first run into empty targets; answers its working directory. */
const firstRun = async (): Promise<string> => {
  await resetQtest(systems.qtest)
  await resetSnowflake(systems.snowflake)
  const cwd = workdir(fullSpec(systems))
  const r = await migrate(systems, cwd, ["run"])
  expect(r.code, r.stderr + r.stdout).toBe(0)
  expect(qtestTotals(reportOf(r)).adopted).toBe(0)
  return cwd
}

/** The run after the state was lost: nothing created, everything adopted, targets as a clean run's, verify clean. */
const expectAdopted = async (cwd: string) => {
  const r = await migrate(systems, cwd, ["run"])
  expect(r.code, r.stderr + r.stdout).toBe(0)
  const report = reportOf(r)
  const qtest = loadOf(report, "qtest")!
  expect(qtest.totals.created, JSON.stringify(qtest.entities)).toBe(0)
  for (const kind of ["module", "test-case", "approval", "release", "cycle-folder", "test-cycle", "test-run", "test-log", "attachment"])
    expect(qtest.entities[kind]?.adopted ?? 0, kind).toBeGreaterThan(0)
  expect(r.stdout).toMatch(/test-case\s+0 created\s+\d+ updated\s+\d+ unchanged\s+25 adopted/)
  expect(report.notes.some((n) => n.message.includes("holds objects this state does not know"))).toBe(true)
  const after = await targetsOf(systems)
  expect(after.duplicates).toEqual([])
  expect(after.counts).toEqual(reference.counts)
  expect(after.qtest).toEqual(reference.qtest)
  expect(after.snowflake).toEqual(reference.snowflake)
  const verify = await migrate(systems, cwd, ["verify"])
  expect(verify.code, verify.stdout + verify.stderr).toBe(0)
  expect(openIntents(cwd)).toEqual([])
  return report
}

describe("a lost state adopts what qTest holds instead of creating it again", () => {
  it("an emptied state file (`: > state.db`)", async () => {
    const cwd = await firstRun()
    const state = path.join(cwd, ".migrate/state.db")
    fs.writeFileSync(state, "")
    for (const suffix of ["-wal", "-shm"]) fs.rmSync(state + suffix, { force: true })
    await expectAdopted(cwd)
  }, 180_000)

  it("the state directory deleted", async () => {
    const cwd = await firstRun()
    fs.rmSync(path.join(cwd, ".migrate"), { recursive: true })
    await expectAdopted(cwd)
  }, 180_000)

  it("a new CI runner: another checkout with no state at all", async () => {
    await firstRun()
    await expectAdopted(workdir(fullSpec(systems)))
  }, 180_000)

  it("a state restored from an older copy: what later runs made is adopted, nothing twice", async () => {
    const cwd = await firstRun()
    const older = path.join(cwd, "older-state")
    fs.cpSync(path.join(cwd, ".migrate"), older, { recursive: true, filter: (p) => !p.includes(`${path.sep}runs`) })
    systems.zephyr.mutate({ changeFraction: 0.2, deleteFraction: 0, addCount: 6, seed: 5 })
    const later = await migrate(systems, cwd, ["run"])
    expect(later.code, later.stderr + later.stdout).toBe(0)
    expect(qtestTotals(reportOf(later)).created).toBeGreaterThan(0)
    const before = await targetsOf(systems)

    fs.rmSync(path.join(cwd, ".migrate"), { recursive: true })
    fs.cpSync(older, path.join(cwd, ".migrate"), { recursive: true })
    const restored = await migrate(systems, cwd, ["run"])
    expect(restored.code, restored.stderr + restored.stdout).toBe(0)
    const totals = qtestTotals(reportOf(restored))
    expect(totals.created).toBe(0)
    expect(totals.adopted).toBeGreaterThan(0)
    const after = await targetsOf(systems)
    expect(after.duplicates).toEqual([])
    expect(after.qtest).toEqual(before.qtest)
    expect((await migrate(systems, cwd, ["verify"])).code).toBe(0)
  }, 240_000)
})

describe("verify counts duplicates, whatever made them", () => {
  it("a second test case with a migrated Zephyr Key, made through qTest's API, is extra: exit 1, named", async () => {
    const cwd = await firstRun()
    const before = await migrate(systems, cwd, ["verify"])
    expect(before.code, before.stdout).toBe(0)
    const { contents } = await import("../plugins/qtest/load/qtestContents.ts").then(async (m) => ({
      contents: await import("effect").then(({ Effect }) => Effect.runPromise(Effect.scoped(m.readQtest({ baseUrl: systems.qtest.baseUrl, projectId: systems.qtest.projectId, token: systems.qtest.token }))))
    }))
    const original = contents.cases.find((c) => c.raw.properties?.some((p) => p.field_value === "DEMO-T5"))!.raw
    const copy = await fetch(`${systems.qtest.baseUrl}/api/v3/projects/${systems.qtest.projectId}/test-cases`, {
      method: "POST",
      headers: { authorization: `Bearer ${systems.qtest.token}`, "content-type": "application/json" },
      body: JSON.stringify({ name: original.name, parent_id: original.parent_id, properties: (original.properties ?? []).map((p) => ({ field_id: p.field_id, field_value: p.field_value })) })
    })
    expect([200, 201], await copy.clone().text()).toContain(copy.status)
    const after = await migrate(systems, cwd, ["verify"])
    expect(after.code, after.stdout).toBe(1)
    expect(after.stdout).toMatch(/test-case\s+\d+ match\s+0 differ\s+0 missing\s+1 extra/)
    expect(after.stdout).toMatch(/extra: test-case DEMO-T5 \(target \d+\) — carries the Zephyr Key DEMO-T5/)
  }, 180_000)
})
