/**
 * A first run into a qTest project where people already wrote test cases (no Zephyr Key): `plan` warns and says
 * how to decide; `run` stops the qTest load before it creates anything there (exit 1, the message and the spec
 * setting that decides); with `existingTestCases: beside` the migrated test cases are created beside them, and
 * the hand-made one is left as it was.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { fullSpec, loadOf, migrate, reportOf, startSystems, workdir, type Systems } from "../support/fullMigration.ts"

let systems: Systems

beforeAll(async () => {
  systems = await startSystems()
}, 120_000)
afterAll(() => systems?.close())

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${systems.qtest.baseUrl}/api/v3/projects/${systems.qtest.projectId}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${systems.qtest.token}`, "content-type": "application/json", ...init.headers }
  })

const testCaseNames = async (): Promise<ReadonlyArray<string>> => {
  const r = await api("/search?page=1&pageSize=999", { method: "POST", body: JSON.stringify({ object_type: "test-cases", fields: ["name"], query: "Name is 'not empty'" }) })
  expect(r.status).toBe(200)
  return ((await r.json()) as { items: ReadonlyArray<{ name: string }> }).items.map((i) => i.name)
}

describe("a qTest project that already holds test cases made by hand", () => {
  it("plan warns, run asks through the spec, and `existingTestCases: beside` creates beside them", async () => {
    const made = await api("/test-cases", { method: "POST", body: JSON.stringify({ name: "Checkout works (written by hand)", properties: [] }) })
    expect(made.status).toBe(200)
    expect(await testCaseNames()).toEqual(["Checkout works (written by hand)"])

    const cwd = workdir(fullSpec(systems, { sinks: ["qtest"] }))
    const plan = await migrate(systems, cwd, ["plan"])
    expect(plan.code, plan.stdout + plan.stderr).toBe(0)
    expect(plan.stdout + plan.stderr).toContain("already holds 1 test case made outside this migration")
    expect(plan.stdout + plan.stderr).toContain("existingTestCases: beside")

    const asked = await migrate(systems, cwd, ["run"])
    expect(asked.code).toBe(1)
    expect(asked.stderr).toContain("already holds 1 test case made outside this migration")
    expect(asked.stderr).toContain("set `existingTestCases: beside`")
    expect(await testCaseNames()).toEqual(["Checkout works (written by hand)"])

    const beside = workdir(fullSpec(systems, { sinks: ["qtest"], qtestExtra: "    existingTestCases: beside\n" }))
    const ran = await migrate(systems, beside, ["run"])
    expect(ran.code, ran.stdout + ran.stderr).toBe(0)
    const names = await testCaseNames()
    expect(names).toContain("Checkout works (written by hand)")
    expect(names).toHaveLength(1 + loadOf(reportOf(ran), "qtest")!.entities["test-case"]!.created)
    expect(loadOf(reportOf(ran), "qtest")!.entities["test-case"]!.created).toBeGreaterThan(0)

    // the question is asked of a first run only: once this state has begun the migration here, the setting is not
    // needed any more
    fs.writeFileSync(path.join(beside, "migration.config.yaml"), fullSpec(systems, { sinks: ["qtest"] }))
    const later = await migrate(systems, beside, ["plan"])
    expect(later.code, later.stdout + later.stderr).toBe(0)
    expect(later.stdout + later.stderr).not.toContain("made outside this migration")
  }, 300_000)
})
