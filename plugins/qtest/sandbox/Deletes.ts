/**
 * Deleting objects with what hangs off them, so nothing dangles: a test case takes its versions, attachments,
 * requirement links and test runs along; a test run takes its logs; a container deleted with `force=true`
 * takes its whole subtree (docs/vendors/qtest.md §3.3.8: without `force` a non-empty module or cycle is refused).
 */
import type { AttachmentObjectType, Container, TestCase, TestRun } from "./Entities.ts"
import type { ProjectState } from "./ProjectState.ts"
import { childModules, cyclesIn, logsOf, runsIn, suitesIn } from "./Queries.ts"

const deleteAttachments = (state: ProjectState, objectType: AttachmentObjectType, objectId: number): void => {
  for (const a of state.attachments.inGroup(`${objectType}:${objectId}`)) state.attachments.delete(a.id)
}

export const deleteRun = (state: ProjectState, run: TestRun): void => {
  for (const log of logsOf(state, run.id)) {
    for (const sl of log.stepLogs) deleteAttachments(state, "test-step-logs", sl.id)
    deleteAttachments(state, "test-logs", log.id)
    state.defectLinks.delete(log.id)
    state.testLogs.delete(log.id)
  }
  state.runLogs.delete(run.id)
  state.testRuns.delete(run.id)
}

export const deleteTestCase = (state: ProjectState, tc: TestCase): void => {
  for (const run of state.testRuns.filter((r) => r.testCaseId === tc.id)) deleteRun(state, run)
  for (const link of state.requirementLinks.filter((l) => l.testCaseId === tc.id)) state.requirementLinks.delete(`${link.requirementId}:${link.testCaseId}`)
  for (const id of tc.versionIds) {
    for (const step of state.caseVersions.get(id)?.steps ?? []) deleteAttachments(state, "test-steps", step.id)
    state.caseVersions.delete(id)
  }
  deleteAttachments(state, "test-cases", tc.id)
  state.testCases.delete(tc.id)
}

export const deleteModuleTree = (state: ProjectState, moduleId: number): void => {
  for (const child of childModules(state, moduleId)) deleteModuleTree(state, child.id)
  for (const tc of state.testCases.filter((c) => c.parentId === moduleId)) deleteTestCase(state, tc)
  state.modules.delete(moduleId)
}

/** Everything under a release, test cycle or test suite (not the container itself). */
export const deleteContainerContents = (state: ProjectState, container: Container): void => {
  for (const run of runsIn(state, container)) deleteRun(state, run)
  if (container.type === "test-suite") return
  for (const suite of suitesIn(state, container)) {
    deleteContainerContents(state, { type: "test-suite", id: suite.id })
    state.testSuites.delete(suite.id)
  }
  for (const cycle of cyclesIn(state, container)) {
    deleteContainerContents(state, { type: "test-cycle", id: cycle.id })
    state.testCycles.delete(cycle.id)
  }
}

export const containerIsEmpty = (state: ProjectState, container: Container): boolean =>
  runsIn(state, container).length === 0 && (container.type === "test-suite" || (suitesIn(state, container).length === 0 && cyclesIn(state, container).length === 0))
