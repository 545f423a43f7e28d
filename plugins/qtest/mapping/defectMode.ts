/**
 * How a run carries the Jira issues linked to Zephyr executions, decided from the qTest project
 * (`GET /api/v3/projects/{id}`, its `defect_tracking_systems`): with an active Jira connection, each migrated
 * test log is linked to its execution's issues as defects (`link`); without one qTest cannot link a Jira
 * issue, so the ids are kept in a test-run text field (`field`). `why` says which, for the run's report.
 */
import type { DefectTrackingSystem } from "../api/index.ts"

export type DefectMode =
  | { readonly _tag: "link"; readonly connection: string; readonly why: string }
  | { readonly _tag: "field"; readonly why: string }

/** A connection qTest names as Jira (`system_name` "JIRA" in S1's example) and does not say is inactive. */
const isJira = (s: DefectTrackingSystem) => /jira/i.test(s.system_name ?? "") && s.active !== false

export const defectMode = (systems: ReadonlyArray<DefectTrackingSystem> | null | undefined): DefectMode => {
  const jira = (systems ?? []).find(isJira)
  if (jira !== undefined) {
    const connection = jira.connection_name ?? jira.url ?? "Jira"
    return { _tag: "link", connection, why: `the qTest project has a Jira defect integration ("${connection}")` }
  }
  const inactive = (systems ?? []).some((s) => /jira/i.test(s.system_name ?? ""))
  return { _tag: "field", why: inactive ? "the qTest project's Jira defect integration is inactive" : "the qTest project has no Jira defect integration" }
}
