/**
 * The demo tenant really contains every feature it promises (so the extraction and sink tests that use it
 * exercise them), is deterministic, and is valid sandbox data.
 */
import { describe, expect, it } from "@effect/vitest"
import { demoData } from "../../../../plugins/zephyr/sandbox/demoData.ts"
import { validateZephyrData } from "../../../../plugins/zephyr/sandbox/validateZephyrData.ts"

const d = demoData()
const DEMO = 10000
const inDemo = <T extends { readonly project: { readonly id: number } }>(xs: ReadonlyArray<T>) => xs.filter((x) => x.project.id === DEMO)

describe("demoData", () => {
  it("is valid and deterministic", () => {
    expect(validateZephyrData(d)).toEqual([])
    expect(demoData()).toEqual(d)
  })

  it("has projects DEMO (first) and OTHER", () => {
    expect(d.projects.map((p) => [p.id, p.key])).toEqual([
      [10000, "DEMO"],
      [10001, "OTHER"]
    ])
    for (const list of [d.testcases, d.testcycles, d.testexecutions]) expect(list.some((x) => x.project.id === 10001)).toBe(true)
  })

  it("has nested folders of all three types, TEST_CASE at least three levels deep, siblings out of id order", () => {
    const folders = inDemo(d.folders)
    expect(new Set(folders.map((f) => f.folderType))).toEqual(new Set(["TEST_CASE", "TEST_PLAN", "TEST_CYCLE"]))
    const byId = new Map(folders.map((f) => [f.id, f]))
    const depth = (id: number): number => {
      const f = byId.get(id)
      return f === undefined || f.parentId === null ? 1 : 1 + depth(f.parentId)
    }
    expect(Math.max(...folders.filter((f) => f.folderType === "TEST_CASE").map((f) => depth(f.id)))).toBeGreaterThanOrEqual(3)
    const roots = folders.filter((f) => f.folderType === "TEST_CASE" && f.parentId === null)
    const byIndex = [...roots].sort((a, b) => a.index - b.index).map((f) => f.id)
    expect(byIndex).not.toEqual(roots.map((f) => f.id))
  })

  it("has statuses of all four types, priorities and environments", () => {
    expect(new Set(inDemo(d.statuses).map((s) => s.statusType))).toEqual(new Set(["TEST_CASE", "TEST_PLAN", "TEST_CYCLE", "TEST_EXECUTION"]))
    expect(inDemo(d.priorities).length).toBeGreaterThanOrEqual(3)
    expect(inDemo(d.environments).length).toBeGreaterThanOrEqual(3)
  })

  it("has ~25 test cases with rich text, Unicode, every custom-field type, labels, component, links, owners", () => {
    const cases = inDemo(d.testcases)
    expect(cases.length).toBe(25)
    const text = JSON.stringify(cases)
    expect(text).toMatch(/<(p|b|strong|ul)>/)
    for (const sample of ["é", "日本語", "🚀", "اختبار", "בדיקת"]) expect(text).toContain(sample)
    const values = cases.flatMap((c) => Object.values(c.customFields ?? {}))
    expect(values.some((v) => typeof v === "number")).toBe(true)
    expect(values.some((v) => typeof v === "boolean")).toBe(true)
    expect(values.some((v) => Array.isArray(v))).toBe(true)
    expect(values.some((v) => typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v))).toBe(true)
    expect(values.some((v) => typeof v === "string" && v.includes("<br>"))).toBe(true)
    expect(values.some((v) => typeof v === "string" && /^[0-9a-f]{24}$|^\d+:[0-9a-f-]{36}$/.test(v))).toBe(true)
    expect(cases.some((c) => (c.labels ?? []).length > 0)).toBe(true)
    expect(cases.some((c) => c.component)).toBe(true)
    expect(cases.some((c) => c.owner)).toBe(true)
    expect(cases.some((c) => c.estimatedTime)).toBe(true)
    const links = cases.flatMap((c) => [...(c.links?.issues ?? []), ...(c.links?.webLinks ?? [])])
    expect(new Set(links.map((l) => l.type))).toEqual(new Set(["COVERAGE", "BLOCKS", "RELATED"]))
    expect(cases.filter((c) => c.folder === null)).toHaveLength(1)
  })

  it("has step cases with test data, a call chain A → B → C with both parameter types, plain and BDD scripts", () => {
    const calls = (key: string) => (d.teststeps[key] ?? []).flatMap((s) => (s.testCase ? [s.testCase] : []))
    const a = calls("DEMO-T11")[0]
    expect(a?.testCaseKey).toBe("DEMO-T12")
    expect(calls("DEMO-T12")[0]?.testCaseKey).toBe("DEMO-T13")
    const types = new Set([...calls("DEMO-T11"), ...calls("DEMO-T12")].flatMap((c) => (c.parameters ?? []).map((p) => p.type)))
    expect(types).toEqual(new Set(["MANUAL_INPUT", "DEFAULT_VALUE"]))
    expect(Object.values(d.teststeps).flat().some((s) => (s.inline?.testData ?? "") !== "")).toBe(true)
    const scripts = Object.entries(d.testscripts).filter(([k]) => k.startsWith("DEMO-"))
    expect(new Set(scripts.map(([, s]) => s.type))).toEqual(new Set(["plain", "bdd"]))
    for (const [key] of scripts) expect(d.teststeps[key]).toBeUndefined()
  })

  it("has ~3 plans and ~6 cycles in cycle folders, linked both ways", () => {
    const plans = inDemo(d.testplans)
    const cycles = inDemo(d.testcycles)
    expect(plans).toHaveLength(3)
    expect(cycles).toHaveLength(6)
    const cycleFolders = new Set(d.folders.filter((f) => f.folderType === "TEST_CYCLE").map((f) => f.id))
    expect(cycles.every((c) => c.folder && cycleFolders.has(c.folder.id))).toBe(true)
    expect(cycles.every((c) => c.plannedStartDate && c.plannedEndDate)).toBe(true)
    expect(cycles.some((c) => c.jiraProjectVersion)).toBe(true)
    for (const p of plans) for (const l of p.links?.testCycles ?? []) {
      const c = cycles.find((x) => x.id === l.testCycleId)
      expect(c?.links?.testPlans.some((b) => b.testPlanId === p.id)).toBe(true)
    }
  })

  it("has ~80 executions: history, ad hoc, automated, rich fields, step results", () => {
    const execs = inDemo(d.testexecutions)
    expect(execs.length).toBeGreaterThanOrEqual(80)
    expect(execs.some((e) => !e.testCycle)).toBe(true)
    expect(execs.some((e) => e.automated)).toBe(true)
    expect(execs.some((e) => e.environment)).toBe(true)
    expect(execs.some((e) => e.comment?.includes("<"))).toBe(true)
    expect(execs.some((e) => (e.links?.issues ?? []).length > 0)).toBe(true)
    expect(execs.some((e) => Object.keys(e.customFields ?? {}).length > 0)).toBe(true)
    const items = new Map<string, number>()
    for (const e of execs) if (e.testCycle) items.set(`${e.testCycle.id}/${e.testCase.self}`, (items.get(`${e.testCycle.id}/${e.testCase.self}`) ?? 0) + 1)
    expect([...items.values()].some((n) => n >= 2)).toBe(true)
    for (const e of execs) expect(d.executionsteps[String(e.id)]?.length, e.key).toBeGreaterThan(0)
    expect(new Set(execs.map((e) => e.testExecutionStatus.id)).size).toBeGreaterThanOrEqual(4)
  })

  it("has binary attachments on several cases and executions", () => {
    const owners = Object.keys(d.attachments)
    expect(owners.filter((o) => o.startsWith("testcases/DEMO-")).length).toBeGreaterThanOrEqual(2)
    expect(owners.filter((o) => o.startsWith("testexecutions/")).length).toBeGreaterThanOrEqual(2)
    const types = new Set(Object.values(d.attachments).flat().map((a) => a.contentType.split(";")[0]))
    for (const t of ["image/png", "application/pdf", "text/plain"]) expect(types).toContain(t)
  })
})
