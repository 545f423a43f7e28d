/**
 * `migrate plan` and `run --dry-run` with the qTest sink: on a fresh target, plan lists what a run would create
 * per qTest object kind and every mapping gap (here: execution statuses the spec's map lacks, with no default);
 * after a run it lists nothing to create or update; neither plan nor a dry run writes anything to qTest (read back
 * through its API, fields included) or to the state store.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import Database from "better-sqlite3"
import { describe, expect, it } from "@effect/vitest"
import type { RunReport } from "../../core/report/RunReport.ts"
import { storeSnapshot } from "../conformance/storeSnapshot.ts"
import { SANDBOX_USER } from "../plugins/qtest/load/harness.ts"
import type { CliResult } from "./cli.ts"
import { migrate, qtestApi, qtestSpec, readBack, useSandboxes, workdir } from "./qtestHelpers.ts"

const sandboxes = useSandboxes()

/** The report a `plan --json` or `run --dry-run --json` printed. */
const jsonReport = (r: CliResult, event: "plan" | "summary"): RunReport => {
  const line = r.stdout.split("\n").find((l) => l.startsWith(`{"event":"${event}"`))
  if (line === undefined) throw new Error(`no ${event} event in:\n${r.stdout}\n${r.stderr}`)
  return (JSON.parse(line) as { report: RunReport }).report
}

/** The field settings of the qTest project: a created field or value would show here. */
const fields = async () => {
  const s = sandboxes()
  const out: Record<string, unknown> = {}
  for (const t of ["test-cases", "test-runs", "releases"]) out[t] = (await qtestApi(s.qtest, "GET", `/settings/${t}/fields?includeInactive=true`)).json
  return out
}

/** Everything a run leaves in the store: canonical rows, quarantine, id map, intents, runs. */
const storeState = (cwd: string) => {
  const file = path.join(cwd, ".migrate/state.db")
  const db = new Database(file, { readonly: true })
  try {
    const all = (sql: string) => db.prepare(sql).all()
    return {
      ...storeSnapshot(file),
      idMap: all(`SELECT sink, entity, source_id, target_id, content_hash, loaded_at FROM id_map ORDER BY sink, entity, source_id`),
      intents: all(`SELECT * FROM intents ORDER BY sink, entity, source_id`),
      runs: all(`SELECT * FROM runs ORDER BY started_at`),
      checkpoints: all(`SELECT * FROM checkpoints ORDER BY name`)
    }
  } finally {
    db.close()
  }
}

const STATUS_MAP = `    maps:
      users:
        default: ${SANDBOX_USER}
      executionStatus:
        Pass: Passed
        Fail: Failed
`

describe("migrate plan / run --dry-run (qTest)", () => {
  it("on a fresh target: the creates per object kind and the mapping gaps; nothing written anywhere", async () => {
    const s = sandboxes()
    const emptyQtest = await readBack(s.qtest)
    expect(emptyQtest.counts).toMatchObject({ modules: 0, cases: 0, cycles: 0, runs: 0, logs: 0 })
    const fieldsBefore = await fields()
    const cwd = workdir(qtestSpec(s, { qtestExtra: STATUS_MAP }))

    const human = await migrate(s, cwd, ["plan"])
    expect(human.code, human.stderr + human.stdout).toBe(0)
    expect(human.stdout).toMatch(/plan qtest/)
    expect(human.stdout).toMatch(/test-case\s+25 would be created/)
    expect(human.stdout).toMatch(/status maps\.executionStatus: "Not Executed" ×\d+/)
    expect(human.stdout).toMatch(/status maps\.executionStatus: "In Progress" ×\d+/)

    const json = await migrate(s, cwd, ["plan", "--json"])
    expect(json.code, json.stderr).toBe(0)
    const load = jsonReport(json, "plan").load.find((l) => l.sink === "qtest")!
    expect(load.planned).toBe(true)
    const created = Object.fromEntries(Object.entries(load.entities).map(([e, c]) => [e, c.created]))
    expect(created).toMatchObject({ module: 11, "test-case": 25, approval: 25, release: 3, "cycle-folder": 4, "test-run": 52, attachment: 8 })
    expect(created["field"]).toBeGreaterThan(0)
    // executions whose status the map cannot place are not loaded: planned as skipped, with the gap
    const unmapped = load.gaps.filter((g) => g.kind === "status").map((g) => g.value).sort()
    expect(unmapped).toEqual(expect.arrayContaining(["In Progress", "Not Executed"]))
    expect(unmapped).not.toContain("Pass")
    expect((created["test-log"] ?? 0) + (load.entities["test-log"]?.skipped ?? 0)).toBe(96)
    expect(load.entities["test-log"]?.skipped).toBeGreaterThan(0)

    // nothing reached qTest or the store
    const after = await readBack(s.qtest)
    expect(after.dump).toEqual(emptyQtest.dump)
    expect(await fields()).toEqual(fieldsBefore)
    expect(fs.existsSync(path.join(cwd, ".migrate/state.db"))).toBe(false)

    const dry = await migrate(s, cwd, ["run", "--dry-run"])
    expect(dry.code, dry.stderr + dry.stdout).toBe(0)
    expect(dry.stdout).toContain("dry run, nothing written")
    expect(dry.stdout).toMatch(/test-case\s+25 would be created/)
    expect((await readBack(s.qtest)).dump).toEqual(emptyQtest.dump)
    expect(await fields()).toEqual(fieldsBefore)
    expect(fs.existsSync(path.join(cwd, ".migrate/state.db"))).toBe(false)
  }, 180_000)

  it("after a run: nothing to create or update; a dry run leaves qTest and the store as they are", async () => {
    const s = sandboxes()
    const cwd = workdir(qtestSpec(s))
    const run = await migrate(s, cwd, ["run"])
    expect(run.code, run.stderr + run.stdout).toBe(0)
    const loaded = await readBack(s.qtest)
    const fieldsLoaded = await fields()
    const store = storeState(cwd)

    const plan = await migrate(s, cwd, ["plan", "--json"])
    expect(plan.code, plan.stderr).toBe(0)
    const load = jsonReport(plan, "plan").load.find((l) => l.sink === "qtest")!
    expect(load.totals).toMatchObject({ created: 0, updated: 0, stale: 0, rejected: 0 })
    expect(load.totals.unchanged).toBeGreaterThan(200)
    const human = await migrate(s, cwd, ["plan"])
    for (const line of human.stdout.split("\n").filter((l) => /would be created/.test(l))) expect(line, line).toMatch(/^\s+\S+\s+0 would be created\s+0 would be updated/)

    const dry = await migrate(s, cwd, ["run", "--dry-run", "--json"])
    expect(dry.code, dry.stderr).toBe(0)
    expect(jsonReport(dry, "summary").load.find((l) => l.sink === "qtest")!.totals).toMatchObject({ created: 0, updated: 0 })

    const after = await readBack(s.qtest)
    expect(after.dump).toEqual(loaded.dump)
    expect(await fields()).toEqual(fieldsLoaded)
    expect(storeState(cwd)).toEqual(store)
  }, 180_000)
})
