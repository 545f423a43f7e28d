/**
 * A small Zephyr data file (the `--zephyr-data` format, plugins/zephyr/sandbox/ZephyrData.ts) cut from the demo
 * tenant: the DEMO project with eight cases — nested folders four levels deep and a case without folder, the
 * call-to-test chain T11 → T12 → T13, a plain-text and a BDD script, Unicode (emoji, CJK) and HTML, every
 * custom-field type (T1) — one of whose steps gets a literal `[~param]` (a Jira mention, as Zephyr text carries
 * them), the cycles that ran those cases (with repeated executions of a case in one cycle) and their ad hoc
 * executions without a cycle, and their attachments. Test plans are left out (their cycle links with them).
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { demoData, type ZephyrData } from "../../../../plugins/zephyr/sandbox/index.ts"

export const SMALL_CASES = ["DEMO-T1", "DEMO-T4", "DEMO-T11", "DEMO-T12", "DEMO-T13", "DEMO-T20", "DEMO-T21", "DEMO-T22"] as const

/** The text of T1's last step: HTML, Unicode and two literal `[~…]` that qTest must not turn into parameters. */
export const PARAMETER_STEP = "Reload the page as <b>[~accountid:5b10a2844c20165700ede21g]</b> and check [~param] — naïve ✓ 日本"

export const smallProject = (): ZephyrData => {
  const demo = demoData()
  const DEMO = 10000
  const keep = new Set<string>(SMALL_CASES)
  const cases = demo.testcases.filter((c) => c.project.id === DEMO && keep.has(c.key))
  const caseIds = new Set(cases.map((c) => c.id))
  const byId = new Map(demo.folders.map((f) => [f.id, f]))
  const folderIds = new Set<number>()
  const withAncestors = (id: number | undefined | null) => {
    for (let f = id == null ? undefined : byId.get(id); f !== undefined; f = f.parentId === null ? undefined : byId.get(f.parentId)) folderIds.add(f.id)
  }
  for (const c of cases) withAncestors(c.folder?.id)
  // executions of the kept cases (an older version's id is the case id × 1000 + version)
  const ofKeptCase = (e: ZephyrData["testexecutions"][number]) => caseIds.has(e.testCase.id) || caseIds.has(Math.floor(e.testCase.id / 1000))
  const executions = demo.testexecutions.filter((e) => e.project.id === DEMO && ofKeptCase(e))
  const cycleIds = new Set(executions.flatMap((e) => (e.testCycle ? [e.testCycle.id] : [])))
  const cycles = demo.testcycles
    .filter((c) => cycleIds.has(c.id))
    .map((c) => ({ ...c, links: c.links === undefined ? undefined : { ...c.links, testPlans: [] } }))
  for (const c of cycles) withAncestors(c.folder?.id)
  const executionIds = new Set(executions.map((e) => String(e.id)))
  const steps = Object.fromEntries(Object.entries(demo.teststeps).filter(([k]) => keep.has(k)))
  const t1 = steps["DEMO-T1"] ?? []
  const last = t1[t1.length - 1]
  if (last?.inline === undefined || last.inline === null) throw new Error("smallProject: DEMO-T1's last step is not inline any more")
  steps["DEMO-T1"] = [...t1.slice(0, -1), { ...last, inline: { ...last.inline, description: PARAMETER_STEP, expectedResult: "Still logged in: [~param] unchanged" } }]
  return {
    projects: demo.projects.filter((p) => p.id === DEMO),
    folders: demo.folders.filter((f) => folderIds.has(f.id)),
    statuses: demo.statuses.filter((s) => s.project.id === DEMO),
    priorities: demo.priorities.filter((p) => p.project.id === DEMO),
    environments: demo.environments.filter((e) => e.project.id === DEMO),
    testcases: cases,
    teststeps: steps,
    testscripts: Object.fromEntries(Object.entries(demo.testscripts).filter(([k]) => keep.has(k))),
    testcycles: cycles,
    testplans: [],
    testexecutions: executions,
    executionsteps: Object.fromEntries(Object.entries(demo.executionsteps).filter(([k]) => executionIds.has(k))),
    attachments: Object.fromEntries(
      Object.entries(demo.attachments).filter(([owner]) => {
        const [kind, id] = owner.split("/")
        return kind === "testcases" ? keep.has(id ?? "") : executionIds.has(id ?? "")
      })
    ),
    versions: Object.fromEntries(Object.entries(demo.versions ?? {}).filter(([k]) => keep.has(k)))
  }
}

/** Writes the data file into `dir`; answers its path. */
export const writeSmallProject = (dir: string): string => {
  const file = path.join(dir, "small-project.json")
  fs.writeFileSync(file, JSON.stringify(smallProject(), null, 2))
  return file
}
