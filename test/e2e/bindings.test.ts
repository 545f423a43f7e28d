/**
 * A state belongs to the source project and the targets it was written for. Pointed at another qTest project,
 * another Zephyr project or another Snowflake schema, `run`, `plan` and `verify` refuse before anything is
 * contacted — exit 2, naming what the state belongs to and what the spec says. `run --rebind` lets the state
 * follow the spec: a re-pointed sink forgets the old target's ids and adopts what the new one holds, so moving a
 * state to a project that already has the migration duplicates nothing, and moving it to an empty one migrates.
 */
import { Effect, Exit, Scope } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { startQtestSandbox, type RunningQtestSandbox } from "../../plugins/qtest/sandbox/index.ts"
import { fullSpec, loadOf, migrate, reportOf, startSystems, targetsOf, workdir, type Systems } from "../support/fullMigration.ts"
import * as fs from "node:fs"
import * as path from "node:path"

let systems: Systems
let other: RunningQtestSandbox
let otherScope: Scope.CloseableScope
let cwd: string

beforeAll(async () => {
  systems = await startSystems()
  otherScope = await Effect.runPromise(Scope.make())
  other = await Effect.runPromise(Scope.extend(startQtestSandbox({ projectName: "Another project", requirements: ["DEMO-1 Login story", "DEMO-2 Checkout story"] }), otherScope))
  cwd = workdir(fullSpec(systems))
  const first = await migrate(systems, cwd, ["run"])
  expect(first.code, first.stderr + first.stdout).toBe(0)
}, 180_000)

afterAll(async () => {
  await systems?.close()
  if (otherScope) await Effect.runPromise(Scope.close(otherScope, Exit.void))
})

const respec = (spec: string) => fs.writeFileSync(path.join(cwd, "migration.config.yaml"), spec)

describe("a state is bound to its source project and targets", () => {
  it("pointed at another qTest project: run, plan and verify refuse, naming both, without contacting anything", async () => {
    respec(fullSpec({ ...systems, qtest: other }))
    const before = { zephyr: systems.zephyr.stats().requests }
    for (const command of ["run", "plan", "verify"]) {
      const r = await migrate({ ...systems, qtest: other }, cwd, [command])
      expect(r.code, `${command}: ${r.stderr}${r.stdout}`).toBe(2)
      expect(r.stderr).toContain(`maps what it loaded into qTest project ${systems.qtest.projectId} at ${systems.qtest.baseUrl}`)
      expect(r.stderr).toContain(`points the qtest sink at qTest project ${other.projectId} at ${other.baseUrl}`)
      expect(r.stderr).toContain("--rebind")
      expect(r.stderr).not.toMatch(/^\s+at /m)
    }
    expect(systems.zephyr.stats().requests).toBe(before.zephyr)
    expect((await targetsOf({ qtest: other, snowflake: systems.snowflake })).counts.cases).toBe(0)
  }, 180_000)

  it("another Zephyr project or another Snowflake schema: refused the same way", async () => {
    respec(fullSpec(systems, { projectKey: "OTHER" }))
    const source = await migrate(systems, cwd, ["run"])
    expect(source.code, source.stderr).toBe(2)
    expect(source.stderr).toContain(`holds the records of Zephyr project ${systems.zephyr.projectKey} at ${systems.zephyr.baseUrl}, but the spec's source is Zephyr project OTHER`)
    respec(fullSpec(systems, { snowflakeSchema: "ANALYTICS" }))
    const warehouse = await migrate(systems, cwd, ["run"])
    expect(warehouse.code, warehouse.stderr).toBe(2)
    expect(warehouse.stderr).toContain("Snowflake MIGRATE.PUBLIC in account")
    expect(warehouse.stderr).toContain("points the snowflake sink at Snowflake MIGRATE.ANALYTICS")
  }, 120_000)

  it("run --rebind moves the state to the other qTest project: the old ids are forgotten, the new project gets the migration once, and the state now refuses the old one", async () => {
    respec(fullSpec({ ...systems, qtest: other }))
    const moved = await migrate({ ...systems, qtest: other }, cwd, ["run", "--rebind"])
    expect(moved.code, moved.stderr + moved.stdout).toBe(0)
    expect(moved.stdout + moved.stderr).toMatch(/--rebind: the qtest sink of this state moved from qTest project \d+ at \S+ to qTest project \d+ at \S+; the \d+ ids it had of the old target were forgotten/)
    const load = loadOf(reportOf(moved), "qtest")!
    expect(load.entities["test-case"]?.created).toBe(25)
    const there = await targetsOf({ qtest: other, snowflake: systems.snowflake })
    expect(there.duplicates).toEqual([])
    expect(there.counts).toEqual((await targetsOf(systems)).counts)
    expect((await migrate({ ...systems, qtest: other }, cwd, ["verify"])).code).toBe(0)

    // back to the first project: refused now; with --rebind the first project's objects are adopted, none made twice
    respec(fullSpec(systems))
    expect((await migrate(systems, cwd, ["run"])).code).toBe(2)
    const back = await migrate(systems, cwd, ["run", "--rebind"])
    expect(back.code, back.stderr + back.stdout).toBe(0)
    const again = loadOf(reportOf(back), "qtest")!
    expect(again.totals.created).toBe(0)
    expect(again.entities["test-case"]?.adopted).toBe(25)
    expect((await targetsOf(systems)).duplicates).toEqual([])
  }, 240_000)
})
