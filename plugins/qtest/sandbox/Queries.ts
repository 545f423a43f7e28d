/**
 * Read-side questions about the project that several routes and the renderer share: a case's versions, the
 * position of an object among its siblings, a run's latest log, the children of a test-execution container.
 */
import { type CaseVersion, type Container, containerKey, type Module, type TestCase, type TestLog, type TestRun } from "./Entities.ts"
import type { ProjectState } from "./ProjectState.ts"
import { fail } from "./Reply.ts"

export const versionLabel = (v: CaseVersion): string => `${v.major}.${v.minor}`
export const isApproved = (v: CaseVersion): boolean => v.minor === 0 && v.major > 0

export const versionsOf = (state: ProjectState, tc: TestCase): Array<CaseVersion> =>
  tc.versionIds.flatMap((id) => {
    const v = state.caseVersions.get(id)
    return v === undefined ? [] : [v]
  })

export const currentVersion = (state: ProjectState, tc: TestCase): CaseVersion => {
  const id = tc.versionIds[tc.versionIds.length - 1]
  const v = id === undefined ? undefined : state.caseVersions.get(id)
  return v ?? fail(500, `Test case ${tc.id} has no version`)
}

export const latestApproved = (state: ProjectState, tc: TestCase): CaseVersion | undefined => versionsOf(state, tc).filter(isApproved).at(-1)

/** A version of this case by its id, or a 400 naming the mismatch. */
export const versionOfCase = (state: ProjectState, tc: TestCase, versionId: number): CaseVersion => {
  const v = state.caseVersions.get(versionId)
  return v !== undefined && v.caseId === tc.id ? v : fail(400, `Test case version ${versionId} does not belong to test case ${tc.id}`)
}

/** A test case by numeric id or PID (`TC-12`). */
export const caseByIdOrPid = (state: ProjectState, raw: string): TestCase | undefined => {
  if (/^[0-9]+$/.test(raw)) return state.testCases.get(Number(raw))
  const pid = raw.toUpperCase()
  return state.testCases.find((c) => c.pid === pid)
}

const bySeq = <T extends { readonly seq: number }>(items: Array<T>): Array<T> => items.sort((a, b) => a.seq - b.seq)

export const childModules = (state: ProjectState, parentId: number | undefined): Array<Module> => bySeq(state.modules.filter((m) => m.parentId === parentId))

export const casesIn = (state: ProjectState, moduleId: number): Array<TestCase> => bySeq(state.testCases.filter((c) => c.parentId === moduleId))

/** 1-based position among the items that share a parent (qTest's `order`). */
export const orderAmong = <T extends { readonly id: number; readonly seq: number }>(siblings: ReadonlyArray<T>, item: T): number => {
  let n = 1
  for (const s of siblings) if (s.seq < item.seq || (s.seq === item.seq && s.id < item.id)) n++
  return n
}

export const sameContainer = (a: Container, b: Container): boolean => a.type === b.type && (a.type === "root" || a.id === b.id)

export const cyclesIn = (state: ProjectState, parent: Container) => bySeq(state.testCycles.filter((c) => sameContainer(c.parent, parent)))
export const suitesIn = (state: ProjectState, parent: Container) => bySeq(state.testSuites.filter((s) => sameContainer(s.parent, parent)))
export const runsIn = (state: ProjectState, parent: Container) => bySeq(state.testRuns.inGroup(containerKey(parent)))

/** Every run directly or indirectly under a container (`expand=descendants`). */
export const runsUnder = (state: ProjectState, parent: Container): Array<TestRun> => {
  const out: Array<TestRun> = [...runsIn(state, parent)]
  if (parent.type === "test-suite") return out
  for (const s of suitesIn(state, parent)) out.push(...runsIn(state, { type: "test-suite", id: s.id }))
  for (const c of cyclesIn(state, parent)) out.push(...runsUnder(state, { type: "test-cycle", id: c.id }))
  return out
}

export const logsOf = (state: ProjectState, runId: number): Array<TestLog> =>
  (state.runLogs.get(runId) ?? []).flatMap((id) => {
    const l = state.testLogs.get(id)
    return l === undefined ? [] : [l]
  })

/** The log with the latest execution end (ties: the later submitted), which a run's status follows. */
export const latestLog = (state: ProjectState, runId: number): TestLog | undefined => {
  let best: TestLog | undefined
  for (const l of logsOf(state, runId)) {
    if (best === undefined || l.exeEndDate > best.exeEndDate || (l.exeEndDate === best.exeEndDate && l.id > best.id)) best = l
  }
  return best
}

/** Stores a new log and indexes it under its run. */
export const addLog = (state: ProjectState, log: TestLog): TestLog => {
  state.testLogs.set(log.id, log)
  state.runLogs.set(log.runId, [...(state.runLogs.get(log.runId) ?? []), log.id])
  return log
}
