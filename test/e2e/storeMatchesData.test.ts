/**
 * The store after `migrate run --sandbox --zephyr-data FILE`, compared with the data file itself: every entity of
 * the project, every field the seed names, call-to-test, scripts, custom fields of every type, links, HTML and
 * Unicode byte for byte, repeated executions, attachments byte-identical. The other project is never touched.
 */
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"
import Database from "better-sqlite3"
import { beforeAll, describe, expect, it } from "@effect/vitest"
import type { ZephyrData } from "../../plugins/zephyr/sandbox/index.ts"
import { repoRoot, runCliProcess, tempDir } from "./cli.ts"

const dataFile = path.join(repoRoot, "test/fixtures/zephyr/demo.json")
const data = JSON.parse(fs.readFileSync(dataFile, "utf8")) as ZephyrData
const DEMO = 10000
const inDemo = (x: { project: { id: number } }) => x.project.id === DEMO

let cwd = ""
let rows: (table: string, where?: string) => Array<Record<string, unknown>>

beforeAll(async () => {
  cwd = tempDir()
  const r = await runCliProcess(["run", "--sandbox", "--zephyr-data", dataFile], { cwd })
  expect(r.code, r.stderr).toBe(0)
  const db = new Database(path.join(cwd, ".migrate/sandbox.db"), { readonly: true })
  rows = (table, where = "1=1") => db.prepare(`SELECT * FROM "${table}" WHERE ${where}`).all() as Array<Record<string, unknown>>
}, 120_000)

const byName = (list: ReadonlyArray<{ id: number; name: string }>) => new Map(list.map((x) => [x.id, x.name]))

