/**
 * A Zephyr DC test run → canonical TestCycle (what Cloud calls a cycle), with its custom fields. The key is the
 * identity; the run's items are not records (their results are, mapDcTestResult.ts). DC's v1 API shows no issue
 * or web links of a run (only their count), and a run's plan only from the plan's side (mapDcTestPlan.ts).
 */
import { record, type CanonicalRecord } from "../../../core/index.ts"
import { provenance, validDateTime } from "../mapping/index.ts"
import type { DcTestRun } from "./api.ts"
import { keyedId } from "./dcIds.ts"
import { mapDcCustomFields } from "./mapDcFields.ts"

export const mapDcTestRun = (run: DcTestRun, context: { readonly projectId: string; readonly folderId: number | null }): Array<CanonicalRecord> => {
  const id = keyedId("TestCycle", run.key)
  return [
    record("TestCycle", {
      ...provenance(run.key, run.key),
      test_cycle_id: id,
      project_id: context.projectId,
      folder_id: context.folderId,
      key: run.key,
      name: run.name,
      description: run.description ?? null,
      planned_start_date: validDateTime(run.plannedStartDate),
      planned_end_date: validDateTime(run.plannedEndDate),
      status: run.status ?? null,
      owner_id: run.owner ?? null,
      created_at: validDateTime(run.createdOn),
      updated_at: validDateTime(run.updatedOn),
      jira_project_version_id: null
    }),
    ...mapDcCustomFields("TestCycle", id, run.customFields)
  ]
}