describe("the store equals the data file", () => {
  it("every entity of DEMO, nothing of OTHER", () => {
    expect(rows("Project").map((p) => p["project_key"])).toEqual(["DEMO"])
    expect(rows("Folder")).toHaveLength(data.folders.filter(inDemo).length)
    expect(rows("TestCase")).toHaveLength(data.testcases.filter(inDemo).length)
    expect(rows("TestPlan")).toHaveLength(data.testplans.filter(inDemo).length)
    expect(rows("TestCycle")).toHaveLength(data.testcycles.filter(inDemo).length)
    expect(rows("TestExecution")).toHaveLength(data.testexecutions.filter(inDemo).length)
    const demoCaseKeys = new Set(data.testcases.filter(inDemo).map((t) => t.key))
    const steps = Object.entries(data.teststeps).filter(([k]) => demoCaseKeys.has(k)).flatMap(([, s]) => s)
    expect(rows("TestStep")).toHaveLength(steps.length)
    const demoExec = new Set(data.testexecutions.filter(inDemo).map((e) => String(e.id)))
    const results = Object.entries(data.executionsteps).filter(([k]) => demoExec.has(k)).flatMap(([, s]) => s)
    expect(rows("ExecutionStepResult")).toHaveLength(results.length)
    expect(rows("TestCase").every((t) => t["project_id"] === String(DEMO))).toBe(true)
  })

  it("test cases: every seed field, HTML and Unicode byte for byte, labels, scripts", () => {
    const statuses = byName(data.statuses)
    const priorities = byName(data.priorities)
    for (const tc of data.testcases.filter(inDemo)) {
      const [row] = rows("TestCase", `key = '${tc.key}'`)
      expect(row, tc.key).toBeDefined()
      expect(row).toMatchObject({
        test_case_id: tc.id,
        project_id: String(DEMO),
        folder_id: tc.folder?.id ?? null,
        name: tc.name,
        objective: tc.objective ?? null,
        precondition: tc.precondition ?? null,
        estimated_time_ms: tc.estimatedTime ?? null,
        priority: priorities.get(tc.priority.id) ?? null,
        status: statuses.get(tc.status.id) ?? null,
        owner_id: tc.owner?.accountId ?? null,
        created_on: tc.createdOn ?? expect.any(String),
        source_key: tc.key
      })
      expect(JSON.parse(row!["labels"] as string)).toEqual(tc.labels ?? [])
      const script = data.testscripts[tc.key]
      if (script) expect(row).toMatchObject({ script_type: script.type === "bdd" ? "BDD" : "PLAIN_TEXT", script_text: script.text })
      else expect(row!["script_type"]).toBe("STEP_BY_STEP")
    }
  })

  it("steps: inline text byte for byte, call-to-test kept as a reference with its parameters", () => {
    for (const [key, steps] of Object.entries(data.teststeps)) {
      const tc = data.testcases.find((t) => t.key === key)!
      if (!inDemo(tc)) continue
      const stored = rows("TestStep", `test_case_id = ${tc.id}`).sort((a, b) => Number(a["step_order"]) - Number(b["step_order"]))
      expect(stored).toHaveLength(steps.length)
      steps.forEach((s, i) => {
        const row = stored[i]!
        if ("inline" in s && s.inline) {
          expect(row).toMatchObject({ description: s.inline.description ?? "", test_data: s.inline.testData ?? null, expected_result: s.inline.expectedResult ?? null, called_test_case_key: null })
        } else if ("testCase" in s && s.testCase) {
          expect(row).toMatchObject({ description: "", called_test_case_key: s.testCase.testCaseKey })
          expect(JSON.parse(row["parameters"] as string)).toEqual(s.testCase.parameters ?? [])
        }
      })
    }
    expect(rows("TestStep", "called_test_case_key IS NOT NULL").length).toBeGreaterThanOrEqual(2)
  })

  it("custom fields of every type keep their exact JSON value", () => {
    const types = new Set<string>()
    for (const [entity, list] of [
      ["TestCase", data.testcases],
      ["TestCycle", data.testcycles],
      ["TestPlan", data.testplans],
      ["TestExecution", data.testexecutions]
    ] as const) {
      for (const item of (list as ReadonlyArray<{ id: number; project: { id: number }; customFields?: Record<string, unknown> | null }>).filter(inDemo)) {
        const stored = rows("CustomField", `object_type = '${entity}' AND object_id = ${item.id}`)
        const asMap = Object.fromEntries(stored.map((f) => [f["field_name"], JSON.parse(f["value_json"] as string)]))
        expect(asMap, `${entity} ${item.id}`).toEqual(item.customFields ?? {})
        for (const f of stored) types.add(f["field_type"] as string)
      }
    }
    for (const t of ["TEXT", "NUMBER", "BOOLEAN", "DATE", "MULTI_SELECT", "USER"]) expect(types).toContain(t)
  })

  it("executions: the whole history, statuses and environments by name, HTML comments byte for byte", () => {
    const statuses = byName(data.statuses)
    const environments = byName(data.environments)
    const perCaseCycle = new Map<string, number>()
    for (const e of data.testexecutions.filter(inDemo)) {
      const [row] = rows("TestExecution", `execution_id = ${e.id}`)
      expect(row).toMatchObject({
        test_cycle_id: e.testCycle?.id ?? null,
        status: statuses.get(e.testExecutionStatus.id),
        executed_by_id: e.executedById ?? null,
        assigned_to_id: e.assignedToId ?? null,
        execution_time_ms: e.executionTime ?? null,
        actual_end_date: e.actualEndDate ?? null,
        environment: e.environment ? environments.get(e.environment.id) : null,
        comment: e.comment ?? null,
        automated: e.automated ? 1 : 0
      })
      const k = `${e.testCycle?.id}|${row!["test_case_key"]}`
      perCaseCycle.set(k, (perCaseCycle.get(k) ?? 0) + 1)
    }
    expect(Math.max(...perCaseCycle.values())).toBeGreaterThan(1) // repeated executions all kept
    expect(rows("TestExecution", "test_cycle_id IS NULL").length).toBeGreaterThan(0) // ad hoc
  })

  it("links: issue and web links with their types", () => {
    const expected = data.testcases.filter(inDemo).flatMap((t) => [...(t.links?.issues ?? []), ...(t.links?.webLinks ?? [])])
    expect(rows("Link", "object_type = 'TestCase'")).toHaveLength(expected.length)
    const web = data.testcases.filter(inDemo).flatMap((t) => t.links?.webLinks ?? [])
    for (const w of web) expect(rows("Link", `kind = 'WEB' AND target = '${w.url.replace(/'/g, "''")}'`).length).toBeGreaterThan(0)
  })

  it("attachments: byte-identical blobs", () => {
    let n = 0
    for (const [owner, list] of Object.entries(data.attachments)) {
      const [kind, id] = owner.split("/") as [string, string]
      const related = kind === "testcases" ? data.testcases.find((t) => t.key === id)! : data.testexecutions.find((e) => String(e.id) === id)!
      if (!inDemo(related)) continue
      for (const a of list) {
        const bytes = Buffer.from(a.base64, "base64")
        const [row] = rows("Attachment", `attachment_id = ${a.id}`)
        expect(row, a.name).toMatchObject({ attachment_name: a.name, size_bytes: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex"), related_id: related.id })
        expect(Buffer.compare(fs.readFileSync(path.join(cwd, ".migrate", row!["blob_path"] as string)), bytes)).toBe(0)
        n++
      }
    }
    expect(n).toBeGreaterThan(3)
    expect(rows("Attachment")).toHaveLength(n)
  })
})
